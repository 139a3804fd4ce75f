/**
 * Where orders live. An order is one document (server/domain/order.ts) holding its payment,
 * its refunds and the newest lines of its timeline; the stores only persist it. Every change
 * is a compare-and-set on the document's revision (`rev`): read, compute the next document
 * with the domain's pure functions, write it only if nobody wrote in between — one atomic
 * single-document write in either store, so a refund's reservation and the order's sums, a
 * refund's settlement and the order's refunded amount, and the timeline line that describes
 * them can never be half-written. Two implementations share this interface and one contract
 * suite (test/store/contract.ts): SQLite (store/sqlite/) and the CloudBase database
 * (store/cloudbase/).
 */
import type { Order, OrderStatus } from '../domain/order';

/** An order as stored, with the revision a compare-and-set must name. */
export interface StoredOrder extends Order {
  rev: number;
}

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
  /** Stores a new order (rev 1). Throws ConflictError('DUPLICATE_ORDER') if the orderNo exists. */
  insert(order: Order): Promise<void>;
  get(orderNo: string): Promise<StoredOrder | null>;
  /**
   * Replaces the order with `next` if, and only if, its revision is still `rev`: one atomic
   * write. Of any number of concurrent callers naming the same revision, exactly one gets
   * `true`. (SQLite also refuses, with ConflictError('REFUND_CONFLICT'), a refund number in
   * `next` that another order holds; on CloudBase the claim below is what keeps them unique.)
   */
  replace(next: Order, rev: number): Promise<boolean>;
  /** The order a provider knows by its own reference (a cashier scheme URL carries it), if any. */
  findByProviderRef(provider: string, providerRef: string): Promise<StoredOrder | null>;
  /** The shopper's own orders, newest first. */
  listByOpenid(openid: string, limit: number): Promise<StoredOrder[]>;
  /** Any shopper's orders, newest first (createdAt, then orderNo, descending), after `after`. */
  listOrders(filter: OrderFilter, limit: number, after?: OrderCursor): Promise<StoredOrder[]>;
  /** Orders with something due for reconcile at or before `now` (domain/schedule.ts dueAt), oldest due first. */
  listDue(now: number, limit: number): Promise<StoredOrder[]>;
}

/** The refunds' side of the same documents: finding a refund by its number. */
export interface RefundStore {
  /** The order holding refund `refundNo`, if any. */
  findByRefundNo(refundNo: string): Promise<StoredOrder | null>;
  /**
   * Claims a refund number for an order before a refund with it is written: `true` when it is
   * now (or already was) this order's, `false` when another order holds it. A claim whose
   * refund was never written costs nothing: the number simply stays this order's.
   */
  claimRefundNumber(refundNo: string, orderNo: string): Promise<boolean>;
}

export type Store = OrderStore & RefundStore;
