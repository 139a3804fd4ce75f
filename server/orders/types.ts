import type { OrderLine, OrderStatus, PublicOrder } from '../contract/wire';
import type { Currency } from '../core/money';

export type { OrderLine, OrderStatus, PublicOrder } from '../contract/wire';

/** A provider id from the descriptor list (server/providers/index.ts). */
export type ProviderName = string;

/** Every status (their meaning is in server/contract/wire.ts). */
export const ORDER_STATUSES: readonly OrderStatus[] = ['CREATED', 'PAYING', 'PAID', 'FAILED', 'CLOSED', 'PARTIALLY_REFUNDED', 'REFUNDED'];
export const FINAL_STATUSES: readonly OrderStatus[] = ['PAID', 'FAILED', 'CLOSED'];

/** Which statuses each status may be entered from. Every state change is checked against this. */
export const ALLOWED_FROM: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  CREATED: [],
  PAYING: ['CREATED'],
  // A notification can overtake our own write of PAYING, so PAID is allowed from CREATED too.
  // CLOSED too: if the provider says money moved after we closed an expired order, it did.
  // FAILED and CLOSED too: a verified paid report is final whatever we concluded before (a late
  // payment wins, and the order is marked for a person's attention). Nothing leaves PAID but refunds.
  PAID: ['CREATED', 'PAYING', 'FAILED', 'CLOSED'],
  FAILED: ['CREATED', 'PAYING'],
  CLOSED: ['CREATED', 'PAYING'],
  PARTIALLY_REFUNDED: ['PAID'],
  REFUNDED: ['PAID', 'PARTIALLY_REFUNDED'],
};

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
  /** Set when a person must look at the order (a payment after it failed or closed...), saying why. */
  attention?: string;
  /** Notifications that were refused (bad signature...) or were duplicates: counted, only the first few recorded. */
  refusedNotifications?: number;
  duplicateNotifications?: number;
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
  return pub;
}

/** One line of an order's timeline: what happened, when, and the details (never a secret). */
export interface OrderEvent {
  orderNo: string;
  at: number;
  type:
    | 'created'
    | 'provider_request'
    | 'provider_response'
    | 'provider_error'
    | 'notification'
    | 'status_changed'
    | 'query';
  detail: Record<string, unknown>;
}
