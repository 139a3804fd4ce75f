/**
 * The refunds' state changes, as pure functions of the order document that holds them: accept
 * (check and reserve in one step), settle, and the bookkeeping of sending and checking. Every
 * sum and the order's status follow from ./refund-sums.ts, so the two can never disagree.
 */
import { MAX_REFUNDS_PER_ORDER, type Order, type OrderStatus } from './order';
import { REFUND_ALLOWED_FROM, REFUNDABLE_STATUSES, type Refund } from './refund';
import { refundSums, withRefunds } from './refund-sums';
import type { Change } from './payment-state';
import { backOff, firstCheck } from './schedule';
import type { TimelineEntry } from './timeline';

export type AcceptVerdict =
  | { kind: 'accepted'; change: Change; refund: Refund }
  /** This refundNo exists on the order for the same amount: the same refund, nothing new. */
  | { kind: 'existing'; refund: Refund }
  /** This refundNo exists with another amount. */
  | { kind: 'conflict'; refund: Refund }
  | { kind: 'not-refundable'; status: OrderStatus }
  /** More than what remains (paid − succeeded − pending). */
  | { kind: 'exceeds'; remaining: number }
  /** A provider's or our own per-order limit (count, interval). */
  | { kind: 'limit'; why: string };

export interface RefundLimits {
  maxPerOrder?: number;
  minIntervalMs?: number;
}

/** Stores `refund` as PENDING with its amount held, if the order can give it. */
export function accept(order: Order, refund: Refund, limits: RefundLimits, line: TimelineEntry): AcceptVerdict {
  const refunds = order.refunds ?? [];
  const existing = refunds.find((r) => r.refundNo === refund.refundNo);
  if (existing) return existing.amount === refund.amount ? { kind: 'existing', refund: existing } : { kind: 'conflict', refund: existing };
  if (!REFUNDABLE_STATUSES.includes(order.status)) return { kind: 'not-refundable', status: order.status };
  const sums = refundSums(order, refunds);
  if (refund.amount > sums.remaining) return { kind: 'exceeds', remaining: sums.remaining };
  const max = Math.min(limits.maxPerOrder ?? MAX_REFUNDS_PER_ORDER, MAX_REFUNDS_PER_ORDER);
  if (refunds.length >= max) return { kind: 'limit', why: `order ${order.orderNo} already has ${refunds.length} refunds, the most one order may have` };
  const last = refunds[refunds.length - 1];
  if (limits.minIntervalMs !== undefined && last && refund.createdAt - last.createdAt < limits.minIntervalMs) {
    const wait = Math.ceil((limits.minIntervalMs - (refund.createdAt - last.createdAt)) / 1000);
    return { kind: 'limit', why: `the provider allows one refund of an order per ${Math.round(limits.minIntervalMs / 1000)} s; send it again in ${wait} s` };
  }
  const stored: Refund = { ...refund, status: 'PENDING' };
  return { kind: 'accepted', refund: stored, change: { order: withRefunds(order, [...refunds, stored]), lines: [line] } };
}

export function findRefund(order: Order, refundNo: string): Refund | undefined {
  return (order.refunds ?? []).find((r) => r.refundNo === refundNo);
}

/** The order with one refund changed by `patch` (sums and status recomputed). */
export function patchRefund(order: Order, refundNo: string, patch: (r: Refund) => Refund): Order {
  return withRefunds(order, (order.refunds ?? []).map((r) => (r.refundNo === refundNo ? patch(r) : r)));
}

export type SettleSource = 'answer' | 'notification' | 'query' | 'operator';

/**
 * PENDING → SUCCEEDED or FAILED, once; a signed success for a refund recorded FAILED is applied
 * too (the money moved): the sums follow and the order is marked for a person. Returns null
 * when the refund's state table does not allow the change (already settled that way).
 */
export function settle(order: Order, refundNo: string, to: 'SUCCEEDED' | 'FAILED', now: number, source: SettleSource, details: { reason?: string; providerRef?: string; extra?: Record<string, unknown> } = {}): Change | null {
  const refund = findRefund(order, refundNo);
  if (!refund || !REFUND_ALLOWED_FROM[to].includes(refund.status)) return null;
  const was = refund.status;
  let next = patchRefund(order, refundNo, (r) => {
    const settled: Refund = { ...r, status: to, updatedAt: now, settledAt: now };
    delete settled.check;
    delete settled.attention;
    delete settled.sendingSince;
    if (to === 'FAILED' && details.reason !== undefined) settled.statusReason = details.reason;
    if (to === 'SUCCEEDED') delete settled.statusReason;
    if (details.providerRef !== undefined) settled.providerRef = details.providerRef;
    return settled;
  });
  const lines: TimelineEntry[] = [{ type: 'refund_settled', detail: { refundNo, from: was, to, source, ...(details.reason !== undefined ? { reason: details.reason } : {}), ...details.extra } }];
  if (was === 'FAILED') {
    next = { ...next, attention: `refund ${refundNo} was recorded FAILED, then ${source === 'operator' ? 'an operator' : 'the provider'} reported it succeeded: the money went back; check the order's goods and books` };
    lines.push({ type: 'attention', detail: { about: 'refund', refundNo, why: 'succeeded after it was recorded FAILED' } });
  }
  if (next.status !== order.status) lines.push({ type: 'status_changed', detail: { from: order.status, to: next.status, source: 'refund', refundNo } });
  // The order itself needs a person only while one of its refunds does (or for its own reasons).
  return { order: clearRefundAttention(next, order), lines };
}

/** Drops the order's attention mark when it was only about refunds that no longer need one. */
function clearRefundAttention(next: Order, before: Order): Order {
  if (next.attention === undefined || next.attention !== before.attention) return next;
  const stillNeeded = (next.refunds ?? []).some((r) => r.status === 'PENDING' && r.attention !== undefined);
  if (!stillNeeded && next.attention.startsWith('refund ') && next.attention.includes('needs a person')) {
    const cleared = { ...next };
    delete cleared.attention;
    return cleared;
  }
  return next;
}

/** What the engine knows when a refund is held: how it can be settled later, and what was said. */
export interface HoldContext {
  /** The provider's name as people know it (for the attention text). */
  providerName: string;
  /** It has a refund query. */
  canQuery: boolean;
  /** Its refund number may be sent again (documented unique). */
  canResend: boolean;
  /** `received`: the provider documented that it has the request; `unconfirmed`: maybe not. */
  delivery: 'received' | 'unconfirmed';
  /** Why a person must look whatever happens (the provider said so, or its answer did not match). */
  attention?: string;
  providerRef?: string;
  /** What held it: an answer or callback (the first check is RECONCILE_AFTER_MINUTES later) or a check (backs off). */
  source: SettleSource | 'check';
  afterMs: number;
  /** How an amount is written in the attention text. */
  money: (amount: number, currency: string) => string;
}

/**
 * A PENDING refund that nothing settled this time: its next check (the first one after an
 * answer, backed off after a check, up to its bound), or, where nothing automatic can settle
 * it, a person (the refund and its order marked, the check removed). Pure.
 */
export function hold(order: Order, refund: Refund, now: number, ctx: HoldContext): Change {
  let why = ctx.attention;
  if (!why && !ctx.canQuery && !(ctx.canResend && ctx.delivery === 'unconfirmed')) {
    why = `${ctx.providerName} publishes no refund query${ctx.canResend ? '' : ' and its refund number is not documented as safe to send twice'}`;
  }
  const next = patchRefund(order, refund.refundNo, (r) => {
    const held: Refund = { ...r, delivery: ctx.delivery, updatedAt: now };
    delete held.sendingSince;
    if (ctx.providerRef !== undefined) held.providerRef = ctx.providerRef;
    const amount = ctx.money(r.amount, r.currency);
    if (why) {
      held.attention = `confirm refund ${r.refundNo} (${amount}) in ${ctx.providerName}'s portal, then settle it (resolveRefund): ${why}`;
      delete held.check;
      return held;
    }
    // The first check follows the first answer by RECONCILE_AFTER_MINUTES; checks (and the
    // re-sends they make, already backed off when claimed) back off, up to the bound.
    const check = r.check ?? firstCheck(now, ctx.afterMs);
    if (ctx.source === 'query' || ctx.source === 'check') held.check = backOff(check, now);
    else if (check.attempt === 0) held.check = { ...check, at: Math.min(check.at ?? Infinity, now + ctx.afterMs) };
    else held.check = check;
    if (held.check.at === undefined) held.attention = `refund ${r.refundNo} (${amount}) is still not settled after ${held.check.attempt} checks: confirm it in ${ctx.providerName}'s portal, then settle it (resolveRefund)`;
    return held;
  });
  const after = findRefund(next, refund.refundNo) as Refund;
  if (after.attention !== undefined && refund.attention === undefined) {
    return {
      order: { ...next, attention: `refund ${refund.refundNo} needs a person: ${after.attention}` },
      lines: [{ type: 'attention', detail: { about: 'refund', refundNo: refund.refundNo, why: after.attention } }],
    };
  }
  return { order: next, lines: [] };
}
