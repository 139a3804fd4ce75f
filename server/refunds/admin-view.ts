/** What an operator sees of orders, refunds and timelines (wire shapes in server/contract/wire.ts). */
import type { AdminOrder, TimelineLine } from '../contract/wire';
import { CURRENCY_DECIMALS } from '../core/money';
import { mask } from '../core/strings';
import { toPublicOrder, type Order, type OrderEvent } from '../orders/types';

/** Any shopper's order, with the payer's openid masked. */
export function toAdminOrder(order: Order): AdminOrder {
  const view: AdminOrder = { ...toPublicOrder(order), decimals: CURRENCY_DECIMALS[order.currency], openid: mask(order.openid), updatedAt: order.updatedAt };
  if (order.attention !== undefined) view.attention = order.attention;
  if (order.providerRef !== undefined) view.providerRef = order.providerRef;
  return view;
}

export function toTimelineLine(event: OrderEvent): TimelineLine {
  return { at: event.at, type: event.type, detail: event.detail };
}
