/**
 * The one function that computes an order's refund sums, for both stores and every path:
 * refunded = Σ SUCCEEDED, pending = Σ PENDING (held: may have been paid out), remaining =
 * paid − refunded − pending. An uncertain refund stays PENDING, so its amount can never be
 * refunded a second time until a signed fact or a person settles it.
 */
import type { Order, OrderStatus } from './order';
import type { Refund } from './refund';

export interface RefundSums {
  refunded: number;
  pending: number;
  remaining: number;
}

export function refundSums(order: Pick<Order, 'amount'>, refunds: readonly Refund[]): RefundSums {
  let refunded = 0;
  let pending = 0;
  for (const r of refunds) {
    if (r.status === 'SUCCEEDED') refunded += r.amount;
    else if (r.status === 'PENDING') pending += r.amount;
  }
  return { refunded, pending, remaining: order.amount - refunded - pending };
}

/**
 * The status a paid order has after its refunds: REFUNDED once succeeded refunds reach the
 * paid amount, PARTIALLY_REFUNDED after any, else PAID. Orders never paid keep their status.
 */
export function statusAfterRefunds(order: Pick<Order, 'amount' | 'status'>, sums: RefundSums): OrderStatus {
  if (!['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED'].includes(order.status)) return order.status;
  if (sums.refunded >= order.amount) return 'REFUNDED';
  return sums.refunded > 0 ? 'PARTIALLY_REFUNDED' : 'PAID';
}

/** The order with its refunds replaced and every sum and status that follows from them. */
export function withRefunds(order: Order, refunds: Refund[]): Order {
  const sums = refundSums(order, refunds);
  const next: Order = { ...order, refunds, status: statusAfterRefunds(order, sums) };
  if (sums.refunded > 0) next.refundedAmount = sums.refunded;
  else delete next.refundedAmount;
  if (sums.pending > 0) next.pendingRefundAmount = sums.pending;
  else delete next.pendingRefundAmount;
  return next;
}
