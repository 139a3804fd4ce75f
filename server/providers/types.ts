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

/**
 * What a native app passes to the WeChat SDK's PayReq (In-App Payment): signed by the
 * backend, never containing the WeChat Pay API key used to sign it.
 */
export interface AppPaymentParams {
  appId: string;
  partnerId: string;
  prepayId: string;
  /** Always "Sign=WXPay" for WeChat In-App Payment. */
  packageValue: string;
  nonceStr: string;
  timeStamp: string;
  sign: string;
}

export interface CreatedAppPayment {
  providerRef?: string;
  appPayment: AppPaymentParams;
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
   * Optional: places the order for a merchant's native app (WeChat In-App Payment) and returns
   * the signed PayReq parameters. `input.openid` is the caller the order belongs to.
   */
  createAppPayment?(input: CreatePaymentInput): Promise<CreatedAppPayment>;
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

  // --- Cashier flows (NewPay: design.md flow step 7, seeds/newpay-4.1) ---
  /** True when createMiniPayment needs `payCode` (a second fresh wx.login code the provider spends). */
  readonly requiresPayCode?: boolean;
  /**
   * True when createMiniPayment may be called again for an order the provider already holds
   * and answers with fresh parameters for the same payment (Latipay: same merchant_reference).
   * Used by retryPayment ("Pay again" after a cancel); providers without it cannot re-issue.
   */
  readonly reissuesPayment?: boolean;
  /**
   * The wx.requestPayment parameters for an order the provider already holds (NewPay: the
   * `newpayOrderNo` from its scheme URL), for the shopper whose fresh `payCode` is given.
   */
  cashierPayment?(providerRef: string, payCode: string): Promise<WxPaymentParams>;
  /** Places an order paid on the provider's own cashier page; returns where to send the shopper. */
  createCashierOrder?(input: CashierOrderInput): Promise<CreatedCashierOrder>;
}

export const CASHIER_PAY_METHODS = ['newpay', 'visa', 'wechat', 'alipay'] as const;
export type CashierPayMethod = (typeof CASHIER_PAY_METHODS)[number];
export const CASHIER_CHANNELS = ['web', 'mobile'] as const;
export type CashierChannel = (typeof CASHIER_CHANNELS)[number];

export interface CashierOrderInput {
  order: Order;
  notifyUrl: string;
  payMethod: CashierPayMethod;
  channel: CashierChannel;
  /** Shown on the cashier; required for Alipay. Defaults to the order's description. */
  subject?: string;
  /** Passed through to the provider; for Alipay it must name ANDROID or IOS. */
  extra?: string;
}

export interface CreatedCashierOrder {
  providerRef?: string;
  /** The cashier page (web), AppLink (mobile) the shopper is sent to. */
  payUrl: string;
}
