/**
 * The operator pages' only way to the backend: the `admin` function (listOrders, getOrder,
 * refund, queryRefund) through services/backend.ts; on the local stack each call carries a
 * fresh sandbox login code, in WeChat's cloud none (the function knows the caller).
 * The server decides who is an operator (ADMIN_OPENIDS) and answers FORBIDDEN otherwise;
 * nothing here trusts the client. Also the money arithmetic the refund sheet needs:
 * integer minor units, decimal text converted with string arithmetic, never floats.
 */
import { config } from '../config';
import type {
  AdminAction,
  AdminEvent,
  AdminOrder,
  AdminReplies,
  BackendError,
  OrderStatus,
  ProviderInfo,
  PublicRefund,
  Reply,
} from '../contract/wire';
import { callFunction } from './backend';
import { formatMoney, minorToText as moneyText, parseAmount as parseMoney, type MoneyLang, type ParsedAmount } from './money';
import { decimalsOf, learnDecimals, learnProviders } from './shop';
import { login } from './wechat';

let sequence = 0;

/**
 * A fresh, single-use login code for one admin call. On the local stack the WeChat sandbox
 * takes `test-<user>-<anything>`; the operator pages sign in as config.adminLocalUser
 * (the local stack's default operator), not as the shopper.
 */
export async function adminCode(): Promise<string | undefined> {
  if (config.backend === 'local') {
    sequence += 1;
    return `test-${config.adminLocalUser}-${Date.now().toString(36)}${sequence}${Math.random().toString(36).slice(2, 6)}`;
  }
  const result = await login();
  return result.kind === 'ok' ? result.code : undefined;
}

type EventOf<A extends AdminAction> = Omit<Extract<AdminEvent, { action: A }>, 'code'>;

const LOGIN_FAILED: BackendError = { code: 'LOGIN_FAILED', message: 'wx.login failed' };

/**
 * One `admin` call; always resolves (network trouble is `{ok: false, error: {code: 'NETWORK'}}`).
 * In WeChat's cloud the function knows the caller (getWXContext): no wx.login is spent.
 */
export async function callAdmin<A extends AdminAction>(event: EventOf<A>): Promise<Reply<AdminReplies[A]>> {
  const code = config.backend === 'cloud' ? '' : await adminCode();
  if (code === undefined) return { ok: false, error: LOGIN_FAILED };
  // backend.ts types error codes as plain strings; the admin function sends the contract's.
  const reply = (await callFunction<AdminReplies[A]>('admin', code ? { ...event, code } : { ...event })) as Reply<AdminReplies[A]>;
  if (reply.ok) learnOrders(reply);
  return reply;
}

/** The decimals each order's currency has, from the orders a reply carries. */
function learnOrders(reply: { order?: AdminOrder; orders?: AdminOrder[] }): void {
  for (const order of [...(reply.orders ?? []), ...(reply.order ? [reply.order] : [])]) learnDecimals(order.currency, order.decimals);
}

export interface OrderFilters {
  status?: OrderStatus;
  provider?: string;
  attention?: boolean;
}

/** Orders newest first, one page at a time: pass the previous reply's nextCursor for the next. */
export function listOrders(filters: OrderFilters, cursor?: string, limit = 20) {
  const event: EventOf<'listOrders'> = { action: 'listOrders', limit };
  if (filters.status) event.status = filters.status;
  if (filters.provider) event.provider = filters.provider;
  if (filters.attention) event.attention = true;
  if (cursor) event.cursor = cursor;
  return callAdmin<'listOrders'>(event);
}

export const getOrder = (orderNo: string) => callAdmin<'getOrder'>({ action: 'getOrder', orderNo });

export function refund(orderNo: string, amount: number, refundNo: string, reason?: string) {
  const event: EventOf<'refund'> = { action: 'refund', orderNo, amount, refundNo };
  if (reason) event.reason = reason;
  return callAdmin<'refund'>(event);
}

export const queryRefund = (refundNo: string) => callAdmin<'queryRefund'>({ action: 'queryRefund', refundNo });

/** A person settles a PENDING refund nothing automatic can, after checking the provider's portal. */
export const resolveRefund = (refundNo: string, outcome: 'succeeded' | 'failed', note: string) =>
  callAdmin<'resolveRefund'>({ action: 'resolveRefund', refundNo, outcome, note });

/**
 * The providers the server has enabled (the `pay` catalog reply), for the list's provider
 * filter. Empty when the server cannot say: the filter then offers "All" only.
 */
export async function enabledProviders(): Promise<ProviderInfo[]> {
  const reply = await callFunction<{ providers?: ProviderInfo[] }>('pay', { action: 'catalog' });
  const providers = reply.ok && Array.isArray(reply.providers) ? reply.providers : [];
  learnProviders(providers); // display names for the rows
  return providers;
}

/**
 * The refund key, made when the refund sheet opens: 'R', the time in base 36 and random
 * base-36 digits (letters and digits only, 20 characters). The same refundNo is resent after
 * a NETWORK failure, so the server answers the same refund instead of making a second one.
 */
export function newRefundNo(now: number = Date.now()): string {
  let random = '';
  while (random.length < 11) random += Math.random().toString(36).slice(2);
  return `R${now.toString(36).toUpperCase().padStart(8, '0')}${random.slice(0, 11).toUpperCase()}`;
}

// --- Money ---

/** Minor-unit digits of a currency, as the server's replies said (every AdminOrder carries its `decimals`). */
export { decimalsOf } from './shop';

/** 1250 → "12.50"; 75000 LAK → "75000". Digits only, for the refund sheet's input. */
export function minorToText(amount: number, currency: string): string {
  return moneyText(amount, decimalsOf(currency));
}

/** The operator pages write money as the shopper pages and the console do (services/money.ts). */
export function formatAmount(amount: number, currency: string, lang: MoneyLang = 'en'): string {
  return formatMoney(amount, currency, decimalsOf(currency), lang);
}

export type { ParsedAmount } from './money';

/** The operator's decimal text → minor units, exactly, in the currency's decimals (services/money.ts). */
export function parseAmount(text: string, currency: string): ParsedAmount {
  return parseMoney(text, decimalsOf(currency));
}

// --- Refundability ---

export function isRefundable(order: Pick<AdminOrder, 'status'>): boolean {
  return order.status === 'PAID' || order.status === 'PARTIALLY_REFUNDED';
}

/** What may still be refunded: paid amount − succeeded refunds − refunds still PENDING. */
export function remainingOf(order: Pick<AdminOrder, 'amount' | 'refundedAmount'>, refunds: Pick<PublicRefund, 'amount' | 'status'>[]): number {
  const pending = refunds.filter((r) => r.status === 'PENDING').reduce((sum, r) => sum + r.amount, 0);
  return Math.max(0, order.amount - (order.refundedAmount ?? 0) - pending);
}

/** Epoch ms → "2026-11-22 09:05:07" in the phone's time zone. */
export { formatTimeSeconds as formatTime } from './format';
