/**
 * Orders and payments: the only code behind the pages that talks to the backend and to
 * WeChat Pay. Pages get display rows and discriminated results; they never see login codes
 * or payment parameters, and never decide what a provider can do (shop.ts says).
 */
import { config } from '../config';
import { callPay } from './backend';
import { formatTime } from './format';
import { message, type Lang, type MessageKey } from './i18n';
import { describeOrder, ensureShopKnown, money, providerInfo, type Shop } from './shop';
import type { CartLine, Order, PaymentParams } from './types';
import type { PublicRefund } from '../contract/wire';
import { identity, login, paymentCodes, requestPayment, type LoginResult, type PaymentOutcome } from './wechat';

export interface OrderRow {
  orderNo: string;
  status: string;
  statusText: string;
  amountText: string;
  description: string;
  timeText: string;
  /** Unpaid and still open: the orders page offers Pay. */
  payable: boolean;
}

export type OrdersResult = { kind: 'ok'; orders: OrderRow[]; raw: Order[] } | { kind: 'error'; code: string };
export type OrderResult = { kind: 'ok'; order: Order; refunds: PublicRefund[] } | { kind: 'error'; code: string };

/** A payment attempt: which order it paid (a fresh one when the provider cannot re-issue) and WeChat's word. */
export type PayResult = { kind: 'attempted'; orderNo: string; outcome: PaymentOutcome } | { kind: 'error'; code: string };

export type { CartLine };

export function isPayable(order: Pick<Order, 'status' | 'expiresAt'>, now = Date.now()): boolean {
  return (order.status === 'PAYING' || order.status === 'CREATED') && (order.expiresAt === undefined || order.expiresAt > now);
}

export function toRow(order: Order, lang: Lang): OrderRow {
  const key = `status${order.status}` as MessageKey;
  // A refunded order says how much came back (the whole amount, or the part so far).
  const refunded = order.refundedAmount ? ` · ${message('refundedShort', lang, { amount: money(order.refundedAmount, order.currency, lang) })}` : '';
  return {
    orderNo: order.orderNo,
    status: order.status,
    statusText: message(key, lang) + refunded,
    amountText: money(order.amount, order.currency, lang),
    description: describeOrder(order, lang),
    timeText: formatTime(order.createdAt),
    payable: isPayable(order),
  };
}

/** The caller's newest `limit` orders (the server caps it at 100), newest first, ready to show. */
export async function loadMyOrders(lang: Lang, limit?: number): Promise<OrdersResult> {
  await ensureShopKnown(lang);
  const who = await identity();
  if (!who) return { kind: 'error', code: 'LOGIN_FAILED' };
  const reply = await callPay<{ orders: Order[] }>({ action: 'listOrders', ...who, ...(limit ? { limit } : {}) });
  if (!reply.ok) return { kind: 'error', code: reply.error.code };
  const orders = [...reply.orders].sort((a, b) => b.createdAt - a.createdAt);
  return { kind: 'ok', orders: orders.map((o) => toRow(o, lang)), raw: orders };
}

/** The server's word on one order (and its refunds); `refresh` asks the provider (where it can be asked). */
export async function queryOrder(orderNo: string, refresh: boolean): Promise<OrderResult> {
  const who = await identity();
  if (!who) return { kind: 'error', code: 'LOGIN_FAILED' };
  const reply = await callPay<{ order: Order; refunds?: PublicRefund[] }>({ action: 'queryOrder', orderNo, ...who, refresh });
  if (!reply.ok) return { kind: 'error', code: reply.error.code };
  return { kind: 'ok', order: reply.order, refunds: reply.refunds ?? [] };
}

/** The shopper cancels their unpaid order; the server says how it now stands. */
export async function cancelOrder(orderNo: string): Promise<OrderResult> {
  const who = await identity();
  if (!who) return { kind: 'error', code: 'LOGIN_FAILED' };
  const reply = await callPay<{ order: Order }>({ action: 'cancelOrder', orderNo, ...who });
  if (!reply.ok) return { kind: 'error', code: reply.error.code };
  return { kind: 'ok', order: reply.order, refunds: [] };
}

export type NextCode = () => Promise<LoginResult>;

async function createAndPay(provider: string, currency: string, items: CartLine[], next: NextCode): Promise<PayResult> {
  const codes = await paymentCodes(providerInfo(provider).needsPayCode, next);
  if (!codes) return { kind: 'error', code: 'LOGIN_FAILED' };
  const reply = await callPay<{ order: Order; payment: PaymentParams }>({ action: 'createOrder', provider, currency, items, ...codes });
  if (!reply.ok) return { kind: 'error', code: reply.error.code };
  // Success of requestPayment is not proof of payment: the caller asks the server.
  return { kind: 'attempted', orderNo: reply.order.orderNo, outcome: await requestPayment(reply.payment) };
}

/** Checkout: one order for the cart, then WeChat Pay. */
export function checkout(shop: Shop, items: CartLine[], next: NextCode = login): Promise<PayResult> {
  return createAndPay(shop.provider.name, shop.currency.code, items, next);
}

/**
 * Pays an unpaid order: the SAME order where the provider re-issues parameters
 * (retryPayment), otherwise a fresh order for the same items.
 */
export async function payOrder(order: Order, next: NextCode = login): Promise<PayResult> {
  const info = providerInfo(order.provider);
  const fresh = () =>
    order.items.length
      ? createAndPay(order.provider, order.currency, order.items.map((l) => ({ sku: l.sku, quantity: l.quantity })), next)
      : Promise.resolve<PayResult>({ kind: 'error', code: 'ORDER_NOT_PAYABLE' });
  if (!info.canReissue || order.status !== 'PAYING') return fresh();
  const codes = await paymentCodes(info.needsPayCode, next);
  if (!codes) return { kind: 'error', code: 'LOGIN_FAILED' };
  const reply = await callPay<{ order: Order; payment: PaymentParams }>({ action: 'retryPayment', orderNo: order.orderNo, ...codes });
  if (!reply.ok) return reply.error.code === 'ORDER_NOT_PAYABLE' ? fresh() : { kind: 'error', code: reply.error.code };
  return { kind: 'attempted', orderNo: order.orderNo, outcome: await requestPayment(reply.payment) };
}

/** "Pay another way": an order paid on the provider's cashier, whose link the shopper opens elsewhere. */
export async function cashierLink(shop: Shop, items: CartLine[], next: NextCode = login): Promise<{ kind: 'ok'; payUrl: string; orderNo: string; order: Order } | { kind: 'error'; code: string }> {
  const code = await next();
  if (code.kind !== 'ok') return { kind: 'error', code: 'LOGIN_FAILED' };
  const reply = await callPay<{ order: Order; payUrl: string }>({
    action: 'createCashierOrder',
    provider: shop.provider.name,
    currency: shop.currency.code,
    payMethod: config.cashierPayMethod,
    channel: 'mobile',
    items,
    code: code.code,
  });
  if (!reply.ok) return { kind: 'error', code: reply.error.code };
  return { kind: 'ok', payUrl: reply.payUrl, orderNo: reply.order.orderNo, order: reply.order };
}
