/**
 * The refunds a shopper sees on their own order page (queryOrder's `refunds`): amount,
 * status and times, newest first. Read only for orders that were paid, so polling an unpaid
 * order costs no extra database call.
 */
import type { PublicOrder, PublicRefund } from '../contract/wire';
import type { OrderStore } from '../orders/store';
import { toPublicRefund } from '../refunds/types';

const MAY_HAVE_REFUNDS: readonly PublicOrder['status'][] = ['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED'];

export async function shopperRefunds(store: Pick<OrderStore, 'listRefunds'>, order: PublicOrder): Promise<{ refunds?: PublicRefund[] }> {
  if (!MAY_HAVE_REFUNDS.includes(order.status)) return {};
  const refunds = (await store.listRefunds(order.orderNo)).map(toPublicRefund).sort((a, b) => b.createdAt - a.createdAt);
  return { refunds };
}
