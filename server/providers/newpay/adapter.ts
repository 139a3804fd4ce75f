/**
 * NewPay (Laos), newpay-api-document.gitbook.io section 4 (seeds/newpay-*.md, providers.md):
 * - mini program: createOpenMini (4.2.2) places the order, getMiniPayment (4.2.3) exchanges a
 *   fresh wx.login code (`payCode`, spent by NewPay only) for the wx.requestPayment parameters;
 * - cashier: Converge createOrder (4.1) returns a payUrl for NewPay App / VISA / WeChat / Alipay;
 * - callbacks (4.4): JSON, SHA256withRSA signed with NewPay's platform key.
 *
 * Where the docs are silent, the choice made is written next to the code that makes it:
 * - responses: `data.sign` is verified over the other fields of `data` (section 8 rule);
 *   error envelopes (success false / code not "0") are accepted unsigned;
 * - getMiniPayment: sent unsigned (its request table has no `sign`); its `data` is verified
 *   when it carries a `sign`, and accepted without one (the table lists none; WeChat itself
 *   checks paySign, and money only counts once a signed callback arrives);
 * - timeStamp: `data.timeStamp` when present, else the envelope `timestamp` in seconds;
 * - queryPayment: v2 uniQueryPay with its own credentials (./query.ts says why).
 */
import { asRecord, fieldText, type JsonObject as Json } from '../../core/json';
import { ProviderError, ValidationError } from '../../core/errors';
import { parseJsonBody, type HttpSend } from '../../core/http';
import { parseCurrency, parseDecimal, toDecimalString } from '../../core/money';
import type { Order } from '../../domain/order';
import type {
  CashierOrderInput,
  CreatePaymentInput,
  CreatedCashierOrder,
  CreatedPayment,
  HttpReply,
  InboundNotification,
  PaymentProvider,
  PaymentReport,
  RefundInput,
  RefundReport,
  WxPaymentParams,
} from '../types';
import type { NewPayConfig, NewPayCurrency } from './config';
import { uniQueryPay } from './query';
import { assertSigned, signParams } from './signature';
import type { CashierPayMethod } from './cashier-options';
import { isNewPayRefundCallback, newpayRefund, verifyNewPayRefundCallback } from './refund';

const PROVIDER = 'newpay';

export const CREATE_OPEN_MINI_PATH = '/api/open/converge/pay/v2/createOpenMini';
export const GET_MINI_PAYMENT_PATH = '/api/open/converge/pay/v2/getMiniPayment';
export const CONVERGE_WEB_PATH = '/api/open/converge/pay/v1/createOrder';
export const CONVERGE_MOBILE_PATH = '/api/open/converge/pay/v1/m/createOrder';

/** Converge payMethod codes (seeds/newpay-4.1): 1 NewPay, 3 VISA, 5 WeChat, 6 Alipay. */
export const PAY_METHOD_CODES: Readonly<Record<CashierPayMethod, number>> = { newpay: 1, visa: 3, wechat: 5, alipay: 6 };

/** NewPay's business codes (section 9), in words a shopper can read. */
export const NEWPAY_ERRORS: Readonly<Record<string, string>> = {
  E9008: 'this payment could not be found; please start again',
  Z00005: 'the payment request was not signed correctly (merchant configuration)',
  Z00007: 'the payment request signature was rejected (check NEWPAY_PRIVATE_KEY and the key registered with NewPay)',
  Z00016: 'this currency is not accepted; pay in LAK or USD',
  Z00018: 'the amount is not valid for this currency (LAK has no decimals)',
  Z00020: 'the amount is not valid',
  Z00023: 'the order number was refused',
  Z01008: 'this order has already been paid',
  Z01009: 'this payment has expired; please place the order again',
  Z01010: 'this payment failed; please place the order again',
  Z01011: 'this payment was cancelled; please place the order again',
  Z01028: 'this order number cannot be used again; please place the order again',
  // WeChat's jscode2session errors, as the local simulator passes them through from
  // getMiniPayment (NewPay documents no code of its own for a bad login code).
  '40029': 'your WeChat login has expired; please try again',
  '40163': 'your WeChat login was already used; please try again',
};




/** `orderAmt`: LAK a whole number string, USD with 2 decimals (seeds/newpay-4.2.2). */
export function orderAmt(amount: number, currency: NewPayCurrency): string {
  const text = toDecimalString({ amount, currency });
  // Money is integer minor units, so LAK is always whole here; this guard makes sure no
  // malformed amount ever leaves (NewPay answers Z00018 for LAK decimals).
  if (currency === 'LAK' ? !/^\d+$/.test(text) : !/^\d+\.\d{2}$/.test(text)) {
    throw new ValidationError('amount', `${currency} amount "${text}" cannot be sent to NewPay (LAK has no decimals, USD has 2)`);
  }
  return text;
}

export class NewPayProvider implements PaymentProvider {
  readonly name = 'newpay' as const;
  readonly currencies: readonly NewPayCurrency[];

  constructor(
    private readonly config: NewPayConfig,
    private readonly http: HttpSend,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.currencies = config.currencies;
  }

  currencyOf(currency: string): NewPayCurrency {
    const found = this.currencies.find((c) => c === currency);
    if (!found) throw new ValidationError('currency', `NewPay takes ${this.currencies.join(' or ')}, not ${currency}`);
    return found;
  }

  /** The signed body every merchant request carries: appId, merchantId, timestamp (ms), sign. */
  signed(fields: Json): Json {
    const body: Json = { appId: this.config.appId, merchantId: this.config.merchantId, timestamp: this.now(), ...fields };
    return { ...body, sign: signParams(body, this.config.privateKey) };
  }

  /**
   * POSTs to NewPay and returns the verified `data` with the envelope's timestamp. Error
   * envelopes are accepted unsigned (they carry no data to trust) and become ProviderErrors.
   */
  async call(path: string, body: Json, what: string, verify: 'always' | 'when-signed'): Promise<{ data: Json; timestamp: unknown }> {
    // Not retried: placing an order is not idempotent, and getMiniPayment spends a login code.
    const response = await this.http({
      method: 'POST',
      url: `${this.config.apiBase}${path}`,
      headers: { 'Content-Type': 'application/json', version: '1.0' },
      body: JSON.stringify(body),
      timeoutMs: this.timeoutMs,
    });
    const json = asRecord(parseJsonBody(PROVIDER, response));
    const code = fieldText(json, 'code');
    const ok = json.success === true && (code === '' || code === '0') && response.status < 400;
    if (!ok) throw this.failure(json, response.status, what);
    const data = asRecord(json.data);
    if (Object.keys(data).length === 0) throw new ProviderError(PROVIDER, `${what} answered success without data`);
    if (verify === 'always' || data.sign !== undefined) assertSigned(data, this.config.publicKey, `NewPay ${what} response`);
    return { data, timestamp: json.timestamp };
  }

  private failure(json: Json, httpStatus: number, what: string): ProviderError {
    const code = fieldText(json, 'code');
    const message = NEWPAY_ERRORS[code] ?? (fieldText(json, 'message') || `HTTP ${httpStatus}`);
    return new ProviderError(PROVIDER, `${what} refused: ${message}`, {
      ...(code && code !== '0' ? { providerCode: code } : {}),
      httpStatus,
      retryable: httpStatus >= 500,
    });
  }

  async createMiniPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    // Checked before anything is created at NewPay: getMiniPayment cannot run without it.
    if (typeof input.payCode !== 'string' || input.payCode.trim() === '') {
      throw new ValidationError('payCode', 'NewPay needs a second fresh wx.login code (payCode) that only NewPay spends');
    }
    const { order } = input;
    const currency = this.currencyOf(order.currency);
    const body = this.signed({
      currency,
      orderAmt: orderAmt(order.amount, currency),
      orderNo: order.orderNo,
      subject: order.description,
      callBackUrl: input.notifyUrl,
      envVersion: this.config.envVersion,
    });
    const { data } = await this.call(CREATE_OPEN_MINI_PATH, body, 'createOpenMini', 'always');
    const newpayOrderNo = fieldText(data, 'newpayOrderNo');
    if (!newpayOrderNo) throw new ProviderError(PROVIDER, 'createOpenMini answered without newpayOrderNo');
    if (data.orderNo !== undefined && fieldText(data, 'orderNo') !== order.orderNo) {
      throw new ProviderError(PROVIDER, 'createOpenMini answered about a different order');
    }
    const payment = await this.cashierPayment(newpayOrderNo, input.payCode);
    return { providerRef: newpayOrderNo, payment };
  }

  /** getMiniPayment (4.2.3): the wx.requestPayment parameters for a NewPay order and a fresh code. */
  async cashierPayment(newpayOrderNo: string, payCode: string): Promise<WxPaymentParams> {
    // The request table lists code, newpayOrderNo and timestamp, and no sign: sent as
    // documented. newpayOrderNo is typed Long, but 18-digit values exceed 2^53, so it is sent
    // as the string NewPay gave us (Java's JSON readers accept a numeric string for a Long).
    const { data, timestamp } = await this.call(
      GET_MINI_PAYMENT_PATH,
      { code: payCode, newpayOrderNo, timestamp: this.now() },
      'getMiniPayment',
      'when-signed',
    );
    const params: WxPaymentParams = {
      timeStamp: wxTimeStamp(data.timeStamp, timestamp),
      nonceStr: fieldText(data, 'nonceStr'),
      package: fieldText(data, 'package'),
      signType: (fieldText(data, 'signType') || 'RSA') as WxPaymentParams['signType'],
      paySign: fieldText(data, 'paySign'),
    };
    const missing = (Object.keys(params) as (keyof WxPaymentParams)[]).filter((k) => params[k] === '');
    if (missing.length > 0) throw new ProviderError(PROVIDER, `getMiniPayment answered without ${missing.join(', ')}`);
    if (params.signType !== 'RSA') throw new ProviderError(PROVIDER, `getMiniPayment answered signType "${params.signType}", expected RSA`);
    return params;
  }

  /** Converge createOrder (4.1): a cashier payUrl for NewPay App, VISA, WeChat or Alipay. */
  async createCashierOrder(input: CashierOrderInput): Promise<CreatedCashierOrder> {
    const { order } = input;
    const payMethod = PAY_METHOD_CODES[input.payMethod as CashierPayMethod];
    if (payMethod === undefined) throw new ValidationError('payMethod', `must be one of ${Object.keys(PAY_METHOD_CODES).join(', ')}`);
    if (input.payMethod === 'alipay') {
      if (!input.subject) throw new ValidationError('subject', 'is required for Alipay');
      if (!/ANDROID|IOS/i.test(input.extra ?? '')) throw new ValidationError('extra', 'must name ANDROID or IOS for Alipay');
    }
    const currency = this.currencyOf(order.currency);
    const pages = this.returnPages(order.orderNo, input.notifyUrl);
    const body = this.signed({
      payMethod,
      currency,
      orderAmt: orderAmt(order.amount, currency),
      orderNo: order.orderNo,
      callBackUrl: input.notifyUrl,
      successPageUrl: pages.success,
      failurePageUrl: pages.failure,
      cancelPageUrl: pages.cancel,
      subject: input.subject ?? order.description,
      ...(input.extra !== undefined ? { extra: input.extra } : {}),
    });
    const path = input.channel === 'mobile' ? CONVERGE_MOBILE_PATH : CONVERGE_WEB_PATH;
    const { data } = await this.call(path, body, 'createOrder', 'always');
    const newpayOrderNo = fieldText(data, 'newpayOrderNo');
    const payUrl = fieldText(data, 'payUrl');
    if (!newpayOrderNo || !payUrl) throw new ProviderError(PROVIDER, 'createOrder answered without newpayOrderNo or payUrl');
    return { providerRef: newpayOrderNo, payUrl };
  }

  /**
   * successPageUrl / failurePageUrl / cancelPageUrl: NEWPAY_RETURN_URL with `orderNo` and
   * `result` in the query. Unset, the origin of the notify URL (the merchant's own domain) is
   * used, so the three required fields are never empty.
   */
  returnPages(orderNo: string, notifyUrl: string): { success: string; failure: string; cancel: string } {
    const base = this.config.returnUrl ?? `${new URL(notifyUrl).origin}/`;
    const page = (result: string) => {
      const url = new URL(base);
      url.searchParams.set('orderNo', orderNo);
      url.searchParams.set('result', result);
      return url.toString();
    };
    return { success: page('success'), failure: page('failure'), cancel: page('cancel') };
  }

  verifyNotification(notification: InboundNotification): PaymentReport {
    const body = parseCallback(notification);
    // Verify before interpreting anything else the body says. Numbers are signed as written.
    assertSigned(body, this.config.publicKey, 'NewPay callback');
    if (String(body.appId) !== this.config.appId) throw new ValidationError('appId', 'NewPay callback is for another application');
    const orderNo = fieldText(body, 'orderNo');
    if (!orderNo) throw new ValidationError('orderNo', 'is missing from the NewPay callback');
    const transStatus = fieldText(body, 'transStatus');
    // Payment callbacks: 0 success, 1 failure. (Refund callbacks invert this; we request no
    // refunds, and a refund report could not move a PAID order anyway.)
    const outcome = transStatus === '0' ? 'paid' : transStatus === '1' ? 'failed' : undefined;
    if (!outcome) throw new ValidationError('transStatus', `unknown NewPay transStatus "${transStatus}"`);
    const currency = parseCurrency(body.currency);
    const report: PaymentReport = {
      orderNo,
      outcome,
      amount: parseDecimal(body.orderAmt, currency, 'orderAmt'),
      summary: `transStatus=${transStatus} payMethod=${fieldText(body, 'payMethod')} amount=${fieldText(body, 'orderAmt')} ${currency}`,
    };
    const newpayOrderNo = fieldText(body, 'newpayOrderNo');
    if (newpayOrderNo) report.providerRef = newpayOrderNo;
    return report;
  }

  claimedOrderNo(notification: InboundNotification): string | undefined {
    try {
      const claimed = parseCallback(notification).orderNo;
      return typeof claimed === 'string' ? claimed : undefined;
    } catch {
      return undefined;
    }
  }

  acknowledge(): HttpReply {
    // NewPay stops retrying on {"transResult":"SUCCESS"} (section 4.4).
    return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ transResult: 'SUCCESS' }) };
  }

  refuse(statusCode: number, reason: string): HttpReply {
    return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ transResult: 'FAIL', reason }) };
  }

  /** Where a payment stands, through v2 uniQueryPay (./query.ts); only with its credentials. */
  async queryPayment(order: Order): Promise<PaymentReport> {
    const query = this.config.query;
    if (!query) throw new ProviderError(PROVIDER, 'cannot be queried: set NEWPAY_QUERY_APP_ID and NEWPAY_QUERY_MCH_ID (v2 uniQueryPay)');
    return uniQueryPay(order, query, { privateKey: this.config.privateKey, publicKey: this.config.publicKey }, this.http, this.timeoutMs);
  }

  // --- Refunds (./refund.ts): v1 refund, its callback; no refund query in v1 ---
  refund(input: RefundInput): Promise<RefundReport> {
    return newpayRefund({ signed: (f) => this.signed(f), call: (...a) => this.call(...a), currencyOf: (c) => this.currencyOf(c), orderAmt }, input);
  }

  isRefundNotification(notification: InboundNotification): boolean {
    return isNewPayRefundCallback(notification);
  }

  verifyRefundNotification(notification: InboundNotification): RefundReport {
    return verifyNewPayRefundCallback(notification, this.config.publicKey, this.config.appId);
  }
}

/** The callback JSON object; anything else is a ValidationError (never trusted before assertSigned). */
function parseCallback(notification: InboundNotification): Json {
  let value: unknown;
  try {
    value = JSON.parse(notification.rawBody.toString('utf8'));
  } catch {
    throw new ValidationError('body', 'NewPay callback is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError('body', 'NewPay callback is not a JSON object');
  return value as Json;
}

/**
 * wx.requestPayment's timeStamp (seconds, string). getMiniPayment's documented data has no
 * timeStamp although the v3 paySign signs one: a `data.timeStamp` is used when present; else
 * the envelope's `timestamp` (documented as the response time, in ms) converted to seconds,
 * on the reading that NewPay signs with the moment it answers. A 10-digit envelope value is
 * taken as seconds already. Anything else is a ProviderError, never a made-up time.
 */
export function wxTimeStamp(dataTimeStamp: unknown, envelopeTimestamp: unknown): string {
  const given = typeof dataTimeStamp === 'number' ? String(dataTimeStamp) : dataTimeStamp;
  if (typeof given === 'string' && given !== '') {
    if (!/^\d{10}$/.test(given)) throw new ProviderError(PROVIDER, `getMiniPayment answered a malformed timeStamp "${given}"`);
    return given;
  }
  const envelope = typeof envelopeTimestamp === 'number' ? String(envelopeTimestamp) : envelopeTimestamp;
  if (typeof envelope === 'string' && /^\d{13}$/.test(envelope)) return envelope.slice(0, 10);
  if (typeof envelope === 'string' && /^\d{10}$/.test(envelope)) return envelope;
  throw new ProviderError(PROVIDER, 'getMiniPayment answered without a usable timeStamp or timestamp');
}
