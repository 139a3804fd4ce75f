/**
 * The operator pages' only way to the backend: the `admin` function (listOrders, getOrder,
 * refund, queryRefund) through services/backend.ts, each call with a fresh login code.
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
import { decimalsOf, learnDecimals } from './shop';
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

/** One `admin` call; always resolves (network trouble is `{ok: false, error: {code: 'NETWORK'}}`). */
export async function callAdmin<A extends AdminAction>(event: EventOf<A>): Promise<Reply<AdminReplies[A]>> {
  const code = await adminCode();
  if (!code) return { ok: false, error: LOGIN_FAILED };
  // backend.ts types error codes as plain strings; the admin function sends the contract's.
  const reply = (await callFunction<AdminReplies[A]>('admin', { ...event, code })) as Reply<AdminReplies[A]>;
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

/**
 * The providers the server has enabled (the `pay` catalog reply), for the list's provider
 * filter. Empty when the server cannot say: the filter then offers "All" only.
 */
export async function enabledProviders(): Promise<ProviderInfo[]> {
  const reply = await callFunction<{ providers?: ProviderInfo[] }>('pay', { action: 'catalog' });
  return reply.ok && Array.isArray(reply.providers) ? reply.providers : [];
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
  const decimals = decimalsOf(currency);
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(Math.trunc(amount))).padStart(decimals + 1, '0');
  if (decimals === 0) return sign + digits;
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** 1250 NZD → "NZD 12.50", with thousands separators: 1250000 LAK → "LAK 1,250,000". */
export function formatAmount(amount: number, currency: string): string {
  const [whole = '', fraction] = minorToText(amount, currency).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${currency} ${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

export type ParsedAmount =
  | { ok: true; minor: number }
  | { ok: false; reason: 'empty' | 'format' | 'decimals' | 'zero' };

/**
 * The operator's decimal text → minor units, exactly: "12.5" NZD → 1250, "75000" LAK → 75000.
 * String arithmetic only (no parseFloat: 0.1 + 0.2 must never happen to money). Refuses
 * more decimals than the currency has, signs, exponents and separators.
 */
export function parseAmount(text: string, currency: string): ParsedAmount {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'empty' };
  const match = /^(\d+)(?:\.(\d*))?$/.exec(trimmed);
  if (!match) return { ok: false, reason: 'format' };
  const whole = match[1] ?? '';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  const decimals = decimalsOf(currency);
  if (fraction.length > decimals) return { ok: false, reason: 'decimals' };
  const digits = (whole + fraction.padEnd(decimals, '0')).replace(/^0+/, '');
  if (digits === '') return { ok: false, reason: 'zero' };
  if (digits.length > 15) return { ok: false, reason: 'format' }; // beyond exact integers
  return { ok: true, minor: Number(digits) };
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
export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return '';
  const d = new Date(ms);
  const p = (n: number) => (n < 10 ? `0${n}` : String(n));
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A timeline line's detail as one readable line: "from: PAYING · to: PAID". */
export function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}
