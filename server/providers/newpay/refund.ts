/**
 * NewPay refunds, v1 (gitbook `4.-apis-v1-deprecated/4.3.-common-apis/4.3.2-refund`;
 * pre-lnp-openapi.newpay.la `.../413-refund.html`): `POST {apiBase}/api/open/converge/pay/v1/
 * refund`, header `version: 1.0`, signed fields `appId, merchantId, timestamp, sign,
 * refundOrderAmt, orderNo, refundOrderNo (our refundNo), refundDesc, callBackUrl`. The answer's
 * `data` (signed with the platform key, verified) carries `tranStatus` (1 success, 0 failure),
 * `refundOrderAmt`, `newpayRefundOrderNo`.
 *
 * Choices where the docs are silent or disagree:
 * - The answer's tranStatus is documented as the refund's result (success / failure), in
 *   signed data: 1 → SUCCEEDED, 0 → FAILED. Anything else (none documented) → PENDING, to be
 *   settled by the refund callback. A lost answer (timeout, 5xx) also stays PENDING.
 * - Refund callback (pre-lnp-openapi.newpay.la `.../8-refund-callback.html`): JSON
 *   `refundOrderAmt, newpayRefundOrderNo, refundOrderNo, transStatus` (+ sign). Its table says
 *   transStatus 1 = success (the opposite of payment callbacks), its example shows
 *   `transStatus: 0` with "Transaction Success". Both readings are handled: the words of
 *   `transInfo` (or `message`) decide when they say success or fail; without them, the table.
 * - The callback goes to the same `<NOTIFY_BASE_URL>/newpay` as payment callbacks; it is told
 *   apart by its body, which carries `refundOrderNo` (payment callbacks never do).
 * - No refund query: v1 documents none. v2 `uniQueryRefund` (by mchRefundNo / newpayRefundNo)
 *   exists on another host (prod-openapi-v2.newpay.la/beta/pay/) with other credentials
 *   (mchId); a PENDING refund is settled by its callback, and reconcile marks refunds pending
 *   too long for a person's attention.
 */
import { fieldText, type JsonObject as Json } from '../../core/json';
import { ProviderError, ValidationError } from '../../core/errors';
import type { InboundNotification, RefundInput, RefundReport } from '../types';
import type { NewPayCurrency } from './config';
import { assertSigned } from './signature';

export const REFUND_PATH = '/api/open/converge/pay/v1/refund';

/** What refund.ts needs of the adapter: its signed body and its verified call. */
export interface NewPayCaller {
  signed(fields: Json): Json;
  call(path: string, body: Json, what: string, verify: 'always' | 'when-signed'): Promise<{ data: Json; timestamp: unknown }>;
  currencyOf(currency: string): NewPayCurrency;
  orderAmt(amount: number, currency: NewPayCurrency): string;
}

export async function newpayRefund(np: NewPayCaller, input: RefundInput): Promise<RefundReport> {
  const { order, refund } = input;
  const currency = np.currencyOf(refund.currency);
  const body = np.signed({
    refundOrderAmt: np.orderAmt(refund.amount, currency),
    orderNo: order.orderNo,
    refundOrderNo: refund.refundNo,
    refundDesc: refund.reason ?? `Refund ${refund.refundNo}`,
    callBackUrl: input.notifyUrl,
  });
  const { data } = await np.call(REFUND_PATH, body, 'refund', 'always');
  const answered = fieldText(data, 'refundOrderNo');
  if (answered !== '' && answered !== refund.refundNo) throw new ProviderError('newpay', 'refund answered about another refund');
  // The docs spell it tranStatus here (transStatus in callbacks): accept either.
  const status = fieldText(data, 'tranStatus') || fieldText(data, 'transStatus');
  const outcome: RefundReport['outcome'] = status === '1' ? 'succeeded' : status === '0' ? 'failed' : 'pending';
  const report: RefundReport = { refundNo: refund.refundNo, outcome, summary: `refund tranStatus=${status || '-'} refundOrderAmt=${fieldText(data, 'refundOrderAmt') || '-'}` };
  if (outcome === 'failed') report.summary = `NewPay refused the refund (tranStatus=0)${fieldText(data, 'message') ? `: ${fieldText(data, 'message')}` : ''}`;
  const amount = fieldText(data, 'refundOrderAmt');
  if (amount !== '') report.decimalAmount = amount;
  const ref = fieldText(data, 'newpayRefundOrderNo');
  if (ref) report.providerRef = ref;
  return report;
}

function parseJsonObject(notification: InboundNotification): Json | undefined {
  try {
    const value: unknown = JSON.parse(notification.rawBody.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** Routing only (never trust): refund callbacks carry refundOrderNo, payment callbacks do not. */
export function isNewPayRefundCallback(notification: InboundNotification): boolean {
  const body = parseJsonObject(notification);
  return body !== undefined && 'refundOrderNo' in body;
}

/** The outcome of a refund callback under both readings the docs give (see the header). */
export function refundCallbackOutcome(transStatus: string, words: string): RefundReport['outcome'] {
  if (/success/i.test(words)) return 'succeeded';
  if (/fail/i.test(words)) return 'failed';
  if (transStatus === '1') return 'succeeded';
  if (transStatus === '0') return 'failed';
  throw new ValidationError('transStatus', `unknown NewPay refund transStatus "${transStatus}"`);
}

export function verifyNewPayRefundCallback(notification: InboundNotification, publicKey: string, appId: string): RefundReport {
  const body = parseJsonObject(notification);
  if (!body) throw new ValidationError('body', 'NewPay refund callback is not a JSON object');
  // Verify before interpreting anything else the body says. Numbers are signed as written.
  assertSigned(body, publicKey, 'NewPay refund callback');
  if (body.appId !== undefined && String(body.appId) !== appId) throw new ValidationError('appId', 'NewPay refund callback is for another application');
  const refundNo = fieldText(body, 'refundOrderNo');
  if (!refundNo) throw new ValidationError('refundOrderNo', 'is missing from the NewPay refund callback');
  const transStatus = fieldText(body, 'transStatus');
  const words = fieldText(body, 'transInfo') || fieldText(body, 'message');
  const outcome = refundCallbackOutcome(transStatus, words);
  const report: RefundReport = {
    refundNo,
    outcome,
    summary: `refund callback transStatus=${transStatus || '-'}${words ? ` transInfo=${words}` : ''} refundOrderAmt=${fieldText(body, 'refundOrderAmt') || '-'}`,
  };
  const amount = fieldText(body, 'refundOrderAmt');
  if (amount !== '') report.decimalAmount = amount;
  const ref = fieldText(body, 'newpayRefundOrderNo');
  if (ref) report.providerRef = ref;
  return report;
}
