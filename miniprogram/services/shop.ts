/**
 * The shop as the server describes it: the catalog in a currency, item names in both
 * languages, and what the serving provider can do (ProviderInfo). Pages read providers'
 * capabilities only from here. While a server predates ProviderInfo, safe defaults apply:
 * a second login code is sent (harmless where unused), re-issue is attempted (the server
 * answers ORDER_NOT_PAYABLE where it cannot), no cashier, 2 decimals unless told.
 */
import { config } from '../config';
import { callPay } from './backend';
import { formatMoney } from './money';
import type { Lang } from './i18n';
import type { CatalogReply, CurrencyInfo, Order, ProviderInfo } from './types';

export interface ShopItem {
  sku: string;
  name: string;
  price: number;
  priceText: string;
}

export interface Shop {
  /** Subscription message templates to ask for before paying (none: no prompt). */
  subscribeTemplates: string[];
  provider: ProviderInfo;
  /** Every enabled provider (for the local demo switch). */
  providers: ProviderInfo[];
  currency: CurrencyInfo;
  items: ShopItem[];
}

export type ShopResult = { kind: 'ok'; shop: Shop } | { kind: 'error'; code: string };

const DEFAULT_DECIMALS = 2;
const known = new Map<string, ProviderInfo>();
const decimalsByCurrency = new Map<string, number>();
const namesBySku = new Map<string, { en: string; zh_CN: string; zh_TW?: string }>();

function fallbackProvider(name: string, currency: CurrencyInfo): ProviderInfo {
  return { name, displayName: name, currencies: [currency], needsPayCode: true, canReissue: true, hasCashier: false, canQuery: true };
}

function learn(info: ProviderInfo): void {
  known.set(info.name, info);
  for (const c of info.currencies) learnDecimals(c.code, c.decimals);
}

/** Records what a reply said about providers (names, currencies' decimals). */
export function learnProviders(infos: readonly ProviderInfo[]): void {
  for (const info of infos) learn(info);
}

/** Records a currency's decimals as a server reply gave them (the catalog's providers, an operator's orders). */
export function learnDecimals(currency: string, decimals: number): void {
  decimalsByCurrency.set(currency, decimals);
}

/** Decimals of a currency, as the last catalog reply said. */
export function decimalsOf(currency: string): number {
  return decimalsByCurrency.get(currency) ?? DEFAULT_DECIMALS;
}

export function money(amount: number, currency: string, lang: Lang): string {
  return formatMoney(amount, currency, decimalsOf(currency), lang);
}

/** What the server said about `name`; safe defaults before any catalog reply. */
export function providerInfo(name: string): ProviderInfo {
  return known.get(name) ?? fallbackProvider(name, { code: '', decimals: DEFAULT_DECIMALS });
}

/** The provider the shop pays through: config.provider, or the demo switch's choice. */
export function shopProvider(): string {
  return config.provider;
}

/** The local demo's provider switch, or [] (one provider: no picker). */
export function demoProviders(): string[] {
  return config.backend === 'local' && config.demoProviders.length > 1 ? config.demoProviders : [];
}

export async function loadShop(lang: Lang, provider: string = shopProvider(), currency?: string): Promise<ShopResult> {
  // Partial: a server older than the ProviderInfo contract answers currency and items only.
  const reply = await callPay<Pick<CatalogReply, 'currency' | 'items'> & Partial<CatalogReply>>({ action: 'catalog', provider, ...(currency ? { currency } : {}) });
  if (!reply.ok) return { kind: 'error', code: reply.error.code };
  const fromProvider = reply.provider?.currencies.find((c) => c.code === reply.currency);
  const cur: CurrencyInfo = { code: reply.currency, decimals: reply.decimals ?? fromProvider?.decimals ?? decimalsOf(reply.currency) };
  const info = reply.provider ?? fallbackProvider(provider, cur);
  for (const p of reply.providers ?? []) learn(p);
  learn(info);
  decimalsByCurrency.set(cur.code, cur.decimals);
  for (const i of reply.items) if (i.names) namesBySku.set(i.sku, i.names);
  const items = reply.items.map((i) => ({
    sku: i.sku,
    name: nameIn(i.names, lang) ?? i.name,
    price: i.price,
    priceText: formatMoney(i.price, cur.code, cur.decimals, lang),
  }));
  return { kind: 'ok', shop: { provider: info, providers: reply.providers ?? [info], currency: cur, items, subscribeTemplates: reply.subscribeTemplates ?? [] } };
}

/**
 * An order's items in the shopper's language ("馥芮白 × 2、胡萝卜蛋糕"), from the catalog's
 * names; the server's (English) description where an item is unknown.
 */
export function describeOrder(order: Pick<Order, 'description' | 'items'>, lang: Lang): string {
  const names = order.items.map((l) => {
    const name = nameIn(namesBySku.get(l.sku), lang);
    return name ? (l.quantity > 1 ? `${name} × ${l.quantity}` : name) : undefined;
  });
  if (!names.length || names.some((n) => n === undefined)) return order.description;
  return names.join(lang === 'en' ? ', ' : '、');
}

/** An item's name in `lang`; Traditional Chinese falls back to Simplified where the catalog has none. */
function nameIn(names: { en: string; zh_CN: string; zh_TW?: string } | undefined, lang: Lang): string | undefined {
  if (!names) return undefined;
  return lang === 'zh_TW' ? (names.zh_TW ?? names.zh_CN) : names[lang];
}

/** Loads the shop once (for decimals and capabilities) when no catalog reply came yet. */
export async function ensureShopKnown(lang: Lang): Promise<void> {
  if (known.size === 0) await loadShop(lang);
}
