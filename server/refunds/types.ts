/**
 * Refunds in the domain. A refund has its own number (`refundNo`, the merchant's key: unique,
 * sent to the provider as its refund reference), an amount in minor units of the order's
 * currency, a reason, a status and the order's timeline.
 *
 *   PENDING ──(provider answer, refund callback or query)──▶ SUCCEEDED | FAILED
 *
 * The money rules live in the stores' conditional updates (server/orders/*-store.ts):
 *   remaining = paid − succeeded − pending; a refund is accepted only if amount ≤ remaining,
 *   atomically with reserving it as pending; settling moves it from pending to refunded
 *   (SUCCEEDED) or back to remaining (FAILED), exactly once.
 */
import { randomInt } from 'node:crypto';
import type { PublicRefund, RefundStatus } from '../contract/wire';
import type { Currency } from '../core/money';
import type { OrderStatus } from '../orders/types';

export type { PublicRefund, RefundStatus } from '../contract/wire';

/** Only these orders can be refunded. */
export const REFUNDABLE_STATUSES: readonly OrderStatus[] = ['PAID', 'PARTIALLY_REFUNDED'];

export interface Refund {
  refundNo: string;
  orderNo: string;
  provider: string;
  /** Minor units, > 0. */
  amount: number;
  currency: Currency;
  reason?: string;
  status: RefundStatus;
  /** Why it FAILED, in words an operator can act on. */
  statusReason?: string;
  /** The provider's own reference for the refund (from its answer or a verified report). */
  providerRef?: string;
  /** The operator who asked for it, masked. */
  operator?: string;
  createdAt: number;
  updatedAt: number;
  settledAt?: number;
}

/** What an accept attempt found (the store's atomic check-and-reserve). */
export type AcceptRefundResult =
  /** Stored as PENDING, its amount reserved on the order. */
  | { kind: 'accepted'; refund: Refund }
  /** This refundNo exists for the same order and amount: the same refund, nothing new. */
  | { kind: 'existing'; refund: Refund }
  /** This refundNo exists with another order or amount. */
  | { kind: 'conflict'; refund: Refund }
  | { kind: 'not-found' }
  /** The order is not PAID or PARTIALLY_REFUNDED. */
  | { kind: 'not-refundable'; status: OrderStatus }
  /** More than what remains (paid − succeeded − pending). */
  | { kind: 'exceeds'; remaining: number };

/** Fields settling may set. */
export interface RefundSettlePatch {
  statusReason?: string;
  providerRef?: string;
}

export function toPublicRefund(refund: Refund): PublicRefund {
  const pub: PublicRefund = {
    refundNo: refund.refundNo,
    orderNo: refund.orderNo,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status,
    createdAt: refund.createdAt,
    updatedAt: refund.updatedAt,
  };
  if (refund.reason !== undefined) pub.reason = refund.reason;
  if (refund.statusReason !== undefined) pub.statusReason = refund.statusReason;
  if (refund.settledAt !== undefined) pub.settledAt = refund.settledAt;
  return pub;
}

/**
 * A refund number every provider accepts as a reference: `R`, 14 digits of UTC time, 9
 * random digits (24 characters; one in a billion to collide within a second, and a
 * collision is refused by the store's unique key, never merged: see RefundService).
 */
export function newRefundNo(now: number): string {
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/[-T:]/g, '');
  return `R${stamp}${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
}
