/**
 * NewPay's scheme-URL cashier (pages/newpay-cashier): NewPay opens the mini program with its
 * own order number, `newpayOrderNo`; cashierPayment turns it into WeChat Pay parameters, and
 * our `order` where the server knows it (its amount to show, its orderNo to poll).
 */
import { callPay } from '../backend';
import { providerInfo } from '../shop';
import type { Order, PaymentParams } from '../types';
import { login, paymentCodes, requestPayment, type PaymentOutcome } from '../wechat';
import type { NextCode } from '../orders';

export const PROVIDER = 'newpay';

export interface PreparedPayment {
  order?: Order;
  /** Opens WeChat Pay; after cancel or fail the same parameters can be used again. */
  pay(): Promise<PaymentOutcome>;
}

export type PrepareResult = { kind: 'ready'; payment: PreparedPayment } | { kind: 'error'; code: string };

export async function prepareNewpayOrder(newpayOrderNo: string, next: NextCode = login): Promise<PrepareResult> {
  const codes = await paymentCodes(providerInfo(PROVIDER).needsPayCode, next);
  if (!codes) return { kind: 'error', code: 'LOGIN_FAILED' };
  // The field that carries NewPay's order number, as the server names it.
  const refField = providerInfo(PROVIDER).cashierRefField ?? 'newpayOrderNo';
  const reply = await callPay<{ payment: PaymentParams; order?: Order }>({ action: 'cashierPayment', provider: PROVIDER, [refField]: newpayOrderNo, ...codes });
  if (!reply.ok) return { kind: 'error', code: reply.error.code };
  const params = reply.payment;
  return { kind: 'ready', payment: { ...(reply.order ? { order: reply.order } : {}), pay: () => requestPayment(params) } };
}
