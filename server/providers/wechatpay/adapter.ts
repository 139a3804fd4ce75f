/**
 * WeChat Pay Global, API v3, for a mini program (JSAPI): pay.weixin.qq.com/wiki/doc/
 * api_external/en/ and providers.md "WeChat Pay Global, API v3".
 * - create: `POST /v3/global/transactions/jsapi` with the shopper's openid → `prepay_id` →
 *   the five wx.requestPayment parameters, `signType: "RSA"`, paySign by the merchant key;
 * - query: `GET /v3/global/transactions/out-trade-no/{no}?mchid=`;
 * - close: `POST …/out-trade-no/{no}/close`, only 5 minutes after the order was placed;
 * - notifications: TRANSACTION.SUCCESS (and REFUND.* in ./refund.ts), signed and encrypted;
 * - refunds: ./refund.ts.
 * Every request is signed (./request-signature.ts), every answer and notification verified
 * (./signed-message.ts) with the key its serial names (./platform-keys.ts), every code read
 * through ./outcomes.ts.
 */
import { asRecord, fieldText, type JsonObject } from '../../core/json';
import { ProviderError, ValidationError } from '../../core/errors';
import { money, parseCurrency, type Currency, type Money } from '../../core/money';
import type { Order } from '../../domain/order';
import type { Refund } from '../../domain/refund';
import type { AdapterContext } from '../descriptor';
import { outcomeOf } from '../outcomes';
import type {
  CreatePaymentInput,
  CreatedPayment,
  HttpReply,
  InboundNotification,
  PaymentProvider,
  PaymentReport,
  RefundInput,
  RefundReport,
} from '../types';
import { downloadCertificates } from './certificates';
import { PROVIDER, WechatPayClient, answerError } from './client';
import type { WechatPayConfig } from './config';
import { decryptedResource, envelopeOf, verifiedEvent } from './notification';
import { WECHATPAY_OUTCOMES } from './outcomes';
import { miniProgramParams } from './pay-sign';
import { PlatformKeys } from './platform-keys';
import { queryRefund, readRefundEvent, requestRefund, looksLikeRefund } from './refund';
import { merchantPrivateKey, newNonce } from './request-signature';

export const JSAPI_PATH = '/v3/global/transactions/jsapi';
export const OUT_TRADE_NO_PATH = '/v3/global/transactions/out-trade-no';
/** WeChat Pay closes an order only 5 minutes after it was placed. */
export const CLOSE_NOT_BEFORE_MS = 5 * 60_000;

/** The amount a transaction names, `{total, currency}` in minor units. */
function transactionAmount(amount: JsonObject): Money | undefined {
  if (typeof amount.total !== 'number') return undefined;
  return money(amount.total, parseCurrency(fieldText(amount, 'currency'), 'amount.currency'), 'amount.total');
}

export class WechatPayProvider implements PaymentProvider {
  readonly name = 'wechatpay' as const;
  readonly currencies: readonly Currency[];
  readonly keys: PlatformKeys;
  private readonly client: WechatPayClient;
  private readonly privateKey;

  /**
   * The wall clock that signatures and their 5-minute window are about (WeChat Pay's and ours).
   * `ctx.now` is the business clock (tests move it to pass reconcile windows); signing with it
   * would make a moved clock look like a replay to WeChat Pay.
   */
  private readonly wallClock: () => number;

  constructor(
    private readonly config: WechatPayConfig,
    private readonly ctx: AdapterContext,
    wallClock: () => number = Date.now,
  ) {
    this.wallClock = wallClock;
    this.currencies = [config.currency];
    this.privateKey = merchantPrivateKey(config.privateKey);
    this.keys = new PlatformKeys({
      ...(config.publicKey ? { publicKey: config.publicKey } : {}),
      download: () => downloadCertificates(this.client, config.apiV3Key),
      now: wallClock,
    });
    this.client = new WechatPayClient({
      apiBase: config.apiBase,
      merchant: { mchid: config.mchId, serialNo: config.certSerial, privateKey: this.privateKey },
      keys: this.keys,
      http: ctx.http,
      timeoutMs: ctx.timeoutMs,
      now: wallClock,
    });
  }

  async createMiniPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const { order } = input;
    if (order.currency !== this.config.currency) throw new ValidationError('currency', `WeChat Pay Global here settles in ${this.config.currency}, not ${order.currency}`);
    const body: JsonObject = {
      appid: this.ctx.wechatAppId,
      mchid: this.config.mchId,
      description: order.description.slice(0, 127),
      out_trade_no: order.orderNo,
      notify_url: input.notifyUrl,
      trade_type: 'JSAPI',
      ...(this.config.merchantCategoryCode ? { merchant_category_code: this.config.merchantCategoryCode } : {}),
      amount: { total: order.amount, currency: order.currency },
      payer: { openid: input.openid },
    };
    // Not retried: the same out_trade_no again could answer OUT_TRADE_NO_USED.
    const answer = await this.client.call('POST', JSAPI_PATH, body, 'order');
    const prepayId = fieldText(answer.json, 'prepay_id');
    if (answer.status !== 200 || !prepayId) {
      const outcome = answer.status === 200 ? 'uncertain' : outcomeOf(WECHATPAY_OUTCOMES.create, answer.signed ? answer.code : undefined);
      throw answerError(answer, 'the order was not placed', outcome !== 'uncertain');
    }
    const timeStamp = String(Math.floor(this.wallClock() / 1000));
    return { payment: miniProgramParams(this.ctx.wechatAppId, prepayId, this.privateKey, timeStamp, newNonce()) };
  }

  /** Fetches what verifying `notification` needs: the certificates, when its serial is new (bounded). */
  async prepareNotification(notification: InboundNotification): Promise<void> {
    const serial = Object.entries(notification.headers).find(([k]) => k.toLowerCase() === 'wechatpay-serial')?.[1];
    await this.keys.ensureFresh().catch(() => undefined);
    if (serial) await this.keys.ensureSerial(serial).catch(() => undefined);
  }

  verifyNotification(notification: InboundNotification): PaymentReport {
    const event = verifiedEvent(notification, this.keys, this.config.apiV3Key, this.wallClock());
    const t = event.resource;
    const orderNo = fieldText(t, 'out_trade_no');
    if (!orderNo) throw new ValidationError('out_trade_no', 'is missing from the WeChat Pay notification');
    if (fieldText(t, 'mchid') !== this.config.mchId) throw new ValidationError('mchid', 'WeChat Pay notification is for another merchant');
    if (fieldText(t, 'appid') !== '' && fieldText(t, 'appid') !== this.ctx.wechatAppId) throw new ValidationError('appid', 'WeChat Pay notification is for another mini program');
    const state = fieldText(t, 'trade_state');
    const fromState = outcomeOf(WECHATPAY_OUTCOMES.notification, state);
    // Only TRANSACTION.SUCCESS is a documented payment notification; anything else, or a state
    // that does not agree with it, is confirmed by the query.
    const outcome = event.eventType === 'TRANSACTION.SUCCESS' ? fromState : 'uncertain';
    const amount = transactionAmount(asRecord(t.amount));
    const transactionId = fieldText(t, 'transaction_id');
    return {
      orderNo,
      outcome,
      code: state || event.eventType,
      ...(amount ? { amount } : {}),
      ...(transactionId ? { providerRef: transactionId } : {}),
      summary: `${event.eventType} trade_state=${state || '-'} amount=${fieldText(asRecord(t.amount), 'total') || '-'} ${fieldText(asRecord(t.amount), 'currency')}`,
      ...(outcome === 'uncertain' ? { confirm: `WeChat Pay ${event.eventType} with trade_state "${state}" is not a documented payment notification` } : {}),
    };
  }

  claimedOrderNo(notification: InboundNotification): string | undefined {
    try {
      return fieldText(decryptedResource(envelopeOf(notification), this.config.apiV3Key), 'out_trade_no') || undefined;
    } catch {
      return undefined;
    }
  }

  acknowledge(): HttpReply {
    // WeChat Pay reads the status only (200 or 204); no body is needed.
    return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '' };
  }

  refuse(statusCode: number, reason: string): HttpReply {
    // Any other status makes WeChat Pay send it again on its schedule; the body is for its logs.
    return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: 'FAIL', message: reason.slice(0, 200) }) };
  }

  async queryPayment(order: Order): Promise<PaymentReport> {
    const path = `${OUT_TRADE_NO_PATH}/${encodeURIComponent(order.orderNo)}?mchid=${encodeURIComponent(this.config.mchId)}`;
    const answer = await this.client.call('GET', path, undefined, 'order query', { retries: 2 });
    if (answer.status !== 200) {
      return { orderNo: order.orderNo, outcome: 'uncertain', ...(answer.code ? { code: answer.code } : {}), summary: `query answered HTTP ${answer.status} ${answer.code || ''}${answer.signed ? '' : ' (unsigned)'}`.trim() };
    }
    const answered = fieldText(answer.json, 'out_trade_no');
    if (answered !== order.orderNo) throw new ProviderError(PROVIDER, 'order query answered about a different order');
    const state = fieldText(answer.json, 'trade_state');
    const amount = transactionAmount(asRecord(answer.json.amount));
    const transactionId = fieldText(answer.json, 'transaction_id');
    return {
      orderNo: order.orderNo,
      outcome: outcomeOf(WECHATPAY_OUTCOMES.query, state),
      code: state,
      ...(amount ? { amount } : {}),
      ...(transactionId ? { providerRef: transactionId } : {}),
      summary: `query trade_state=${state || '-'}`,
    };
  }

  async closePayment(order: Order): Promise<PaymentReport> {
    if (this.ctx.now() - order.createdAt < CLOSE_NOT_BEFORE_MS) {
      return { orderNo: order.orderNo, outcome: 'uncertain', summary: 'not closed yet: WeChat Pay closes an order only 5 minutes after it was placed' };
    }
    const path = `${OUT_TRADE_NO_PATH}/${encodeURIComponent(order.orderNo)}/close`;
    const answer = await this.client.call('POST', path, { mchid: this.config.mchId }, 'close');
    const code = answer.status === 204 || answer.status === 200 ? '204' : answer.signed ? answer.code : '';
    return { orderNo: order.orderNo, outcome: outcomeOf(WECHATPAY_OUTCOMES.close, code), ...(code ? { code: code === '204' ? 'CLOSED' : code } : {}), summary: `close answered HTTP ${answer.status}${answer.code ? ` ${answer.code}` : ''}` };
  }

  refund(input: RefundInput): Promise<RefundReport> {
    return requestRefund(this.client, this.config.mchId, this.ctx.wechatAppId, input);
  }

  queryRefund(refund: Refund): Promise<RefundReport> {
    return queryRefund(this.client, this.config.mchId, refund);
  }

  isRefundNotification(notification: InboundNotification): boolean {
    try {
      return looksLikeRefund(envelopeOf(notification));
    } catch {
      return false;
    }
  }

  verifyRefundNotification(notification: InboundNotification): RefundReport {
    return readRefundEvent(verifiedEvent(notification, this.keys, this.config.apiV3Key, this.wallClock()), this.config.mchId);
  }
}
