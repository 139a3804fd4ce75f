/**
 * Refunds in the domain. A refund has its own number (`refundNo`, the merchant's key: unique,
 * sent to the provider as its refund reference), an amount in minor units of the order's
 * currency, a reason and a status; it lives inside its order's document (./order.ts).
 *
 *   PENDING ──(documented success: answer, signed callback, query; or a person)──▶ SUCCEEDED
 *   PENDING ──(documented refusal: answer, signed callback, query; or a person)──▶ FAILED
 *   FAILED  ──(a signed success after all: the money moved)─────────────────────▶ SUCCEEDED (+ attention)
 *
 * Anything else (uncertain) leaves it PENDING with its amount held (./refund-sums.ts).
 */
import { randomInt } from 'node:crypto';
import type { PublicRefund, RefundStatus } from '../contract/wire';
import type { Currency } from '../core/money';
import type { OrderStatus } from '../contract/wire';
import type { CheckSchedule } from './check';

export type { PublicRefund, RefundStatus } from '../contract/wire';

/** Only these orders can be refunded. */
export const REFUNDABLE_STATUSES: readonly OrderStatus[] = ['PAID', 'PARTIALLY_REFUNDED'];

/** Which refund statuses each may be entered from (the refund's state table). */
export const REFUND_ALLOWED_FROM: Readonly<Record<RefundStatus, readonly RefundStatus[]>> = {
  PENDING: [],
  // A FAILED refund whose money moved after all (a signed success): the money decides.
  SUCCEEDED: ['PENDING', 'FAILED'],
  FAILED: ['PENDING'],
};

/**
 * Where the refund request stands between us and the provider:
 * - `sending`: claimed for sending at `sendingSince`; if we died there, it may never have left;
 * - `unconfirmed`: sent, but the answer said nothing we can rely on (unreadable, lost, 5xx):
 *   the provider may or may not have it;
 * - `received`: the provider answered in a documented way: it has the request.
 */
export type RefundDelivery = 'sending' | 'unconfirmed' | 'received';

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
  delivery?: RefundDelivery;
  /** While `sending`: when the send was claimed (a lease: never two sends at once). */
  sendingSince?: number;
  /** Requests sent to the provider with this number. */
  sends?: number;
  /** While PENDING: the next automatic check (absent: nothing automatic will settle it). */
  check?: CheckSchedule;
  /** While PENDING: why a person must settle it (admin resolveRefund). */
  attention?: string;
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
  if (refund.status === 'PENDING' && refund.attention !== undefined) pub.attention = refund.attention;
  if (refund.status === 'PENDING' && refund.check?.at !== undefined) pub.nextCheckAt = refund.check.at;
  return pub;
}

/**
 * A refund number every provider accepts as a reference: `R`, 14 digits of UTC time, 9
 * random digits (24 characters; one in a billion to collide within a second, and a
 * collision is refused, never merged).
 */
export function newRefundNo(now: number): string {
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/[-T:]/g, '');
  return `R${stamp}${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
}
