/**
 * OTT Pay refunds (docs.ottpay.com `/payment-api/refund-transaction-and-query-api`, "Refund &
 * Refund Query API (Common)"): processV2 action `REFUND`, version `1.0`, encrypted data
 * `{order_id, ori_order_id, refund_amt}` where `order_id` is a NEW id for the refund (our
 * refundNo: "a new order id (Refund Order ID) will be generated for refund instead of old
 * orderID"), `ori_order_id` the paid order and `refund_amt` cents as a string. The answer is
 * `rsp_code`/`rsp_msg` plus encrypted data.
 *
 * Choices where the page we could read is silent:
 * - `rsp_code` sits outside the md5, so it is not integrity-protected: a SUCCESS counts as
 *   refunded only with encrypted data about this refund (its order_id / refund_amt where
 *   present) whose status, if it carries one, says so; SUCCESS without data, or a status
 *   PROCESSING, is PENDING and settled by the refund query.
 * - The refund query's action could not be read from that page (its second half was not
 *   captured). Since a refund has its own order_id at OTT Pay, we ask `STATUS_QUERY` 1.0
 *   `{order_id: refundNo}` (docs.ottpay.com `/payment-api/query-transaction-api-1`), the
 *   reading the project's provider notes give; the simulator answers it the same way.
 */
import { asRecord, fieldText } from '../../core/json';
import { ProviderError } from '../../core/errors';
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

/** Appendix B codes as they read for a refund, in words an operator can act on. */
const REFUND_ERRORS: Readonly<Record<string, string>> = {
  FAIL: 'OTT Pay refused the refund',
  PARAM_INVALID: 'a refund parameter is invalid',
  PARAM_ERROR: 'a refund parameter is wrong (check OTTPAY_MERCHANT_ID, OTTPAY_OPERATOR_ID and OTTPAY_SIGN_KEY)',
  ORDER_USED: 'this refundNo was already used at OTT Pay for another refund; send a new refundNo',
  TIMEOUT: 'OTT Pay timed out',
  SYSTEM_ERROR: 'OTT Pay had a system error',
};
/** After these the refund may exist at OTT Pay: it stays PENDING for the query. */
const UNCERTAIN = new Set(['TIMEOUT', 'SYSTEM_ERROR']);

const STATUS_OUTCOME: Readonly<Record<string, RefundReport['outcome']>> = {
  SUCCESS: 'succeeded',
  REFUND: 'succeeded',
  REFUNDED: 'succeeded',
  REFUND_SUCCESS: 'succeeded',
  PROCESSING: 'pending',
  PENDING: 'pending',
  REFUNDING: 'pending',
  FAIL: 'failed',
  FAILED: 'failed',
  REFUND_FAIL: 'failed',
  ORDERCLOSE: 'failed',
};

function refusal(action: string, rspCode: string, rspMsg: string, httpStatus: number): ProviderError {
  const known = REFUND_ERRORS[rspCode];
  const words = [rspCode || `HTTP ${httpStatus}`, known ? `(${known})` : '', rspMsg && rspMsg !== known ? `: ${rspMsg}` : ''].filter(Boolean).join(' ');
  return new ProviderError(PROVIDER, `refused ${action}: ${words}`, {
    ...(rspCode ? { providerCode: rspCode } : {}),
    httpStatus,
    retryable: UNCERTAIN.has(rspCode) || httpStatus >= 500 || httpStatus === 429,
  });
}

/** What encrypted data about a refund says; ProviderError when it is about another refund. */
function fromData(action: string, refund: Pick<Refund, 'refundNo' | 'amount' | 'currency'>, d: Record<string, unknown>): RefundReport {
  const orderId = fieldText(d, 'order_id');
  if (orderId !== '' && orderId !== refund.refundNo) throw new ProviderError(PROVIDER, `answered ${action} about another refund (${orderId})`);
  const status = fieldText(d, 'order_status') || fieldText(d, 'status') || fieldText(d, 'refund_status');
  const outcome = status === '' ? 'succeeded' : (STATUS_OUTCOME[status.toUpperCase()] ?? 'pending');
  const report: RefundReport = { refundNo: refund.refundNo, outcome, summary: `${action} order_status=${status || '-'}` };
  const amt = fieldText(d, 'refund_amt') || fieldText(d, 'amount');
  if (amt !== '') report.amount = parseMinorUnits(amt, refund.currency);
  const saleNum = fieldText(d, 'sale_num');
  if (saleNum) report.providerRef = saleNum;
  return report;
}

export async function ottpayRefund(call: OttCall, input: RefundInput): Promise<RefundReport> {
  const { refund, order } = input;
  const data = { order_id: refund.refundNo, ori_order_id: order.orderNo, refund_amt: toMinorUnitString({ amount: refund.amount, currency: refund.currency }) };
  // Not retried: a second REFUND with the same order_id is ORDER_USED at best.
  const answer = await call('REFUND', '1.0', data);
  if (answer.httpStatus < 400 && answer.rspCode === 'PROCESSING') return { refundNo: refund.refundNo, outcome: 'pending', summary: 'REFUND rsp_code=PROCESSING' };
  if (answer.rspCode !== 'SUCCESS' || answer.httpStatus >= 400) throw refusal('REFUND', answer.rspCode, answer.rspMsg, answer.httpStatus);
  // SUCCESS outside the md5 alone proves nothing: without encrypted data, the query decides.
  if (!answer.data) return { refundNo: refund.refundNo, outcome: 'pending', summary: 'REFUND rsp_code=SUCCESS without data; to be confirmed by query' };
  return fromData('REFUND', refund, answer.data);
}

export async function ottpayQueryRefund(call: OttCall, refund: Refund): Promise<RefundReport> {
  // Idempotent: retried on network errors and 5xx.
  const answer = await call('STATUS_QUERY', '1.0', { order_id: refund.refundNo }, 2);
  if (answer.httpStatus < 400 && answer.rspCode === 'PROCESSING') return { refundNo: refund.refundNo, outcome: 'pending', summary: 'query rsp_code=PROCESSING' };
  if (answer.rspCode !== 'SUCCESS' || answer.httpStatus >= 400) {
    // Not (yet) known at OTT Pay, or unreachable: nothing final can be concluded.
    throw refusal('STATUS_QUERY', answer.rspCode, answer.rspMsg, answer.httpStatus);
  }
  const d = asRecord(answer.data);
  if (Object.keys(d).length === 0) throw new ProviderError(PROVIDER, 'answered STATUS_QUERY for a refund without data');
  return fromData('STATUS_QUERY', refund, d);
}
