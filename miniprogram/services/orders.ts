/**
 * The shopper's orders and "Pay again": the only code behind the orders page and the result
 * page's Pay again button that talks to the backend and to WeChat Pay. Pages get display
 * rows and discriminated results; they never see login codes or payment parameters.
 */
import { callPay } from './backend';
import { formatMoney } from './format';
import type { Order, PaymentParams, Provider } from './types';
import { login, paymentCodes, requestPayment } from './wechat';

export interface OrderRow {
  orderNo: string;
  status: string;
  statusText: string;
  amountText: string;
  description: string;
  provider: Provider;
  timeText: string;
}

export type OrdersResult = { kind: 'ok'; orders: OrderRow[] } | { kind: 'error'; code: string };

export type PayAgainResult =
  | { kind: 'ok' }
  | { kind: 'cancel' }
  | { kind: 'fail'; message: string }
  /** The backend refused (ORDER_ALREADY_PAID, ORDER_NOT_PAYABLE, ORDER_CLOSED, NETWORK, LOGIN_…). */
  | { kind: 'error'; code: string };

const STATUS_TEXT: Record<'zh' | 'en', Record<string, string>> = {
  en: { CREATED: 'Created', PAYING: 'Awaiting payment', PAID: 'Paid', FAILED: 'Failed', CLOSED: 'Closed' },
  zh: { CREATED: '已创建', PAYING: '待支付', PAID: '已支付', FAILED: '支付失败', CLOSED: '已关闭' },
};

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Epoch ms → "2026-11-22 09:05" in the phone's time zone. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function toRow(order: Order, lang: 'zh' | 'en'): OrderRow {
  return {
    orderNo: order.orderNo,
    status: order.status,
    statusText: STATUS_TEXT[lang][order.status] ?? order.status,
    amountText: formatMoney(order.amount, order.currency),
    description: order.description,
    provider: order.provider,
    timeText: formatTime(order.createdAt),
  };
}

/** The caller's orders, newest first, ready to show. */
export async function loadMyOrders(lang: 'zh' | 'en'): Promise<OrdersResult> {
  const code = await login();
  if (code.kind !== 'ok') return { kind: 'error', code: 'LOGIN_FAILED' };
  const reply = await callPay<{ orders: Order[] }>({ action: 'listOrders', code: code.code });
  if (!reply.ok) return { kind: 'error', code: reply.error.code };
  const orders = [...reply.orders].sort((a, b) => b.createdAt - a.createdAt);
  return { kind: 'ok', orders: orders.map((o) => toRow(o, lang)) };
}

/**
 * Pays the SAME order again after the shopper cancelled: the backend asks the provider for
 * fresh parameters (retryPayment), then WeChat Pay opens. `ok` is not proof of payment:
 * the caller asks the server (queryOrder), as after the first attempt.
 */
export async function payAgain(order: { orderNo: string; provider: Provider }): Promise<PayAgainResult> {
  const codes = await paymentCodes(order.provider);
  if (!codes) return { kind: 'error', code: 'LOGIN_FAILED' };
  const reply = await callPay<{ order: Order; payment: PaymentParams }>({ action: 'retryPayment', orderNo: order.orderNo, ...codes });
  if (!reply.ok) return { kind: 'error', code: reply.error.code };
  return requestPayment(reply.payment);
}
