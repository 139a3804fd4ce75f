/**
 * OTT Pay refunds (docs.ottpay.com `/payment-api/refund-transaction-and-query-api`, "Refund &
 * Refund Query API (Common)"): processV2 action `REFUND`, version `1.0`, encrypted data
 * `{order_id, ori_order_id, refund_amt}` where `order_id` is a NEW id for the refund (our
 * refundNo: "a new order id (Refund Order ID) will be generated for refund instead of old
 * orderID"), `ori_order_id` the paid order and `refund_amt` cents as a string. The answer is
 * `rsp_code`/`rsp_msg` plus encrypted data.
 *
 * Every answer is read through ./outcomes.ts (columns `refund` and `refundQuery`); `rsp_msg`
 * never decides. Choices where the pages are silent:
 * - `rsp_code` sits outside the md5, so it is not integrity-protected: a SUCCESS counts as
 *   refunded only with md5-checked data about this refund (its order_id / refund_amt where
 *   present) whose order_status, if it carries one, says so; SUCCESS without data is uncertain
 *   and settled by the refund query.
 * - The refund query's action could not be read from that page (its second half was not
 *   captured). Since a refund has its own order_id at OTT Pay, we ask `STATUS_QUERY` 1.0
 *   `{order_id: refundNo}` (docs.ottpay.com `/payment-api/query-transaction-api-1`), the
 *   reading the project's provider notes give; the simulator answers it the same way.
 * - Re-sending (descriptor `refundResend`): the refund's order_id is the documented unique
 *   refund number, so a re-send can never pay twice; its ORDER_USED answer is uncertain (the
 *   table says so whether or not `input.resend` is set) and STATUS_QUERY tells what happened.
 *
 * Throws or returns: anything that cannot be read or trusted (no answer, a timeout, a body that
 * is not JSON such as an HTML page, data failing the md5 check, data about another refund)
 * throws, which the settlement engine takes as uncertain; every answer that could be read
 * returns a report, `uncertain` for a code the table does not document (e.g. SYSTEM_BUSY).
 */
import { asRecord, fieldText } from '../../core/json';
import { ProviderError } from '../../core/errors';
import { OTTPAY_OUTCOMES, OTTPAY_WORDS, ottpayOutcome } from './outcomes';
import { parseMinorUnits, toMinorUnitString } from '../../core/money';
import type { Refund } from '../../domain/refund';
import type { RefundInput, RefundReport } from '../types';

const PROVIDER = 'ottpay';

/** One processV2 call, as the adapter makes it (decrypted, md5-checked data when SUCCESS). */
export type OttCall = (action: string, version: string, data: Record<string, string>, retries?: number) => Promise<{
  httpStatus: number;
  rspCode: string;
  rspMsg: string;
  data?: Record<string, unknown>;
}>;

/** What encrypted data about a refund says; ProviderError when it is about another refund. */
function fromData(action: string, refund: Pick<Refund, 'refundNo' | 'orderNo' | 'amount' | 'currency'>, d: Record<string, unknown>, noStatus: RefundReport['outcome']): RefundReport {
  const orderId = fieldText(d, 'order_id');
  if (orderId !== '' && orderId !== refund.refundNo) throw new ProviderError(PROVIDER, `answered ${action} about another refund (${orderId})`);
  // A payment whose order_id happens to equal the refundNo is not this refund.
  const ori = fieldText(d, 'ori_order_id');
  if (ori !== '' && ori !== refund.orderNo) throw new ProviderError(PROVIDER, `answered ${action} about a refund of another order (${ori})`);
  const status = fieldText(d, 'order_status') || fieldText(d, 'status') || fieldText(d, 'refund_status');
  const outcome = status === '' ? noStatus : ottpayOutcome(OTTPAY_OUTCOMES.refundQuery, status);
  const report: RefundReport = { refundNo: refund.refundNo, outcome, summary: `${action} order_status=${status || '-'}` };
  if (status !== '') report.code = status;
  const amt = fieldText(d, 'refund_amt') || fieldText(d, 'amount');
  if (amt !== '') report.amount = parseMinorUnits(amt, refund.currency);
  const saleNum = fieldText(d, 'sale_num');
  if (saleNum) report.providerRef = saleNum;
  return report;
}

/** A readable answer whose rsp_code is not SUCCESS-with-data: the column decides (REFUND) or it is uncertain (query). */
function fromCode(action: string, refundNo: string, answer: { httpStatus: number; rspCode: string; rspMsg: string }, outcome: RefundReport['outcome']): RefundReport {
  const { rspCode, rspMsg, httpStatus } = answer;
  const known = OTTPAY_WORDS[rspCode];
  const said = [`${action} rsp_code=${rspCode || '-'} HTTP ${httpStatus}`, known ? `(${known})` : '', rspMsg && rspMsg !== known ? `rsp_msg=${rspMsg}` : ''].filter(Boolean).join(' ');
  const summary = outcome === 'refused' ? `OTT Pay refused the refund: ${said}` : outcome === 'uncertain' ? `${said}; the refund may have been made: the refund query decides` : said;
  return { refundNo, outcome, ...(rspCode ? { code: rspCode } : {}), summary };
}

export async function ottpayRefund(call: OttCall, input: RefundInput): Promise<RefundReport> {
  const { refund, order } = input;
  const data = { order_id: refund.refundNo, ori_order_id: order.orderNo, refund_amt: toMinorUnitString({ amount: refund.amount, currency: refund.currency }) };
  // Not retried here: a re-send is the engine's decision (input.resend), with the same order_id.
  const answer = await call('REFUND', '1.0', data);
  const byCode = answer.httpStatus >= 400 ? 'uncertain' : ottpayOutcome(OTTPAY_OUTCOMES.refund, answer.rspCode);
  if (byCode !== 'succeeded') return fromCode('REFUND', refund.refundNo, answer, byCode);
  // SUCCESS outside the md5 alone proves nothing: without encrypted data, the query decides.
  if (!answer.data) return fromCode('REFUND', refund.refundNo, { ...answer, rspMsg: 'SUCCESS without data' }, 'uncertain');
  return fromData('REFUND', { ...refund, orderNo: order.orderNo }, answer.data, 'succeeded');
}

export async function ottpayQueryRefund(call: OttCall, refund: Refund): Promise<RefundReport> {
  // Idempotent: retried on network errors and 5xx.
  const answer = await call('STATUS_QUERY', '1.0', { order_id: refund.refundNo }, 2);
  // Not (yet) known at OTT Pay, or any other code: nothing final can be concluded.
  if (answer.rspCode !== 'SUCCESS' || answer.httpStatus >= 400 || !answer.data) return fromCode('STATUS_QUERY', refund.refundNo, answer, 'uncertain');
  // The query's data names a status; without one it says nothing about the refund.
  return fromData('STATUS_QUERY', refund, asRecord(answer.data), 'uncertain');
}
