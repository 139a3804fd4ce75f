/**
 * A shopper cancels their own unpaid order (the `pay` function's `cancelOrder`). The order
 * is CLOSED with a conditional update from CREATED or PAYING only, so a payment applied in
 * the meantime is never undone. Closing does not decide the money: a verified paid report that
 * arrives later still wins (the store lets PAID follow CLOSED, and settlement flags it for a
 * person). Where the provider's adapter can close a payment (an optional `closePayment`), it
 * is asked first; none of today's adapters can, so for them the order is closed here only and
 * the provider's own order expires on its side.
 */
import { ConflictError } from '../core/errors';
import type { Logger } from '../core/log';
import type { OrderStore } from '../orders/store';
import { toPublicOrder, type Order, type OrderStatus, type PublicOrder } from '../orders/types';
import type { ProviderRegistry } from '../providers/registry';

const CANCELLABLE_FROM: readonly OrderStatus[] = ['CREATED', 'PAYING'];
const PAID: readonly OrderStatus[] = ['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED'];

/** An adapter that can close a payment at the provider implements this (optional). */
interface ClosesPayments {
  closePayment(order: Order): Promise<void>;
}

function canClose(adapter: unknown): adapter is ClosesPayments {
  return typeof (adapter as Partial<ClosesPayments>).closePayment === 'function';
}

export interface CancelDeps {
  store: OrderStore;
  providers: ProviderRegistry;
  log: Logger;
  now: () => number;
}

/** `order` is the caller's own (ShopperOrders.getOwn). Returns the order as it now stands. */
export async function cancelOwnOrder(deps: CancelDeps, order: Order): Promise<PublicOrder> {
  if (PAID.includes(order.status)) throw new ConflictError('ORDER_ALREADY_PAID', `order ${order.orderNo} is paid; it cannot be cancelled (ask the shop for a refund)`);
  if (!CANCELLABLE_FROM.includes(order.status)) return toPublicOrder(order); // already CLOSED or FAILED: nothing to do
  const adapter = deps.providers.get(order.provider)?.adapter;
  let closedAtProvider = false;
  if (adapter && canClose(adapter)) {
    try {
      await adapter.closePayment(order);
      closedAtProvider = true;
    } catch (e) {
      // Not a reason to keep the order open: a payment that went through anyway still wins.
      deps.log.warn('cancelOrder: the provider did not confirm the close', { orderNo: order.orderNo, error: e instanceof Error ? e.message : String(e) });
    }
  }
  await deps.store.transition(order.orderNo, 'CLOSED', { statusReason: 'cancelled by the shopper', from: CANCELLABLE_FROM }, deps.now(), [
    { type: 'status_changed', detail: { from: order.status, to: 'CLOSED', reason: 'cancelled', source: 'shopper', closedAtProvider } },
  ]);
  const after = (await deps.store.get(order.orderNo)) ?? order;
  if (PAID.includes(after.status)) throw new ConflictError('ORDER_ALREADY_PAID', `order ${order.orderNo} was paid meanwhile; it cannot be cancelled`);
  return toPublicOrder(after);
}
