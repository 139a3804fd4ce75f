/**
 * Latipay refunds (Latipay/latipay.github.io `src/v2/latipay-hosted-online.md` §5–6):
 * `POST {apiBase}/refund` (the documented path has no `/v2`; the omnipay-latipay library posts
 * to `/v2/refund`: we use the documented one), JSON
 * `{user_id, order_id (Latipay's order id: the order's providerRef), refund_amount (decimal
 * string), reference (our refundNo), signature}`, signed by the sorted-fields rule.
 * The answer is `{code, message}`: code 0 means the refund is done. No refund notification
 * and no refund query are documented, so the answer is the result: 0 → SUCCEEDED, a refusal
 * code → FAILED, no answer (timeout, 5xx) → stays PENDING and reconcile marks it for a person.
 */
import { asRecord, fieldText } from '../../core/json';
import { ProviderError } from '../../core/errors';
import { parseJsonBody, type HttpSend } from '../../core/http';
import { toDecimalString } from '../../core/money';
import type { RefundInput, RefundReport } from '../types';
import type { LatipayConfig } from './config';
import { LATIPAY_ERRORS } from './errors';
import { signRequest } from './signature';

const PROVIDER = 'latipay';

export function refundFields(config: Pick<LatipayConfig, 'userId'>, input: RefundInput): Record<string, string> {
  const orderId = input.order.providerRef;
  if (!orderId) {
    throw new ProviderError(PROVIDER, `order ${input.order.orderNo} has no Latipay order_id, so Latipay cannot be asked to refund it; refund it in the Latipay portal`);
  }
  return {
    user_id: config.userId,
    order_id: orderId,
    refund_amount: toDecimalString({ amount: input.refund.amount, currency: input.refund.currency }),
    reference: input.refund.refundNo,
  };
}

export async function latipayRefund(config: LatipayConfig, http: HttpSend, timeoutMs: number, input: RefundInput): Promise<RefundReport> {
  const fields = refundFields(config, input);
  const response = await http({
    method: 'POST',
    url: `${config.apiBase}/refund`,
    headers: { 'Content-Type': 'application/json;charset=UTF-8' },
    body: JSON.stringify({ ...fields, signature: signRequest(fields, config.apiKey) }),
    timeoutMs,
    // Not retried: a refund is not known to be idempotent at Latipay.
  });
  const json = asRecord(parseJsonBody(PROVIDER, response));
  const code = fieldText(json, 'code');
  const message = fieldText(json, 'message');
  if (response.status < 400 && code === '0') {
    return { refundNo: input.refund.refundNo, outcome: 'succeeded', summary: `code=0 refund_amount=${fields.refund_amount}${message ? ` message=${message}` : ''}` };
  }
  // Codes from Latipay's error-code page (LATIPAY_ERRORS; 550–562 are the refund refusals).
  const known = LATIPAY_ERRORS[code];
  const words = `refused the refund: ${known ?? (message || `HTTP ${response.status}`)}${code ? ` (code ${code})` : ''}${known && message ? `: ${message}` : ''}`;
  throw new ProviderError(PROVIDER, words, { ...(code ? { providerCode: code } : {}), httpStatus: response.status, retryable: response.status >= 500 });
}
