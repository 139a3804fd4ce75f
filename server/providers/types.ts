/**
 * The one small interface every provider adapter implements (after Omnipay's gateway
 * interface). Each adapter is checked by the shared contract suite in
 * test/providers/contract.ts plus the known-answer vectors from its own docs.
 */
import type { Currency, Money } from '../core/money';
import type { Order, ProviderName } from '../orders/types';

/** The five parameters `wx.requestPayment` takes. Nothing else reaches the mini program. */
export interface WxPaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'MD5' | 'HMAC-SHA256' | 'RSA';
  paySign: string;
}

export interface CreatePaymentInput {
  order: Order;
  openid: string;
  /** Where the provider must send its notification for this order. */
  notifyUrl: string;
  /** NewPay only: a second fresh wx.login code that only NewPay spends. */
  payCode?: string;
}

export interface CreatedPayment {
  /** The provider's reference for the payment, stored on the order. */
  providerRef?: string;
  payment: WxPaymentParams;
}

/** An inbound notification exactly as received: verification runs over these bytes. */
export interface InboundNotification {
  headers: Record<string, string>;
  /** The raw body, undecoded. */
  rawBody: Buffer;
  query: Record<string, string>;
}

/** What a verified notification or a status query says about a payment. */
export interface PaymentReport {
  orderNo: string;
  /** paid: money moved. failed: it will not. pending: nothing final yet. closed: cancelled/expired. */
  outcome: 'paid' | 'failed' | 'pending' | 'closed';
  /** The amount the provider says was (or is to be) paid, to compare with the order. */
  amount?: Money;
  providerRef?: string;
  /** A short, non-secret description for the order timeline ("status=paid"). */
  summary: string;
}

/** A complete HTTP reply, in the shape CloudBase HTTP access returns. */
export interface HttpReply {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface PaymentProvider {
  readonly name: ProviderName;
  /** Currencies this merchant account can charge; the first is the default. */
  readonly currencies: readonly Currency[];
  /** Places the order with the provider and returns the wx.requestPayment parameters. */
  createMiniPayment(input: CreatePaymentInput): Promise<CreatedPayment>;
  /**
   * Verifies (or decrypts) a notification and says what it reports. Throws SignatureError
   * when it cannot be trusted; never returns unverified data.
   */
  verifyNotification(notification: InboundNotification): PaymentReport;
  /**
   * The order a notification claims to be about, read WITHOUT trusting it: only used to file
   * a refused notification in that order's timeline. Never used to change anything.
   */
  claimedOrderNo(notification: InboundNotification): string | undefined;
  /** The reply that tells the provider the notification is stored and must not be resent. */
  acknowledge(): HttpReply;
  /** The reply to a notification we refuse: the provider should retry or give up, never count it. */
  refuse(statusCode: number, reason: string): HttpReply;
  /** Asks the provider where a payment stands, for orders whose notification never came. */
  queryPayment?(order: Order): Promise<PaymentReport>;
}
