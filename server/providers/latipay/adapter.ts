/**
 * Latipay (NZ / AU): POST /v2/miniapppay returns the wx.requestPayment parameters;
 * notifications are form-encoded and HMAC-signed; GET /v2/transaction/{ref} queries.
 */
import { asRecord, fieldText } from '../../core/json';
import { ProviderError, SignatureError, ValidationError } from '../../core/errors';
import { parseJsonBody, type HttpSend } from '../../core/http';
import { parseCurrency, parseDecimal, toDecimalString, type Currency, type Money } from '../../core/money';
import type { Order } from '../../domain/order';
import type {
  CreatePaymentInput,
  CreatedPayment,
  HttpReply,
  InboundNotification,
  PaymentProvider,
  PaymentReport,
  RefundInput,
  RefundReport,
  WxPaymentParams,
} from '../types';
import type { LatipayConfig } from './config';
import { LATIPAY_ERRORS } from './errors';
import { latipayRefund } from './refund';
import { signRequest, signResult, signatureMatches } from './signature';

const PROVIDER = 'latipay';


type LatipayStatus = 'pending' | 'canceled' | 'rejected' | 'paid' | 'failed';

const OUTCOME: Record<LatipayStatus, PaymentReport['outcome']> = {
  paid: 'paid',
  pending: 'pending',
  failed: 'failed',
  rejected: 'failed',
  canceled: 'closed',
};

function isStatus(value: unknown): value is LatipayStatus {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(OUTCOME, value);
}



function providerFailure(body: Record<string, unknown>, httpStatus: number): ProviderError {
  const code = fieldText(body, 'code');
  const message = LATIPAY_ERRORS[code] ?? (fieldText(body, 'message') || `HTTP ${httpStatus}`);
  return new ProviderError(PROVIDER, `refused the payment: ${message}`, {
    ...(code ? { providerCode: code } : {}),
    httpStatus,
    retryable: httpStatus >= 500,
  });
}

export class LatipayProvider implements PaymentProvider {
  readonly name = 'latipay' as const;
  readonly currencies: readonly Currency[];

  constructor(
    private readonly config: LatipayConfig,
    private readonly wechatAppId: string,
    private readonly http: HttpSend,
    private readonly timeoutMs: number,
  ) {
    this.currencies = [config.currency];
  }

  async createMiniPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const fields: Record<string, string> = {
      user_id: this.config.userId,
      wallet_id: this.config.walletId,
      amount: toDecimalString({ amount: input.order.amount, currency: input.order.currency }),
      notify_url: input.notifyUrl,
      merchant_reference: input.order.orderNo,
      product_name: input.order.description,
      app_id: this.wechatAppId,
      open_id: input.openid,
    };
    const body = JSON.stringify({ ...fields, signature: signRequest(fields, this.config.apiKey) });
    // Not retried: placing an order is not idempotent from our side.
    const response = await this.http({
      method: 'POST',
      url: `${this.config.apiBase}/v2/miniapppay`,
      headers: { 'Content-Type': 'application/json;charset=UTF-8' },
      body,
      timeoutMs: this.timeoutMs,
    });
    const json = asRecord(parseJsonBody(PROVIDER, response));
    const payment = asRecord(json.payment);
    const code = fieldText(json, 'code');
    if (response.status >= 400 || (code !== '' && code !== '0') || !json.payment) {
      throw providerFailure(json, response.status);
    }
    const params: WxPaymentParams = {
      timeStamp: fieldText(payment, 'timeStamp'),
      nonceStr: fieldText(payment, 'nonceStr'),
      // Latipay names it packageStr; wx.requestPayment calls it package.
      package: fieldText(payment, 'packageStr') || fieldText(payment, 'package'),
      signType: (fieldText(payment, 'signType') || 'MD5') as WxPaymentParams['signType'],
      paySign: fieldText(payment, 'paySign'),
    };
    const missing = (Object.keys(params) as (keyof WxPaymentParams)[]).filter((k) => params[k] === '');
    if (missing.length > 0) {
      throw new ProviderError(PROVIDER, `answered without ${missing.join(', ')} in payment`);
    }
    if (!['MD5', 'HMAC-SHA256', 'RSA'].includes(params.signType)) {
      throw new ProviderError(PROVIDER, `answered with an unknown signType "${params.signType}"`);
    }
    const orderId = fieldText(asRecord(json.paydata), 'order_id');
    return orderId ? { providerRef: orderId, payment: params } : { payment: params };
  }

  verifyNotification(notification: InboundNotification): PaymentReport {
    const form = new URLSearchParams(notification.rawBody.toString('utf8'));
    const field = (name: string): string => {
      const value = form.get(name);
      if (value === null || value === '') throw new ValidationError(name, 'is missing from the Latipay notification');
      return value;
    };
    const fields = {
      merchant_reference: field('merchant_reference'),
      payment_method: field('payment_method'),
      status: field('status'),
      currency: field('currency'),
      amount: field('amount'),
    };
    // Verify before interpreting anything else the body says.
    if (!signatureMatches(signResult(fields, this.config.apiKey), form.get('signature'))) {
      throw new SignatureError('Latipay notification signature does not match');
    }
    const currency = parseCurrency(fields.currency);
    const report: PaymentReport = {
      orderNo: fields.merchant_reference,
      outcome: isStatus(fields.status) ? OUTCOME[fields.status] : 'pending',
      amount: parseDecimal(fields.amount, currency),
      summary: `status=${fields.status} method=${fields.payment_method} amount=${fields.amount} ${fields.currency}`,
    };
    // A status the docs do not list is signed but not understood: the query decides.
    if (!isStatus(fields.status)) report.confirm = `undocumented Latipay status "${fields.status}"`;
    // order_id and pay_time are outside the signature: never stored. The reference comes from
    // the miniapppay answer (or a query, which is our own authenticated request).
    return report;
  }

  claimedOrderNo(notification: InboundNotification): string | undefined {
    return new URLSearchParams(notification.rawBody.toString('utf8')).get('merchant_reference') ?? undefined;
  }

  acknowledge(): HttpReply {
    // Latipay stops retrying when the body is exactly "sent".
    return { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'sent' };
  }

  refuse(statusCode: number, reason: string): HttpReply {
    return { statusCode, headers: { 'Content-Type': 'text/plain' }, body: reason };
  }

  async queryPayment(order: Order): Promise<PaymentReport> {
    const query = { merchant_reference: order.orderNo, user_id: this.config.userId };
    const signature = signRequest(query, this.config.apiKey);
    const url =
      `${this.config.apiBase}/v2/transaction/${encodeURIComponent(order.orderNo)}` +
      `?user_id=${encodeURIComponent(this.config.userId)}&signature=${signature}`;
    const response = await this.http({ method: 'GET', url, timeoutMs: this.timeoutMs, retries: 2 });
    const json = asRecord(parseJsonBody(PROVIDER, response));
    if (response.status >= 400 || !json.status) throw providerFailure(json, response.status);
    const currency = parseCurrency(json.currency, 'currency');
    // The query returns amount as a JSON number; the signature is over it with the currency's decimals.
    const amount: Money = parseDecimal(json.amount, currency);
    const fields = {
      merchant_reference: fieldText(json, 'merchant_reference'),
      payment_method: fieldText(json, 'payment_method'),
      status: fieldText(json, 'status'),
      currency,
      amount: toDecimalString(amount),
    };
    if (!signatureMatches(signResult(fields, this.config.apiKey), json.signature)) {
      throw new SignatureError('Latipay query response signature does not match');
    }
    if (fields.merchant_reference !== order.orderNo) {
      throw new ProviderError(PROVIDER, 'query answered about a different order');
    }
    if (!isStatus(fields.status)) throw new ProviderError(PROVIDER, `unknown status "${fields.status}"`);
    const report: PaymentReport = {
      orderNo: order.orderNo,
      outcome: OUTCOME[fields.status],
      amount,
      summary: `query status=${fields.status}`,
    };
    const orderId = fieldText(json, 'order_id');
    if (orderId) report.providerRef = orderId;
    return report;
  }

  /** POST /refund (./refund.ts): the answer is the result. */
  refund(input: RefundInput): Promise<RefundReport> {
    return latipayRefund(this.config, this.http, this.timeoutMs, input);
  }
}
