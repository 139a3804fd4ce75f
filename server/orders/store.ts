/**
 * Where orders and their timelines live. Two implementations share this interface and one
 * contract suite (test/store/contract.ts): SQLite for the local stack and self-hosting,
 * the CloudBase database in WeChat's cloud.
 */
import type { AcceptRefundResult, Refund, RefundSettlePatch } from '../refunds/types';
import { ALLOWED_FROM, type Order, type OrderEvent, type OrderStatus } from './types';

/** Fields a state change may set alongside the new status. */
export interface TransitionPatch {
  providerRef?: string;
  paidAt?: number;
  statusReason?: string;
  /** Marks the order for a person's attention, saying why (a late payment, an unconfirmed close). */
  attention?: string;
  /**
   * Restricts the statuses the change may come from to these (each must be in
   * ALLOWED_FROM[to]); lets a caller tell an ordinary payment from a late one.
   */
  from?: readonly OrderStatus[];
}

/** Notifications that changed nothing, counted per order so that floods cost no storage. */
export type UnappliedNotification = 'refused' | 'duplicate';

/** A timeline line written together with a state change; stamped with its orderNo and time. */
export type TimelineEntry = Pick<OrderEvent, 'type' | 'detail'>;

/** Filters of the operators' order listing (admin listOrders). */
export interface OrderFilter {
  status?: OrderStatus;
  provider?: string;
  /** true: only orders marked for attention. */
  attention?: boolean;
}

/** Where a page of the newest-first listing continues: strictly after this order. */
export interface OrderCursor {
  createdAt: number;
  orderNo: string;
}

export interface OrderStore {
  /**
   * Stores a new order, and its first timeline lines (stamped `order.createdAt`) with it.
   * Throws ConflictError('DUPLICATE_ORDER') if the orderNo exists.
   */
  insert(order: Order, timeline?: readonly TimelineEntry[]): Promise<void>;
  get(orderNo: string): Promise<Order | null>;
  /** The order a provider knows by its own reference (a cashier scheme URL carries it), if any. */
  findByProviderRef(provider: string, providerRef: string): Promise<Order | null>;
  /** The shopper's own orders, newest first. */
  listByOpenid(openid: string, limit: number): Promise<Order[]>;
  /** Every order, newest first (developer console). */
  listRecent(limit: number): Promise<Order[]>;
  /** Orders in `statuses` last changed before `updatedBefore` (reconciliation), oldest first. */
  listStale(statuses: readonly OrderStatus[], updatedBefore: number, limit: number): Promise<Order[]>;
  /** FAILED orders last changed in [updatedAfter, updatedBefore), newest first (reconcile rechecks them). */
  listRecentlyFailed(updatedAfter: number, updatedBefore: number, limit: number): Promise<Order[]>;
  /**
   * Moves the order to `to` if, and only if, its current status is one `to` may be entered
   * from (ALLOWED_FROM). A single conditional update: of any number of concurrent callers
   * at most one gets `true`. Returns whether this call changed the order.
   * `timeline` lines (stamped `now`) are written only when this call changed the order, in
   * the same transaction where the store has one (SQLite): one durable commit per change.
   */
  transition(orderNo: string, to: OrderStatus, patch: TransitionPatch, now: number, timeline?: readonly TimelineEntry[]): Promise<boolean>;
  /** Records the provider's reference without changing the status. */
  setProviderRef(orderNo: string, providerRef: string, now: number): Promise<void>;
  appendEvent(event: OrderEvent): Promise<void>;
  /**
   * Counts one more notification of `kind` that changed nothing, without touching
   * `updatedAt`; returns the order's new count (0 when there is no such order).
   */
  countUnapplied(orderNo: string, kind: UnappliedNotification): Promise<number>;
  /** The order's timeline, oldest first. */
  listEvents(orderNo: string): Promise<OrderEvent[]>;

  /** Sets (replaces) the order's attention mark without changing its status. */
  markAttention(orderNo: string, attention: string, now: number): Promise<void>;
  /** Any shopper's orders, newest first (createdAt, then orderNo, descending), after `after`. */
  listOrders(filter: OrderFilter, limit: number, after?: OrderCursor): Promise<Order[]>;

  // --- Refunds (server/refunds/types.ts) ---
  /**
   * Stores `refund` (PENDING) and reserves its amount on the order, atomically with the checks:
   * the order exists, is PAID or PARTIALLY_REFUNDED, and amount ≤ paid − refunded − pending.
   * A refundNo that exists answers `existing` (same order and amount) or `conflict`, and
   * reserves nothing. Of any number of concurrent calls for the last of the remainder, exactly
   * one is `accepted`. `timeline` lines are written only when accepted.
   */
  acceptRefund(refund: Refund, timeline?: readonly TimelineEntry[]): Promise<AcceptRefundResult>;
  /**
   * PENDING → `to`, once: SUCCEEDED moves the amount from pending to refunded and the order
   * to PARTIALLY_REFUNDED or REFUNDED; FAILED gives it back to what remains. Returns whether
   * this call settled it; `timeline` lines are written only then.
   */
  settleRefund(refundNo: string, to: 'SUCCEEDED' | 'FAILED', patch: RefundSettlePatch, now: number, timeline?: readonly TimelineEntry[]): Promise<boolean>;
  /** Records the provider's refund reference without settling. */
  setRefundProviderRef(refundNo: string, providerRef: string, now: number): Promise<void>;
  getRefund(refundNo: string): Promise<Refund | null>;
  /** An order's refunds, oldest first. */
  listRefunds(orderNo: string): Promise<Refund[]>;
  /** PENDING refunds last changed before `updatedBefore`, oldest first (reconcile). */
  listPendingRefunds(updatedBefore: number, limit: number): Promise<Refund[]>;
}

/** The statuses a change to `to` may come from: ALLOWED_FROM, narrowed by `only` when given. */
export function allowedFrom(to: OrderStatus, only?: readonly OrderStatus[]): OrderStatus[] {
  const allowed = ALLOWED_FROM[to];
  return only ? allowed.filter((s) => only.includes(s)) : [...allowed];
}
