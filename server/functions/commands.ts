/**
 * The function boundary: untrusted events become typed commands here, with a
 * ValidationError naming the field for anything malformed. What a value means (is the
 * provider enabled, is the SKU sold) is checked by the services that use it.
 */
import { ValidationError } from '../core/errors';
import { parseCurrency, type Currency } from '../core/money';
import { isReference } from '../domain/order';
import type { CashierOrderCommand, CashierPaymentCommand, OrderCommand } from '../use-cases/commands';

export type { CashierOrderCommand, CashierPaymentCommand, OrderCommand } from '../use-cases/commands';

export type Event = Readonly<Record<string, unknown>>;

function optionalString(event: Event, field: string, hint: string): string | undefined {
  const value = event[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ValidationError(field, hint);
  return value;
}

export function parseProvider(event: Event, required = true): string | undefined {
  const provider = optionalString(event, 'provider', 'must be a provider name');
  if (required && provider === undefined) throw new ValidationError('provider', 'is required');
  return provider;
}

export function parseOptionalCurrency(event: Event): Currency | undefined {
  const raw = event.currency;
  return raw === undefined || raw === null || raw === '' ? undefined : parseCurrency(raw);
}

export function parsePayCode(event: Event): string | undefined {
  return optionalString(event, 'payCode', 'must be a wx.login code string');
}

export function parseOrderCommand(event: Event): OrderCommand {
  const payCode = parsePayCode(event);
  const currency = parseOptionalCurrency(event);
  return {
    provider: parseProvider(event) as string,
    items: event.items,
    ...(currency !== undefined ? { currency } : {}),
    ...(payCode !== undefined ? { payCode } : {}),
  };
}

export function parseCashierOrderCommand(event: Event): CashierOrderCommand {
  const { payCode: _ignored, ...order } = parseOrderCommand(event);
  const options: Record<string, unknown> = {};
  for (const field of ['payMethod', 'channel', 'subject', 'extra']) if (event[field] !== undefined) options[field] = event[field];
  return { ...order, options };
}

export function parseOrderNo(event: Event): string {
  if (!isReference(event.orderNo)) throw new ValidationError('orderNo', 'must be an order number returned by createOrder');
  return event.orderNo;
}

/** listOrders' optional `limit`: a whole number from 1 to 100. */
export function parseListLimit(event: Event): number | undefined {
  const limit = event.limit;
  if (limit === undefined || limit === null) return undefined;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 100) throw new ValidationError('limit', 'must be a whole number from 1 to 100');
  return limit;
}

export function parseRefresh(event: Event): boolean {
  if (event.refresh !== undefined && typeof event.refresh !== 'boolean') throw new ValidationError('refresh', 'must be true or false');
  return event.refresh === true;
}

/**
 * cashierPayment: the order number the provider's scheme URL carried, in the field the
 * provider names it (`refField`, from its descriptor), and payCode.
 */
export function parseCashierPaymentCommand(event: Event, refField: string): CashierPaymentCommand {
  const provider = parseProvider(event, false);
  const ref = event[refField];
  if (!isReference(ref)) throw new ValidationError(refField, 'must be the order number from the scheme URL');
  const payCode = parsePayCode(event);
  if (payCode === undefined || payCode.trim() === '') throw new ValidationError('payCode', 'is required: a second fresh wx.login code that only the provider spends');
  return { providerRef: ref, payCode, ...(provider !== undefined ? { provider } : {}) };
}
