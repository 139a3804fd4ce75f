/**
 * OTT Pay (Canada): every call is `POST {apiBase}/processV2` with the envelope
 * `{action, version, merchant_id, data, md5}` whose `data` is AES encrypted (Appendix A, see
 * ./crypto.ts); answers are `{rsp_code, rsp_msg, data, md5}` and callbacks
 * `{rsp_code, rsp_msg, merchant_id, data, md5}`, encrypted the same way.
 *
 * - Mini program: action MAPPPAY 1.1 returns `payInfo` (already signed by OTT Pay with MD5);
 *   if it comes without paySign, the backend signs it itself (server/wechat/pay-sign.ts).
 * - Native app (the in-app seed): returns prepay data plus `wxapikey`; the backend computes the
 *   app sign and returns only the PayReq fields. The key never leaves this file.
 * - Query: action STATUS_QUERY 1.0 `{order_id}`.
 */
import { asRecord, fieldText } from '../../core/json';
import { ConfigError, ProviderError, SignatureError, ValidationError } from '../../core/errors';
import { parseJsonBody, type HttpSend } from '../../core/http';
import { parseMinorUnits, toMinorUnitString, type Currency } from '../../core/money';
import type { Order } from '../../domain/order';
import { appSign } from '../../wechat/app-sign';
import { paySign } from '../../wechat/pay-sign';
import type {
  AppPaymentParams,
  CreatePaymentInput,
  CreatedAppPayment,
  CreatedPayment,
  HttpReply,
  InboundNotification,
  PaymentProvider,
  PaymentReport,
  RefundInput,
  RefundReport,
  WxPaymentParams,
} from '../types';
import type { Refund } from '../../domain/refund';
import type { OttpayConfig } from './config';
import { decryptData, encryptData } from './crypto';
import { ottpayQueryRefund, ottpayRefund } from './refund';

const PROVIDER = 'ottpay';
const CURRENCY: Currency = 'CAD';

/** Appendix B (partial), in words a shopper or developer can act on. */
const ERROR_MESSAGES: Record<string, string> = {
  PROCESSING: 'the payment is still being processed',
  FAIL: 'the payment failed',
  TIMEOUT: 'OTT Pay timed out',
  SYSTEM_ERROR: 'OTT Pay had a system error',
  PARAM_INVALID: 'a request parameter is invalid',
  PARAM_ERROR: 'a request parameter is wrong (check OTTPAY_MERCHANT_ID, OTTPAY_OPERATOR_ID and OTTPAY_SIGN_KEY)',
  ORDER_PAID: 'this order has already been paid',
  ORDER_USED: 'this order number has already been used',
};

/** Codes after which the order may still exist at OTT Pay: keep it open for the callback or a query. */
const UNCERTAIN_CODES = new Set(['PROCESSING', 'TIMEOUT', 'SYSTEM_ERROR']);

/**
 * order_status → outcome, compared case-insensitively (the pages disagree on case).
 * - The callback page (apidocs.ottpay.com /api/integration/callback/) documents `authorised`
 *   and `captured`: `captured` means the money moved; `authorised` is not yet paid.
 * - Status queries answer `success` (lowercase on the local-card pages); the checkout query
 *   documents SUCCESS / ORDERCLOSE / PROCESSING.
 * - The usual WeChat-style spellings are accepted too.
 * A value not listed here is never applied from a callback: it is confirmed by a query.
 */
const ORDER_STATUS_OUTCOME: Record<string, PaymentReport['outcome']> = {
  CAPTURED: 'paid',
  SUCCESS: 'paid',
  PAID: 'paid',
  PAY_SUCCESS: 'paid',
  TRADE_SUCCESS: 'paid',
  AUTHORISED: 'pending',
  AUTHORIZED: 'pending',
  PROCESSING: 'pending',
  PENDING: 'pending',
  NOTPAY: 'pending',
  USERPAYING: 'pending',
  WAITING: 'pending',
  FAIL: 'failed',
  FAILED: 'failed',
  PAYERROR: 'failed',
  ORDERCLOSE: 'closed',
  CLOSE: 'closed',
  CLOSED: 'closed',
  CANCEL: 'closed',
  CANCELLED: 'closed',
  CANCELED: 'closed',
  REVOKED: 'closed',
  EXPIRED: 'closed',
};

/**
 * `finish_time` in the three published forms: `YYYYMMDDHHMMSS` Beijing time (the seed),
 * `2023-03-23 01:21:53` (the published decrypted example) and `2024-01-08 16:29:03 CST`
 * (apidocs). Only shown in the timeline; anything else is shown as "unreadable".
 */
export function readFinishTime(value: string): string | undefined {
  if (/^\d{14}$/.test(value)) return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)} ${value.slice(8, 10)}:${value.slice(10, 12)}:${value.slice(12, 14)}`;
  const m = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?: ([A-Z]{2,5}))?$/.exec(value);
  return m ? m[1] : undefined;
}

/** payInfo is documented as an object; Java backends often send nested JSON as a string. Accept both. */
function nestedRecord(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') {
    try {
      return asRecord(JSON.parse(value));
    } catch {
      return {};
    }
  }
  return asRecord(value);
}

/** The outcome an order_status names in a status query, or undefined for a value no OTT Pay page documents. */
function statusOutcome(raw: string): PaymentReport['outcome'] | undefined {
  return ORDER_STATUS_OUTCOME[raw.trim().toUpperCase()];
}

/**
 * The values the callback page documents for a callback's order_status (apidocs.ottpay.com
 * /api/integration/callback/), any letter case. Any other value in a callback, even one a
 * query page uses (SUCCESS, FAIL...), is confirmed by STATUS_QUERY before it counts.
 */
const CALLBACK_STATUS_OUTCOME: Readonly<Record<string, PaymentReport['outcome']>> = { CAPTURED: 'paid', AUTHORISED: 'pending', AUTHORIZED: 'pending' };

function callbackStatusOutcome(raw: string): PaymentReport['outcome'] | undefined {
  return CALLBACK_STATUS_OUTCOME[raw.trim().toUpperCase()];
}

interface Answer {
  httpStatus: number;
  rspCode: string;
  rspMsg: string;
  /** Decrypted and integrity-checked; only present when rsp_code is SUCCESS and data was sent. */
  data?: Record<string, unknown>;
}

export class OttpayProvider implements PaymentProvider {
  readonly name = 'ottpay' as const;
  readonly currencies: readonly Currency[] = [CURRENCY];

  constructor(
    private readonly config: OttpayConfig,
    private readonly wechatAppId: string,
    private readonly http: HttpSend,
    private readonly timeoutMs: number,
  ) {}

  private failure(action: string, answer: Pick<Answer, 'httpStatus' | 'rspCode' | 'rspMsg'>): ProviderError {
    const { rspCode, rspMsg, httpStatus } = answer;
    const known = ERROR_MESSAGES[rspCode];
    const words = [rspCode || `HTTP ${httpStatus}`, known ? `(${known})` : '', rspMsg && rspMsg !== known ? `: ${rspMsg}` : '']
      .filter(Boolean)
      .join(' ');
    return new ProviderError(PROVIDER, `refused ${action}: ${words}`, {
      ...(rspCode ? { providerCode: rspCode } : {}),
      httpStatus,
      retryable: UNCERTAIN_CODES.has(rspCode) || httpStatus >= 500 || httpStatus === 429,
    });
  }

  /** One processV2 call: encrypt, send, check the envelope, decrypt and check integrity. (Also used by ./refund.ts.) */
  async call(action: string, version: string, data: Record<string, string>, retries = 0): Promise<Answer> {
    const encrypted = encryptData(data, this.config.signKey);
    const response = await this.http({
      method: 'POST',
      url: `${this.config.apiBase}/processV2`,
      headers: { 'Content-Type': 'application/json;charset=UTF-8' },
      body: JSON.stringify({ action, version, merchant_id: this.config.merchantId, data: encrypted.data, md5: encrypted.md5 }),
      timeoutMs: this.timeoutMs,
      retries,
    });
    const json = asRecord(parseJsonBody(PROVIDER, response));
    const answer: Answer = { httpStatus: response.status, rspCode: fieldText(json, 'rsp_code').toUpperCase(), rspMsg: fieldText(json, 'rsp_msg') };
    if (answer.rspCode !== 'SUCCESS' || response.status >= 400) return answer;
    if (json.data === undefined || json.data === null || json.data === '') return answer;
    try {
      answer.data = decryptData(fieldText(json, 'data'), fieldText(json, 'md5'), this.config.signKey);
    } catch (e) {
      if (!(e instanceof SignatureError)) throw e;
      throw new ProviderError(PROVIDER, `answered ${action} with data that fails the md5 integrity check (check OTTPAY_SIGN_KEY)`, {
        httpStatus: response.status,
      });
    }
    const merchant = fieldText(answer.data, 'merchant_id');
    if (merchant !== '' && merchant !== this.config.merchantId) {
      throw new ProviderError(PROVIDER, `answered ${action} for another merchant`);
    }
    return answer;
  }

  /** The data of a SUCCESS answer about `order`, or a typed error. */
  private successData(action: string, answer: Answer, order: Order, checkAmount = true): Record<string, unknown> {
    if (answer.rspCode !== 'SUCCESS' || answer.httpStatus >= 400) throw this.failure(action, answer);
    if (!answer.data) throw new ProviderError(PROVIDER, `answered ${action} without data`);
    const orderId = fieldText(answer.data, 'order_id');
    if (orderId !== '' && orderId !== order.orderNo) throw new ProviderError(PROVIDER, `answered ${action} about a different order`);
    const amount = fieldText(answer.data, 'amount');
    if (checkAmount && amount !== '' && amount !== toMinorUnitString({ amount: order.amount, currency: order.currency })) {
      throw new ProviderError(PROVIDER, `answered ${action} with amount ${amount}, order is ${order.amount}`);
    }
    return answer.data;
  }

  private requireCad(order: Order): void {
    if (order.currency !== CURRENCY) throw new ValidationError('currency', `ottpay takes ${CURRENCY}, not ${order.currency}`);
  }

  async createMiniPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    this.requireCad(input.order);
    const data: Record<string, string> = {
      order_id: input.order.orderNo,
      operator_id: this.config.operatorId,
      amount: toMinorUnitString({ amount: input.order.amount, currency: input.order.currency }),
      // Optional in the docs (spelled "Tip" in the table, "tip" in callbacks); we never add a tip.
      tip: '0',
      biz_type: 'WECHATPAY',
      app_id: this.wechatAppId,
      open_id: input.openid,
      call_back_url: input.notifyUrl,
    };
    // Not retried: placing an order is not idempotent (a second try is ORDER_USED at best).
    const answer = await this.call('MAPPPAY', '1.1', data);
    const result = this.successData('MAPPPAY', answer, input.order);
    const payInfo = nestedRecord(result.payInfo);
    const appId = fieldText(payInfo, 'appId');
    if (appId !== '' && appId !== this.wechatAppId) {
      throw new ProviderError(PROVIDER, 'answered with payInfo for another mini program (check WECHAT_APPID with OTT Pay)');
    }
    const params: WxPaymentParams = {
      timeStamp: fieldText(payInfo, 'timeStamp'),
      nonceStr: fieldText(payInfo, 'nonceStr'),
      // OTT Pay names it packageStr; wx.requestPayment calls it package.
      package: fieldText(payInfo, 'packageStr') || fieldText(payInfo, 'package'),
      signType: (fieldText(payInfo, 'signType') || 'MD5').toUpperCase() as WxPaymentParams['signType'],
      paySign: fieldText(payInfo, 'paySign'),
    };
    if (params.paySign === '') {
      // payInfo without a signature: sign it here, with the key OTT Pay sent or the configured one.
      const key = fieldText(result, 'wxapikey') || fieldText(payInfo, 'wxapikey') || this.config.wechatPayKey || '';
      if (key === '') throw new ProviderError(PROVIDER, 'answered without paySign and there is no key to sign with (set OTTPAY_WECHAT_PAY_KEY)');
      if (params.signType !== 'MD5' && params.signType !== 'HMAC-SHA256') {
        throw new ProviderError(PROVIDER, `answered without paySign for signType "${params.signType}"`);
      }
      if (params.timeStamp !== '' && params.nonceStr !== '' && params.package !== '') {
        params.paySign = paySign(
          { appId: this.wechatAppId, nonceStr: params.nonceStr, package: params.package, signType: params.signType, timeStamp: params.timeStamp },
          key,
        );
      }
    }
    const missing = (Object.keys(params) as (keyof WxPaymentParams)[]).filter((k) => params[k] === '');
    if (missing.length > 0) throw new ProviderError(PROVIDER, `answered without ${missing.join(', ')} in payInfo`);
    if (!['MD5', 'HMAC-SHA256', 'RSA'].includes(params.signType)) {
      throw new ProviderError(PROVIDER, `answered with an unknown signType "${params.signType}"`);
    }
    const saleNum = fieldText(result, 'sale_num');
    return saleNum ? { providerRef: saleNum, payment: params } : { payment: params };
  }

  /**
   * WeChat In-App Payment for the merchant's native app (seed: docs.ottpay.com "In-App WeChat
   * Pay"). The seed gives the fields but not the action, nor whether the call is enveloped;
   * every other OTT Pay API is a processV2 action with encrypted data, so this is too, with
   * action `config.appPayAction` (APPPAY by default) and version 1.0. OTT Pay answers with
   * the prepay data and the WeChat Pay API key (`wxapikey`); we sign the PayReq here and return
   * only its seven fields. The key is never returned, stored or logged.
   */
  async createAppPayment(input: CreatePaymentInput): Promise<CreatedAppPayment> {
    const appId = this.config.appId;
    if (appId === undefined) {
      throw new ConfigError([{ variable: 'OTTPAY_APP_ID', problem: 'is missing (the native app AppID from open.weixin.qq.com, needed for in-app payments)' }]);
    }
    this.requireCad(input.order);
    const action = this.config.appPayAction;
    const data: Record<string, string> = {
      userId: appId,
      amount: toMinorUnitString({ amount: input.order.amount, currency: input.order.currency }),
      bizType: 'WECHATPAY',
      merchant_id: this.config.merchantId,
      operator_id: this.config.operatorId,
      order_id: input.order.orderNo,
      call_back_url: input.notifyUrl,
    };
    const answer = await this.call(action, '1.0', data);
    const result = this.successData(action, answer, input.order);
    const answeredAppId = fieldText(result, 'appId');
    if (answeredAppId !== '' && answeredAppId !== appId) {
      throw new ProviderError(PROVIDER, 'answered with prepay data for another app (check OTTPAY_APP_ID with OTT Pay)');
    }
    const wxapikey = fieldText(result, 'wxapikey');
    const fields = {
      appId,
      partnerId: fieldText(result, 'partnerId'),
      // The seed's table says prepayId, its example prepay_id.
      prepayId: fieldText(result, 'prepayId') || fieldText(result, 'prepay_id'),
      // package_ in the seed; WeChat requires exactly "Sign=WXPay".
      packageValue: fieldText(result, 'package_') || fieldText(result, 'package') || 'Sign=WXPay',
      nonceStr: fieldText(result, 'nonceStr'),
      timeStamp: fieldText(result, 'timeStamp'),
    };
    const missing = Object.entries({ ...fields, wxapikey }).filter(([, v]) => v === '').map(([k]) => k);
    if (missing.length > 0) throw new ProviderError(PROVIDER, `answered ${action} without ${missing.join(', ')}`);
    if (fields.packageValue !== 'Sign=WXPay') {
      throw new ProviderError(PROVIDER, `answered ${action} with package "${fields.packageValue}", WeChat requires "Sign=WXPay"`);
    }
    const appPayment: AppPaymentParams = { ...fields, sign: appSign(fields, wxapikey) };
    const tradeNo = fieldText(result, 'tradeNo') || fieldText(result, 'sale_num');
    return tradeNo ? { providerRef: tradeNo, appPayment } : { appPayment };
  }

  verifyNotification(notification: InboundNotification): PaymentReport {
    let parsed: unknown;
    try {
      parsed = JSON.parse(notification.rawBody.toString('utf8'));
    } catch {
      throw new ValidationError('body', 'OTT Pay callback is not JSON');
    }
    const envelope = asRecord(parsed);
    const data = fieldText(envelope, 'data');
    const md5 = fieldText(envelope, 'md5');
    if (data === '' || md5 === '') throw new ValidationError(data === '' ? 'data' : 'md5', 'is missing from the OTT Pay callback');
    const envelopeMerchant = fieldText(envelope, 'merchant_id');
    if (envelopeMerchant !== '' && envelopeMerchant !== this.config.merchantId) {
      throw new SignatureError('OTT Pay callback is for another merchant');
    }
    // Decrypt and check the md5 before reading anything the callback says (SignatureError on failure).
    const d = decryptData(data, md5, this.config.signKey);
    if (fieldText(d, 'merchant_id') !== this.config.merchantId) throw new SignatureError('OTT Pay callback data is for another merchant');
    const orderNo = fieldText(d, 'order_id');
    if (orderNo === '') throw new ValidationError('order_id', 'is missing from the OTT Pay callback data');
    const amount = parseMinorUnits(d.amount, CURRENCY);
    // rsp_code sits outside the encrypted data, so the md5 does not cover it: anyone holding
    // one callback could flip it. The encrypted order_status decides when it is present and
    // documented; otherwise (the published examples carry none) the outcome rsp_code suggests
    // is only a prompt, confirmed by STATUS_QUERY before anything changes.
    const rspCode = fieldText(envelope, 'rsp_code').toUpperCase();
    const orderStatus = fieldText(d, 'order_status');
    const finish = fieldText(d, 'finish_time');
    const known = orderStatus !== '' ? callbackStatusOutcome(orderStatus) : undefined;
    const report: PaymentReport = {
      orderNo,
      outcome: known ?? (orderStatus !== '' ? (statusOutcome(orderStatus) ?? 'pending') : rspCode === 'SUCCESS' ? 'paid' : rspCode === 'FAIL' ? 'failed' : 'pending'),
      amount,
      summary:
        `rsp_code=${rspCode || '-'} order_status=${orderStatus || '-'} amount=${amount.amount} tip=${fieldText(d, 'tip') || '0'} ${CURRENCY}` +
        (finish !== '' ? ` finish_time=${readFinishTime(finish) ?? 'unreadable'}` : ''),
    };
    if (known === undefined) {
      report.confirm =
        orderStatus !== '' ? `order_status "${orderStatus}" is not one the callback page documents` : 'the outcome comes from rsp_code, which the md5 does not cover';
    }
    const saleNum = fieldText(d, 'sale_num');
    if (saleNum) report.providerRef = saleNum;
    return report;
  }

  /**
   * The order id is inside the encrypted data, so there is nothing to read without the key.
   * We try our own key and return order_id only if decryption and the md5 check pass (e.g. a
   * callback refused for its merchant or status); anything else is undefined. Never trusted.
   */
  claimedOrderNo(notification: InboundNotification): string | undefined {
    try {
      const envelope = asRecord(JSON.parse(notification.rawBody.toString('utf8')));
      const d = decryptData(fieldText(envelope, 'data'), fieldText(envelope, 'md5'), this.config.signKey);
      return fieldText(d, 'order_id') || undefined;
    } catch {
      return undefined;
    }
  }

  acknowledge(): HttpReply {
    // OTT Pay does not publish the reply it expects: HTTP 200 with its own success shape.
    return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ rsp_code: 'SUCCESS', rsp_msg: 'success' }) };
  }

  refuse(statusCode: number, reason: string): HttpReply {
    return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ rsp_code: 'FAIL', rsp_msg: reason }) };
  }

  async queryPayment(order: Order): Promise<PaymentReport> {
    // Idempotent: retried on network errors and 5xx.
    const answer = await this.call('STATUS_QUERY', '1.0', { order_id: order.orderNo }, 2);
    if (answer.rspCode === 'PROCESSING' && answer.httpStatus < 400) {
      return { orderNo: order.orderNo, outcome: 'pending', summary: 'query rsp_code=PROCESSING' };
    }
    // The amount is reported, not checked here: the service refuses a report that differs.
    const d = this.successData('STATUS_QUERY', answer, order, false);
    const status = fieldText(d, 'order_status') || fieldText(d, 'status');
    if (status === '') throw new ProviderError(PROVIDER, 'answered STATUS_QUERY without order_status');
    // A value no page documents is reported pending: nothing changes, a person can see it.
    const report: PaymentReport = { orderNo: order.orderNo, outcome: statusOutcome(status) ?? 'pending', summary: `query order_status=${status}` };
    if (fieldText(d, 'amount') !== '') report.amount = parseMinorUnits(d.amount, CURRENCY);
    const saleNum = fieldText(d, 'sale_num');
    if (saleNum) report.providerRef = saleNum;
    return report;
  }

  /** REFUND 1.0 (./refund.ts). */
  refund(input: RefundInput): Promise<RefundReport> {
    return ottpayRefund((...args) => this.call(...args), input);
  }

  /** STATUS_QUERY on the refund's own order_id (./refund.ts says why). */
  queryRefund(refund: Refund): Promise<RefundReport> {
    return ottpayQueryRefund((...args) => this.call(...args), refund);
  }
}
