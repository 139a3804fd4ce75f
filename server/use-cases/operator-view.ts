/** What an operator sees of orders, refunds and timelines (wire shapes in server/contract/wire.ts). */
import type { AdminOrder, TimelineLine } from '../contract/wire';
import { CURRENCY_DECIMALS } from '../core/money';
import { mask } from '../core/strings';
import { toPublicOrder, type Order } from '../domain/order';
import type { TimelineLine as DomainLine } from '../domain/timeline';

/** Any shopper's order, with the payer's openid masked. */
export function toAdminOrder(order: Order): AdminOrder {
  const view: AdminOrder = { ...toPublicOrder(order), decimals: CURRENCY_DECIMALS[order.currency], openid: mask(order.openid), updatedAt: order.updatedAt };
  if (order.attention !== undefined) view.attention = order.attention;
  if (order.providerRef !== undefined) view.providerRef = order.providerRef;
  return view;
}

export function toTimelineLine(line: DomainLine): TimelineLine {
  const out: TimelineLine = { at: line.at, type: line.type, detail: line.detail };
  if (line.repeats !== undefined) out.repeats = line.repeats;
  if (line.lastAt !== undefined) out.lastAt = line.lastAt;
  return out;
}
