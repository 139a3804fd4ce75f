/**
 * NewPay refunds, v1 (gitbook `4.-apis-v1-deprecated/4.3.-common-apis/4.3.2-refund`;
 * pre-lnp-openapi.newpay.la `.../413-refund.html`): `POST {apiBase}/api/open/converge/pay/v1/
 * refund`, header `version: 1.0`, signed fields `appId, merchantId, timestamp, sign,
 * refundOrderAmt, orderNo, refundOrderNo (our refundNo), refundDesc, callBackUrl`. The answer's
 * `data` (signed with the platform key, verified) carries `tranStatus`, `refundOrderAmt`,
 * `newpayRefundOrderNo`; an error envelope carries a business code.
 *
 * Every answer is read through ./outcomes.ts (columns `refund` and `refundNotification`; the
 * header there says how the pages' contradiction over status 0 and 1 is decided):
 * - answer: envelope code → refused only for a documented refusal (Z00048, Z01020, ...);
 *   Z01026 "refund number already exists" (a re-send of a refund that arrived: the descriptor
 *   declares refundResend, refundOrderNo being documented as unique) and E9999 are uncertain,
 *   as are an envelope without a code and any undocumented code; signed data `tranStatus` 1 →
 *   succeeded, 0 → uncertain (the refund query decides);
 * - callback: the signed `transStatus` only, never the words of `transInfo` / `message`.
 * - The callback goes to the same `<NOTIFY_BASE_URL>/newpay` as payment callbacks; it is told
 *   apart by its body, which carries `refundOrderNo` (payment callbacks never do).
 *
 * Throws or returns: an answer that cannot be read or trusted (no answer, a timeout, a body that
 * is not JSON such as an HTML page, success data failing its signature, data about another
 * refund) throws, which the settlement engine takes as uncertain; every answer that could be
 * read returns a report. A callback that cannot be verified throws (it is refused, never
 * applied); one with an undocumented transStatus is reported uncertain.
 */
import { fieldText, type JsonObject as Json } from '../../core/json';
import { ProviderError, ValidationError } from '../../core/errors';
import { outcomeOf } from '../outcomes';
import type { InboundNotification, RefundInput, RefundReport } from '../types';
import type { NewPayCurrency } from './config';
import { NEWPAY_OUTCOMES } from './outcomes';
import { assertSigned } from './signature';

export const REFUND_PATH = '/api/open/converge/pay/v1/refund';

/** A NewPay answer as read by the adapter: verified success data, or an (unsigned) error envelope. */
export type NewPayAnswer = { ok: true; data: Json; timestamp: unknown } | { ok: false; code: string; message: string; httpStatus: number };

/** What refund.ts needs of the adapter: its signed body and its verified call. */
export interface NewPayCaller {
  signed(fields: Json): Json;
  answer(path: string, body: Json, what: string, verify: 'always' | 'when-signed'): Promise<NewPayAnswer>;
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
  const answer = await np.answer(REFUND_PATH, body, 'refund', 'always');
  if (!answer.ok) {
    const outcome = outcomeOf(NEWPAY_OUTCOMES.refund, answer.code);
    const said = `code=${answer.code || '-'} HTTP ${answer.httpStatus}${answer.message ? ` message=${answer.message}` : ''}`;
    const summary =
      outcome === 'refused'
        ? `NewPay refused the refund (${said})`
        : `NewPay answered without a documented refusal (${said}); the refund may have been made: ${input.resend ? 'this was a re-send, ' : ''}the refund query or its callback decides`;
    return { refundNo: refund.refundNo, outcome, ...(answer.code ? { code: answer.code } : {}), summary };
  }
  const { data } = answer;
  const answered = fieldText(data, 'refundOrderNo');
  if (answered !== '' && answered !== refund.refundNo) throw new ProviderError('newpay', 'refund answered about another refund');
  // The docs spell it tranStatus here (transStatus in callbacks): accept either.
  const status = fieldText(data, 'tranStatus') || fieldText(data, 'transStatus');
  const outcome = outcomeOf(NEWPAY_OUTCOMES.refund, `tranStatus:${status}`);
  const report: RefundReport = {
    refundNo: refund.refundNo,
    outcome,
    ...(status !== '' ? { code: `tranStatus:${status}` } : {}),
    summary: `refund tranStatus=${status || '-'} refundOrderAmt=${fieldText(data, 'refundOrderAmt') || '-'}${outcome === 'uncertain' ? '; NewPay pages disagree on what this status means: the refund query decides' : ''}`,
  };
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

export function verifyNewPayRefundCallback(notification: InboundNotification, publicKey: string, appId: string): RefundReport {
  const body = parseJsonObject(notification);
  if (!body) throw new ValidationError('body', 'NewPay refund callback is not a JSON object');
  // Verify before interpreting anything else the body says. Numbers are signed as written.
  assertSigned(body, publicKey, 'NewPay refund callback');
  if (body.appId !== undefined && String(body.appId) !== appId) throw new ValidationError('appId', 'NewPay refund callback is for another application');
  const refundNo = fieldText(body, 'refundOrderNo');
  if (!refundNo) throw new ValidationError('refundOrderNo', 'is missing from the NewPay refund callback');
  const transStatus = fieldText(body, 'transStatus');
  // The signed code decides (./outcomes.ts); transInfo is shown, never read.
  const outcome = outcomeOf(NEWPAY_OUTCOMES.refundNotification, transStatus);
  const words = fieldText(body, 'transInfo') || fieldText(body, 'message');
  const report: RefundReport = {
    refundNo,
    outcome,
    ...(transStatus !== '' ? { code: transStatus } : {}),
    summary:
      `refund callback transStatus=${transStatus || '-'}${words ? ` transInfo=${words}` : ''} refundOrderAmt=${fieldText(body, 'refundOrderAmt') || '-'}` +
      (outcome === 'uncertain' ? '; not final on its own: the refund query decides' : ''),
  };
  const amount = fieldText(body, 'refundOrderAmt');
  if (amount !== '') report.decimalAmount = amount;
  const ref = fieldText(body, 'newpayRefundOrderNo');
  if (ref) report.providerRef = ref;
  return report;
}
