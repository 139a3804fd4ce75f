/**
 * NewPay's payment and refund queries. Which ones, and why:
 * - The v1 "Inquiry Payment" (pre-lnp-openapi.newpay.la 4-api-list/41website/412-query-payment
 *   and 42app/422-query-payment) documents its fields (appId, merchantId, timestamp, sign,
 *   orderNo → transStatus 1 success / 0 failure / 2 processing) but neither page shows its
 *   endpoint path, and no published code calls it: a guessed path would fail in production.
 * - The v2 `uniQueryPay` (newpay-api-document.gitbook.io 5.-apis-v2/5.2-query-order) is fully
 *   documented: POST https://prod-openapi-v2.newpay.la/beta/pay/uniQueryPay, JSON
 *   `{appId, mchId, newpayOrderNo?, mchOrderNo?, sign}` (at least one order number; no
 *   `version` header, no timestamp), answering `data{payStatus SUCCESS / EXPIRED /
 *   PROCESSING / FAIL, orderAmt{value, currency}, mchOrderNo, newpayOrderNo, paytime, sign}`,
 *   signed by the section 8 rule (SHA256withRSA over the sorted fields).
 * - Refunds likewise: the v1 "Inquiry Refund" (41website/414-query-refund, 42app/424-query-
 *   refund: refundOrderNo → tranStatus 1/0) shows no endpoint path either, while the v2
 *   `uniQueryRefund` (gitbook 5.-apis-v2/5.4-query-refund) is fully documented: POST
 *   https://prod-openapi-v2.newpay.la/beta/pay/uniQueryRefund, JSON `{appId, mchId,
 *   newpayRefundNo?, mchRefundNo?, sign}` ("at least one of them must be provided"), answering
 *   `data{newpayRefundNo, mchRefundNo, newpayOrderNo, refundAmt{value, currency},
 *   orderAmt{value, currency}, refundStatus "SUCCESS/FAIL/PROCESSING", sign}`. We ask by
 *   `mchRefundNo`: NewPay takes the v1 refundOrderNo (our refundNo) as the merchant's refund
 *   number, the same way uniQueryPay takes the v1 orderNo as mchOrderNo. refundStatus is typed
 *   "int" in the table but only ever written as those words: the words are read, anything
 *   else (a number included) is uncertain.
 * So both queries are v2, with their own optional credentials (NEWPAY_QUERY_APP_ID and
 * NEWPAY_QUERY_MCH_ID, which NewPay issues for v2): without them NewPay cannot be asked.
 *
 * Throws or returns: an answer that cannot be read or trusted (no answer, not JSON, success data
 * failing its signature, data about another order or refund) throws; every other answer is a
 * report through ./outcomes.ts, an error envelope (E9008 not found, E9999, no code) uncertain.
 */
import { ProviderError } from '../../core/errors';
import { parseJsonBody, type HttpSend } from '../../core/http';
import { asRecord, fieldText, type JsonObject } from '../../core/json';
import { parseCurrency, parseDecimal } from '../../core/money';
import type { Order } from '../../domain/order';
import type { Refund } from '../../domain/refund';
import { outcomeOf } from '../outcomes';
import type { PaymentReport, RefundReport } from '../types';
import type { NewPayQueryConfig } from './config';
import { NEWPAY_OUTCOMES } from './outcomes';
import { assertSigned, signParams } from './signature';

export const UNI_QUERY_PAY_PATH = '/uniQueryPay';
export const UNI_QUERY_REFUND_PATH = '/uniQueryRefund';

export interface QueryKeys {
  privateKey: string;
  publicKey: string;
}

/** One signed v2 query: the verified `data`, or the error envelope's code and message (unsigned). */
async function v2Query(
  path: string,
  fields: Record<string, string>,
  query: NewPayQueryConfig,
  keys: QueryKeys,
  http: HttpSend,
  timeoutMs: number,
): Promise<{ ok: true; data: JsonObject } | { ok: false; code: string; said: string }> {
  // A query is idempotent: retried on network errors and 5xx.
  const response = await http({
    method: 'POST',
    url: `${query.apiBase}${path}`,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...fields, sign: signParams(fields, keys.privateKey) }),
    timeoutMs,
    retries: 2,
  });
  const json = asRecord(parseJsonBody('newpay', response));
  const code = fieldText(json, 'code');
  if (json.success !== true || (code !== '' && code !== '0') || response.status >= 400) {
    const message = fieldText(json, 'message');
    return { ok: false, code, said: `code=${code || '-'} HTTP ${response.status}${message ? ` message=${message}` : ''}` };
  }
  const data = asRecord(json.data);
  assertSigned(data, keys.publicKey, `NewPay ${path.slice(1)} response`);
  return { ok: true, data };
}

export async function uniQueryPay(
  order: Order,
  query: NewPayQueryConfig,
  keys: QueryKeys,
  http: HttpSend,
  timeoutMs: number,
): Promise<PaymentReport> {
  const fields: Record<string, string> = {
    appId: query.appId,
    mchId: query.mchId,
    mchOrderNo: order.orderNo,
    ...(order.providerRef !== undefined ? { newpayOrderNo: order.providerRef } : {}),
  };
  const answer = await v2Query(UNI_QUERY_PAY_PATH, fields, query, keys, http, timeoutMs);
  if (!answer.ok) return { orderNo: order.orderNo, outcome: 'uncertain', ...(answer.code ? { code: answer.code } : {}), summary: `query uniQueryPay ${answer.said}` };
  const { data } = answer;
  const mchOrderNo = fieldText(data, 'mchOrderNo');
  if (mchOrderNo !== '' && mchOrderNo !== order.orderNo) throw new ProviderError('newpay', 'uniQueryPay answered about a different order');
  const payStatus = fieldText(data, 'payStatus');
  const amountOf = asRecord(data.orderAmt);
  const report: PaymentReport = {
    orderNo: order.orderNo,
    // An undocumented status is uncertain: it never closes or fails the order.
    outcome: outcomeOf(NEWPAY_OUTCOMES.query, payStatus),
    ...(payStatus !== '' ? { code: payStatus } : {}),
    summary: `query payStatus=${payStatus || '-'}`,
  };
  if (fieldText(amountOf, 'value') !== '') {
    // "123.00" for LAK, as NewPay writes amounts: exact zeros are not decimals.
    report.amount = parseDecimal(amountOf.value, parseCurrency(fieldText(amountOf, 'currency') || order.currency, 'orderAmt.currency'), 'orderAmt.value');
  }
  const newpayOrderNo = fieldText(data, 'newpayOrderNo');
  if (newpayOrderNo !== '') report.providerRef = newpayOrderNo;
  return report;
}

/** v2 uniQueryRefund by mchRefundNo (= the refundOrderNo our v1 refund sent): where a refund stands. */
export async function uniQueryRefund(
  refund: Refund,
  query: NewPayQueryConfig,
  keys: QueryKeys,
  http: HttpSend,
  timeoutMs: number,
): Promise<RefundReport> {
  const fields: Record<string, string> = {
    appId: query.appId,
    mchId: query.mchId,
    mchRefundNo: refund.refundNo,
    ...(refund.providerRef !== undefined ? { newpayRefundNo: refund.providerRef } : {}),
  };
  const answer = await v2Query(UNI_QUERY_REFUND_PATH, fields, query, keys, http, timeoutMs);
  if (!answer.ok) {
    return {
      refundNo: refund.refundNo,
      outcome: 'uncertain',
      ...(answer.code ? { code: answer.code } : {}),
      summary: `query uniQueryRefund ${answer.said}; nothing final`,
    };
  }
  const { data } = answer;
  const mchRefundNo = fieldText(data, 'mchRefundNo');
  if (mchRefundNo !== '' && mchRefundNo !== refund.refundNo) throw new ProviderError('newpay', 'uniQueryRefund answered about another refund');
  // Only the words count: a number (the table's "int") is not a documented value.
  const refundStatus = typeof data.refundStatus === 'string' ? data.refundStatus : undefined;
  const raw = fieldText(data, 'refundStatus');
  const report: RefundReport = {
    refundNo: refund.refundNo,
    outcome: outcomeOf(NEWPAY_OUTCOMES.refundQuery, refundStatus),
    ...(raw !== '' ? { code: raw } : {}),
    summary: `query refundStatus=${raw || '-'}`,
  };
  const amountOf = asRecord(data.refundAmt);
  if (fieldText(amountOf, 'value') !== '') {
    report.amount = parseDecimal(amountOf.value, parseCurrency(fieldText(amountOf, 'currency') || refund.currency, 'refundAmt.currency'), 'refundAmt.value');
  }
  const newpayRefundNo = fieldText(data, 'newpayRefundNo');
  if (newpayRefundNo !== '') report.providerRef = newpayRefundNo;
  return report;
}
