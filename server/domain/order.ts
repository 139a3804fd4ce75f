/**
 * An order as the domain knows it: one document holding the payment, its refunds (at most
 * MAX_REFUNDS_PER_ORDER, as WeChat Pay allows) and the newest lines of its timeline, so that
 * everything that must change together changes in one atomic write in either store. The
 * state table (ALLOWED_FROM) says which statuses each status may be entered from; the pure
 * functions in ./payment-state.ts and ./refund-state.ts are the only ones that change an order.
 */
import type { OrderLine, OrderStatus, PublicOrder } from '../contract/wire';
import type { Currency } from '../core/money';
import type { CheckSchedule } from './check';
import type { Refund } from './refund';
import type { EventType, TimelineLine } from './timeline';

export type { OrderLine, OrderStatus, PublicOrder } from '../contract/wire';
export type { CheckSchedule } from './check';
export type { EventType } from './timeline';

/** A provider id from the descriptor list (server/providers/index.ts). */
export type ProviderName = string;

/** Every status (their meaning is in server/contract/wire.ts). */
export const ORDER_STATUSES: readonly OrderStatus[] = ['CREATED', 'PAYING', 'PAID', 'FAILED', 'CLOSED', 'PARTIALLY_REFUNDED', 'REFUNDED'];

/** Statuses a payment is still open in: the provider may still report it paid, failed or closed. */
export const OPEN_STATUSES: readonly OrderStatus[] = ['CREATED', 'PAYING'];

/** Which statuses each status may be entered from. Every state change is checked against this. */
export const ALLOWED_FROM: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  CREATED: [],
  PAYING: ['CREATED'],
  // A notification can overtake our own write of PAYING, so PAID is allowed from CREATED too.
  // FAILED and CLOSED too: a verified paid report is final whatever we concluded before (a late
  // payment wins, and the order is marked for a person's attention). Nothing leaves PAID but refunds.
  PAID: ['CREATED', 'PAYING', 'FAILED', 'CLOSED'],
  FAILED: ['CREATED', 'PAYING'],
  CLOSED: ['CREATED', 'PAYING'],
  // Entered only by settling refunds (./refund-state.ts), from the sums of the order's refunds.
  PARTIALLY_REFUNDED: ['PAID'],
  REFUNDED: ['PAID', 'PARTIALLY_REFUNDED'],
};

/** Statuses only refunds move an order into. */
export const REFUND_STATUSES: readonly OrderStatus[] = ['PARTIALLY_REFUNDED', 'REFUNDED'];

/** At most this many refunds of one order (WeChat Pay's limit; the others document none lower). */
export const MAX_REFUNDS_PER_ORDER = 50;

/** An order number or provider reference as we accept it from outside: letters, digits, _ and -. */
export function isReference(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9A-Za-z_-]{1,64}$/.test(value);
}

export interface Order {
  orderNo: string;
  openid: string;
  provider: ProviderName;
  status: OrderStatus;
  /** Minor units. */
  amount: number;
  currency: Currency;
  description: string;
  items: OrderLine[];
  /** The provider's own reference for the payment (from its create answer or a verified report). */
  providerRef?: string;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  paidAt?: number;
  /** Why the order is FAILED or CLOSED, in words a person can read. */
  statusReason?: string;
  /** Set when a person must look at the order (a late payment, a refund nothing can settle...), saying why. */
  attention?: string;
  /** Notifications that were refused (bad signature...) or were duplicates: counted, only the first few recorded. */
  refusedNotifications?: number;
  duplicateNotifications?: number;
  /** Minor units refunded by SUCCEEDED refunds (kept equal to refundSums(order).refunded). */
  refundedAmount?: number;
  /** Minor units held by PENDING refunds (kept equal to refundSums(order).pending). */
  pendingRefundAmount?: number;
  /** The order's refunds, oldest first (at most MAX_REFUNDS_PER_ORDER). */
  refunds?: Refund[];
  /** The payment's next check by reconcile (absent once nothing is left to ask). */
  check?: CheckSchedule;
  /** When the provider was last asked about the payment on a shopper's behalf (refresh is rate-limited). */
  askedAt?: number;
  /** The newest lines of the order's timeline, oldest first (./timeline.ts keeps them bounded). */
  timeline?: TimelineLine[];
  /** Lines no longer kept. */
  olderLines?: number;
}

export function toPublicOrder(order: Order): PublicOrder {
  const pub: PublicOrder = {
    orderNo: order.orderNo,
    status: order.status,
    amount: order.amount,
    currency: order.currency,
    provider: order.provider,
    description: order.description,
    items: order.items,
    createdAt: order.createdAt,
    expiresAt: order.expiresAt,
  };
  if (order.paidAt !== undefined) pub.paidAt = order.paidAt;
  if (order.statusReason !== undefined) pub.statusReason = order.statusReason;
  pub.refundedAmount = order.refundedAmount ?? 0;
  return pub;
}

/** One line of an order's timeline: what happened, when, and the details (never a secret). */
export interface OrderEvent {
  orderNo: string;
  at: number;
  type: EventType;
  detail: Record<string, unknown>;
  repeats?: number;
  lastAt?: number;
}
