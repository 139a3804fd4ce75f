/**
 * The catalog the server prices orders from. Clients send SKUs and quantities only;
 * any amount a client sends is ignored. Merchants edit server/core/catalog-data.json.
 */
import { ValidationError } from './errors';
import { isCurrency, multiply, sum, type Currency, type Money } from './money';
import catalogData from './catalog-data.json';
import type { CatalogItem as WireCatalogItem } from '../contract/wire';
import type { OrderLine } from '../contract/wire';

export interface CatalogItem {
  sku: string;
  /** English name: shown where no translation fits, and used in order descriptions. */
  name: string;
  /** Names in other languages (zh_CN Simplified, zh_TW Traditional Chinese), for the mini program. */
  names?: { zh_CN?: string; zh_TW?: string };
  /** Minor units per currency; an item without a price in a currency is not sold in it. */
  prices: Partial<Record<Currency, number>>;
}

export const MAX_QUANTITY = 99;
export const MAX_LINES = 20;

export class Catalog {
  private readonly bySku: Map<string, CatalogItem>;

  constructor(items: readonly CatalogItem[]) {
    for (const item of items) {
      for (const [currency, price] of Object.entries(item.prices)) {
        if (!isCurrency(currency) || !Number.isSafeInteger(price) || (price as number) <= 0) {
          throw new Error(`catalog item ${item.sku}: bad price ${String(price)} ${currency}`);
        }
      }
    }
    this.bySku = new Map(items.map((i) => [i.sku, i]));
  }

  /** The items sold in a currency, with their price in it. */
  list(currency: Currency): WireCatalogItem[] {
    const out: WireCatalogItem[] = [];
    for (const item of this.bySku.values()) {
      const price = item.prices[currency];
      const names = { en: item.name, zh_CN: item.names?.zh_CN ?? item.name, ...(item.names?.zh_TW ? { zh_TW: item.names.zh_TW } : {}) };
      if (price !== undefined) out.push({ sku: item.sku, name: item.name, names, price });
    }
    return out;
  }

  /** Validates `items` from a client and prices them. Throws naming the offending field. */
  price(rawItems: unknown, currency: Currency): { lines: OrderLine[]; total: Money; description: string } {
    if (!Array.isArray(rawItems) || rawItems.length === 0) {
      throw new ValidationError('items', 'must be a non-empty list of {sku, quantity}');
    }
    if (rawItems.length > MAX_LINES) throw new ValidationError('items', `may hold at most ${MAX_LINES} lines`);
    const lines: OrderLine[] = [];
    const seen = new Set<string>();
    rawItems.forEach((raw: unknown, i) => {
      const entry = (raw ?? {}) as { sku?: unknown; quantity?: unknown };
      if (typeof entry.sku !== 'string' || entry.sku === '') {
        throw new ValidationError(`items[${i}].sku`, 'must be a SKU from the catalog');
      }
      const item = this.bySku.get(entry.sku);
      if (!item) throw new ValidationError(`items[${i}].sku`, `"${entry.sku}" is not in the catalog`);
      const unitPrice = item.prices[currency];
      if (unitPrice === undefined) throw new ValidationError(`items[${i}].sku`, `"${entry.sku}" is not sold in ${currency}`);
      if (seen.has(entry.sku)) throw new ValidationError(`items[${i}].sku`, `"${entry.sku}" appears twice`);
      seen.add(entry.sku);
      const quantity = entry.quantity;
      if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
        throw new ValidationError(`items[${i}].quantity`, `must be a whole number from 1 to ${MAX_QUANTITY}`);
      }
      lines.push({ sku: item.sku, name: item.name, quantity, unitPrice });
    });
    const total = sum(
      currency,
      lines.map((l) => multiply({ amount: l.unitPrice, currency }, l.quantity)),
    );
    const description = lines.map((l) => (l.quantity > 1 ? `${l.name} x${l.quantity}` : l.name)).join(', ').slice(0, 120);
    return { lines, total, description };
  }
}

export const defaultCatalog = new Catalog(catalogData.items as CatalogItem[]);
