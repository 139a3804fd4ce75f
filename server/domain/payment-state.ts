/**
 * The payment's state changes, as pure functions of the order document: each returns the
 * next document and the lines that describe the change, or null when the state table
 * (./order.ts ALLOWED_FROM) does not allow it. Paid is final: a paid report for a FAILED or
 * CLOSED order pays it and marks it for a person; nothing moves a PAID order back.
 */
import { ALLOWED_FROM, OPEN_STATUSES, type Order, type OrderStatus } from './order';
import { backOff, firstCheck, RECHECK_CLOSED_MS } from './schedule';
import type { TimelineEntry } from './timeline';

export interface Change {
  order: Order;
  lines: TimelineEntry[];
}

/** Statuses a paid report overturns (money moved after we gave up on the payment). */
const OVERTURNED_BY_PAYMENT: readonly OrderStatus[] = ['FAILED', 'CLOSED'];

export type ReportSource = 'answer' | 'notification' | 'query' | 'operator' | 'shopper';

/** The order paid (money moved). A late payment (after FAILED or CLOSED) is marked for a person. */
export function pay(order: Order, now: number, source: ReportSource, providerRef?: string): Change | null {
  if (!ALLOWED_FROM.PAID.includes(order.status)) return null;
  const next: Order = { ...order, status: 'PAID', paidAt: now };
  delete next.check;
  // The reference we placed the order with stays; a report only fills one that was lost.
  if (providerRef !== undefined && order.providerRef === undefined) next.providerRef = providerRef;
  const lines: TimelineEntry[] = [];
  if (OVERTURNED_BY_PAYMENT.includes(order.status)) {
    next.attention = `paid after it was ${order.status}${order.statusReason ? ` (${order.statusReason})` : ''}: check whether the goods were cancelled, then deliver or refund`;
    lines.push({ type: 'status_changed', detail: { from: order.status, to: 'PAID', source, late: true, note: `a verified payment arrived for an order that was ${order.status}` } });
  } else {
    lines.push({ type: 'status_changed', detail: { from: order.status, to: 'PAID', source } });
  }
  return { order: next, lines };
}

/**
 * The order FAILED or CLOSED on a documented answer (or on expiry with the provider saying it
 * is unpaid). Only an open payment can end so; it is still asked about again for a while, so
 * that a payment that went through after all still wins.
 */
export function end(order: Order, to: 'FAILED' | 'CLOSED', reason: string, now: number, source: ReportSource, afterMs: number): Change | null {
  if (!OPEN_STATUSES.includes(order.status) || !ALLOWED_FROM[to].includes(order.status)) return null;
  const next: Order = { ...order, status: to, statusReason: reason, check: firstCheck(now, afterMs, RECHECK_CLOSED_MS) };
  return { order: next, lines: [{ type: 'status_changed', detail: { from: order.status, to, reason, source } }] };
}

/** CREATED → PAYING once the provider holds the payment; its first check is scheduled. */
export function placed(order: Order, now: number, afterMs: number, providerRef: string | undefined): Change | null {
  if (order.status !== 'CREATED' && order.status !== 'PAYING') {
    return providerRef !== undefined && order.providerRef === undefined ? { order: { ...order, providerRef }, lines: [] } : null;
  }
  const next: Order = { ...order, status: 'PAYING', check: order.check ?? firstCheck(now, afterMs) };
  if (providerRef !== undefined) next.providerRef = providerRef;
  const lines: TimelineEntry[] = order.status === 'CREATED' ? [{ type: 'status_changed', detail: { from: 'CREATED', to: 'PAYING' } }] : [];
  return { order: next, lines };
}

/**
 * The payment was asked about and nothing final came back: its next check backs off; past its
 * bound an open order is marked for a person (once) and leaves the automatic queue, while an
 * order that has already ended simply stops being asked.
 */
export function askedAgain(order: Order, now: number, why: string): Change {
  const check = backOff(order.check ?? firstCheck(now, 0), now);
  const next: Order = { ...order, check };
  const lines: TimelineEntry[] = [];
  if (check.at === undefined && OPEN_STATUSES.includes(order.status) && order.attention === undefined) {
    next.attention = `no final answer about the payment after ${check.attempt} questions (${why}): check the provider's records; a later paid report still pays it`;
    lines.push({ type: 'attention', detail: { about: 'payment', why } });
  }
  return { order: next, lines };
}
