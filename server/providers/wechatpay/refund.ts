/**
 * WeChat Pay Global refunds: `POST /v3/global/refunds` (our refundNo is `out_refund_no`,
 * which WeChat Pay keeps unique: the same number sent again never refunds twice), `GET
 * /v3/global/refunds/out-refund-no/{no}?mchid=` and the REFUND.* notifications. Every
 * answer is read through ./outcomes.ts: a refusal only when WeChat Pay signed a documented
 * refusal; NOT_ENOUGH, ABNORMAL, unknown codes, unsigned or missing answers are uncertain,
 * and the refund stays pending (the engine sends it again, or asks). Never throws for an
 * answer; only a call that got no answer throws (the engine takes that as uncertain too).
 */
import { asRecord, fieldText, type JsonObject } from '../../core/json';
import { ValidationError } from '../../core/errors';
import { money, parseCurrency, type Money } from '../../core/money';
import { outcomeOf } from '../outcomes';
import type { RefundInput, RefundReport } from '../types';
import type { Refund } from '../../domain/refund';
import type { Answer, WechatPayClient } from './client';
import { NEEDS_A_PERSON, WAITING_BECAUSE, WECHATPAY_OUTCOMES } from './outcomes';
import type { VerifiedEvent } from './notification';

export const REFUNDS_PATH = '/v3/global/refunds';

/** The amount a refund answer or notification names, when it names its currency. */
function refundAmount(amount: JsonObject): Money | undefined {
  const refund = amount.refund;
  const currency = fieldText(amount, 'currency');
  if (typeof refund !== 'number' || currency === '') return undefined;
  return money(refund, parseCurrency(currency, 'amount.currency'), 'amount.refund');
}

function report(refundNo: string, column: 'refund' | 'refundQuery', code: string, what: string, extra: Partial<RefundReport> = {}): RefundReport {
  const outcome = outcomeOf(WECHATPAY_OUTCOMES[column], code);
  const attention = NEEDS_A_PERSON[code];
  const why = WAITING_BECAUSE[code];
  return {
    refundNo,
    outcome,
    ...(code ? { code } : {}),
    ...(attention ? { attention } : {}),
    summary: why ?? `${what} ${code || '(no code)'}${outcome === 'uncertain' && !attention ? ': not a final answer, the refund stays pending' : ''}`,
    ...extra,
  };
}

/** What a refund answer (create or query) says, through the table. */
export function readRefundAnswer(answer: Answer, refundNo: string, column: 'refund' | 'refundQuery', what: string): RefundReport {
  if (answer.status === 200) {
    const status = fieldText(answer.json, 'status');
    const answered = fieldText(answer.json, 'out_refund_no');
    if (answered !== '' && answered !== refundNo) return report(refundNo, column, '', `${what} answered about refund ${answered}:`);
    const amount = refundAmount(asRecord(answer.json.amount));
    const id = fieldText(answer.json, 'id') || fieldText(answer.json, 'refund_id');
    return report(refundNo, column, status, `${what} status`, { ...(amount ? { amount } : {}), ...(id ? { providerRef: id } : {}) });
  }
  // An error answer counts only when signed (client.ts); otherwise its code is not WeChat Pay's word.
  if (!answer.signed) return report(refundNo, column, '', `${what} got an unsigned HTTP ${answer.status}:`);
  return report(refundNo, column, answer.code, `${what} answered HTTP ${answer.status}`);
}

export async function requestRefund(client: WechatPayClient, mchid: string, appid: string, input: RefundInput): Promise<RefundReport> {
  const { order, refund } = input;
  const body: JsonObject = {
    mchid,
    appid,
    out_trade_no: order.orderNo,
    out_refund_no: refund.refundNo,
    ...(refund.reason ? { reason: refund.reason.slice(0, 80) } : {}),
    notify_url: input.notifyUrl,
    amount: { refund: refund.amount, total: order.amount, currency: refund.currency },
  };
  // Not retried here: the engine decides when to send the same out_refund_no again.
  const answer = await client.call('POST', REFUNDS_PATH, body, 'refund');
  return readRefundAnswer(answer, refund.refundNo, 'refund', input.resend ? 'refund (sent again)' : 'refund');
}

export async function queryRefund(client: WechatPayClient, mchid: string, refund: Refund): Promise<RefundReport> {
  const path = `${REFUNDS_PATH}/out-refund-no/${encodeURIComponent(refund.refundNo)}?mchid=${encodeURIComponent(mchid)}`;
  return readRefundAnswer(await client.call('GET', path, undefined, 'refund query', { retries: 2 }), refund.refundNo, 'refundQuery', 'refund query');
}

/** Routing only (never trust): REFUND.* events are refund notifications. */
export function looksLikeRefund(envelope: JsonObject): boolean {
  return fieldText(envelope, 'event_type').startsWith('REFUND.');
}

/** REFUND.SUCCESS / REFUND.CLOSED / REFUND.ABNORMAL, verified and decrypted; refund_status must agree. */
export function readRefundEvent(event: VerifiedEvent, mchid: string): RefundReport {
  const r = event.resource;
  const refundNo = fieldText(r, 'out_refund_no');
  if (!refundNo) throw new ValidationError('out_refund_no', 'is missing from the WeChat Pay refund notification');
  if (fieldText(r, 'mchid') !== '' && fieldText(r, 'mchid') !== mchid) throw new ValidationError('mchid', 'WeChat Pay refund notification is for another merchant');
  const status = fieldText(r, 'refund_status');
  const fromEvent = outcomeOf(WECHATPAY_OUTCOMES.refundNotification, event.eventType);
  // The event type and the encrypted status are two statements of one fact: if they disagree, ask.
  const agrees = outcomeOf(WECHATPAY_OUTCOMES.refundQuery, status) === fromEvent;
  const amount = refundAmount(asRecord(r.amount));
  const attention = NEEDS_A_PERSON[event.eventType];
  const id = fieldText(r, 'refund_id');
  return {
    refundNo,
    outcome: agrees ? fromEvent : 'uncertain',
    code: event.eventType,
    ...(attention ? { attention } : {}),
    ...(amount ? { amount } : {}),
    ...(id ? { providerRef: id } : {}),
    summary: `${event.eventType} refund_status=${status || '-'}${agrees ? '' : ': the event and the status disagree, the refund query decides'}`,
  };
}
