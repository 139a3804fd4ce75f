/**
 * Latipay refunds (Latipay/latipay.github.io `src/v2/latipay-hosted-online.md` §5–6):
 * `POST {apiBase}/refund` (the documented path has no `/v2`; the omnipay-latipay library posts
 * to `/v2/refund`: we use the documented one), JSON
 * `{user_id, order_id (Latipay's order id: the order's providerRef), refund_amount (decimal
 * string), reference (our refundNo), signature}`, signed by the sorted-fields rule.
 * The answer is `{code, message}`, read through the refund column of ./outcomes.ts: 0 →
 * succeeded, a documented refusal → refused, anything else (562 "has been done", an unknown
 * code, `{}`, a 5xx with a JSON body) → uncertain. The message never decides.
 *
 * Throws or returns: an answer that cannot be read at all (no answer, a timeout, a body that is
 * not JSON such as an HTML page) throws, which the settlement engine takes as uncertain; every
 * answer that could be read returns a report. `reference` is "notes about this refund", not an
 * idempotency key (providers.md): the descriptor declares no refundResend, so a refund whose
 * answer was lost is never sent again but left to a person (there is no refund query either).
 */
import { asRecord, fieldText } from '../../core/json';
import { parseJsonBody, type HttpSend } from '../../core/http';
import { toDecimalString } from '../../core/money';
import { outcomeOf } from '../outcomes';
import type { RefundInput, RefundReport } from '../types';
import type { LatipayConfig } from './config';
import { LATIPAY_OUTCOMES, latipayWords } from './outcomes';
import { signRequest } from './signature';

const PROVIDER = 'latipay';

export function refundFields(config: Pick<LatipayConfig, 'userId'>, input: RefundInput): Record<string, string> | undefined {
  const orderId = input.order.providerRef;
  if (!orderId) return undefined;
  return {
    user_id: config.userId,
    order_id: orderId,
    refund_amount: toDecimalString({ amount: input.refund.amount, currency: input.refund.currency }),
    reference: input.refund.refundNo,
  };
}

export async function latipayRefund(config: LatipayConfig, http: HttpSend, timeoutMs: number, input: RefundInput): Promise<RefundReport> {
  const refundNo = input.refund.refundNo;
  const fields = refundFields(config, input);
  if (!fields) {
    // Nothing was sent, so nothing can have been refunded: the amount is free again.
    return {
      refundNo,
      outcome: 'refused',
      summary: `not sent: order ${input.order.orderNo} has no Latipay order_id, so Latipay cannot be asked to refund it; refund it in the Latipay portal`,
    };
  }
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
  // A success code on an HTTP error status is a contradiction: uncertain.
  const outcome = response.status >= 400 && code === '0' ? 'uncertain' : outcomeOf(LATIPAY_OUTCOMES.refund, code);
  const said = `code=${code || '-'} (HTTP status ${response.status})${message ? ` message=${message}` : ''}`;
  const report: RefundReport = { refundNo, outcome, summary: `refund_amount=${fields.refund_amount} ${said}` };
  if (code !== '') report.code = code;
  if (outcome === 'refused') report.summary = `Latipay refused the refund: ${latipayWords(code) ?? code} (${said})`;
  if (outcome === 'uncertain') {
    report.summary = `${latipayWords(code) ?? 'Latipay answered with no documented refund code'} (${said}); the refund may have been made: check the Latipay portal`;
  }
  return report;
}
