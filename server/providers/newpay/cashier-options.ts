/**
 * NewPay's Converge cashier options (seeds/newpay-4.1): the pay methods and channels it
 * offers, and Alipay's extra rules. Checked before the login code is spent.
 */
import { ValidationError } from '../../core/errors';
import type { CashierOrderOptions } from '../types';

export const CASHIER_PAY_METHODS = ['newpay', 'visa', 'wechat', 'alipay'] as const;
export type CashierPayMethod = (typeof CASHIER_PAY_METHODS)[number];
export const CASHIER_CHANNELS = ['web', 'mobile'] as const;
export type CashierChannel = (typeof CASHIER_CHANNELS)[number];

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(field, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function newpayCashierOptions(input: Readonly<Record<string, unknown>>): CashierOrderOptions {
  const payMethod = oneOf('payMethod', input.payMethod, CASHIER_PAY_METHODS);
  const channel = oneOf('channel', input.channel ?? 'web', CASHIER_CHANNELS);
  for (const field of ['subject', 'extra'] as const) {
    const v = input[field];
    if (v !== undefined && (typeof v !== 'string' || v.length > 256)) throw new ValidationError(field, 'must be a string of at most 256 characters');
  }
  const subject = input.subject as string | undefined;
  const extra = input.extra as string | undefined;
  if (payMethod === 'alipay') {
    // Alipay needs a subject to show, and `extra` naming the shopper's platform.
    if (!subject) throw new ValidationError('subject', 'is required for Alipay');
    if (!/ANDROID|IOS/i.test(extra ?? '')) throw new ValidationError('extra', 'must name ANDROID or IOS for Alipay');
  }
  return { payMethod, channel, ...(subject !== undefined ? { subject } : {}), ...(extra !== undefined ? { extra } : {}) };
}
