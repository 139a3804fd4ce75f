/**
 * NewPay's payment query. Which one, and why:
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
 * So the query is v2, with its own optional credentials (NEWPAY_QUERY_APP_ID and
 * NEWPAY_QUERY_MCH_ID, which NewPay issues for v2): without them NewPay cannot be asked, and
 * the service closes unconfirmed orders for a person's attention instead of guessing.
 */
import { ProviderError } from '../../core/errors';
import { parseJsonBody, type HttpSend } from '../../core/http';
import { asRecord, fieldText } from '../../core/json';
import { parseCurrency, parseDecimal } from '../../core/money';
import type { Order } from '../../domain/order';
import type { PaymentReport } from '../types';
import type { NewPayQueryConfig } from './config';
import { assertSigned, signParams } from './signature';

export const UNI_QUERY_PAY_PATH = '/uniQueryPay';

const PAY_STATUS: Readonly<Record<string, PaymentReport['outcome']>> = {
  SUCCESS: 'paid',
  PROCESSING: 'pending',
  FAIL: 'failed',
  EXPIRED: 'closed',
};

export interface QueryKeys {
  privateKey: string;
  publicKey: string;
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
  // A query is idempotent: retried on network errors and 5xx.
  const response = await http({
    method: 'POST',
    url: `${query.apiBase}${UNI_QUERY_PAY_PATH}`,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...fields, sign: signParams(fields, keys.privateKey) }),
    timeoutMs,
    retries: 2,
  });
  const json = asRecord(parseJsonBody('newpay', response));
  const code = fieldText(json, 'code');
  if (json.success !== true || (code !== '' && code !== '0') || response.status >= 400) {
    throw new ProviderError('newpay', `uniQueryPay refused: ${fieldText(json, 'message') || `HTTP ${response.status}`}`, {
      ...(code && code !== '0' ? { providerCode: code } : {}),
      httpStatus: response.status,
      retryable: response.status >= 500,
    });
  }
  const data = asRecord(json.data);
  assertSigned(data, keys.publicKey, 'NewPay uniQueryPay response');
  const mchOrderNo = fieldText(data, 'mchOrderNo');
  if (mchOrderNo !== '' && mchOrderNo !== order.orderNo) throw new ProviderError('newpay', 'uniQueryPay answered about a different order');
  const payStatus = fieldText(data, 'payStatus').toUpperCase();
  const amountOf = asRecord(data.orderAmt);
  const report: PaymentReport = {
    orderNo: order.orderNo,
    // An undocumented status changes nothing; the summary shows it to a person.
    outcome: PAY_STATUS[payStatus] ?? 'pending',
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
