/**
 * The one small interface every provider adapter implements (after Omnipay's gateway
 * interface). Each adapter is checked by the shared contract suite in
 * test/providers/contract.ts plus the known-answer vectors from its own docs.
 */
import type { Currency, Money } from '../core/money';
import type { AppPaymentParams, WxPaymentParams } from '../contract/wire';
import type { Order } from '../domain/order';
import type { Refund } from '../domain/refund';
import type { PaymentOutcome, RefundOutcome } from './outcomes';

export type { AppPaymentParams, WxPaymentParams } from '../contract/wire';


export interface CreatePaymentInput {
  order: Order;
  openid: string;
  /** Where the provider must send its notification for this order. */
  notifyUrl: string;
  /** Providers with `secondLoginCode`: a second fresh wx.login code only the provider spends. */
  payCode?: string;
}

export interface CreatedPayment {
  /** The provider's reference for the payment, stored on the order. */
  providerRef?: string;
  payment: WxPaymentParams;
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
  /** From the provider's outcome table (./outcomes.ts): anything it does not document is `uncertain`. */
  outcome: PaymentOutcome;
  /** The documented code or status the outcome was read from, as the provider wrote it (timeline). */
  code?: string;
  /** The amount the provider says was (or is to be) paid, to compare with the order. */
  amount?: Money;
  providerRef?: string;
  /** A short, non-secret description for the order timeline ("status=paid"). */
  summary: string;
  /**
   * Set when the outcome rests on something the signature or integrity check does not cover
   * (OTT Pay's `rsp_code`) or on a value we do not know: the report must be confirmed by
   * querying the provider before anything changes. Says why, for the timeline.
   */
  confirm?: string;
}

export interface RefundInput {
  order: Order;
  refund: Refund;
  /** Where a provider with refund callbacks must send them (`<NOTIFY_BASE_URL>/<provider>`). */
  notifyUrl: string;
  /**
   * The same refund number sent again because the first request may not have arrived (only
   * where the descriptor declares `refundResend`): an answer that the number already exists
   * means "ask", never "refused".
   */
  resend?: boolean;
}

/** What a provider's refund answer, refund callback or refund query says about a refund. */
export interface RefundReport {
  refundNo: string;
  /**
   * From the provider's outcome table (./outcomes.ts): `refused` only for a documented
   * refusal; anything undocumented, unreadable or contradictory is `uncertain`.
   */
  outcome: RefundOutcome;
  /** The documented code or status the outcome was read from, as the provider wrote it (timeline). */
  code?: string;
  /** Set when a person must look at the refund whatever its outcome (WeChat Pay's REFUND.ABNORMAL), saying why. */
  attention?: string;
  /** The amount the provider says it refunds, to compare with the refund. */
  amount?: Money;
  /**
   * The amount as the provider wrote it, in major units of the refund's currency, when the
   * report names no currency (some refund callbacks carry none): the service parses it with the
   * refund's currency and compares it the same way.
   */
  decimalAmount?: string;
  /** The provider's own refund reference. */
  providerRef?: string;
  /** A short, non-secret description for the timeline; for a refusal, words an operator can act on. */
  summary: string;
}

/** A complete HTTP reply, in the shape CloudBase HTTP access returns. */
export interface HttpReply {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface PaymentProvider {
  readonly name: string;
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
   * Optional: fetches what verifying this notification needs before the synchronous verify
   * runs (WeChat Pay: its platform certificates, when the signature names a serial not held
   * yet). Never throws; what it could not fetch makes verification fail as it would anyway.
   */
  prepareNotification?(notification: InboundNotification): Promise<void>;
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
  /**
   * Optional (capability `close`): closes an unpaid payment at the provider. `closed` when it
   * is; `paid` when the provider answers that it was paid (WeChat Pay's ORDERPAID); else uncertain.
   */
  closePayment?(order: Order): Promise<PaymentReport>;

  // --- Refunds (capabilities refund / refundQuery; code in each provider's refund.ts) ---
  /**
   * Asks the provider to refund `input.refund.amount` of a paid order, with the refundNo as the
   * provider's refund reference. Resolves with what the answer says through the provider's
   * outcome table: succeeded, refused (a documented refusal only), pending or uncertain. It
   * does not throw for a refusal; anything it throws (no answer, a timeout, a bug) is taken as
   * uncertain by the settlement engine: the refund may have happened, so it stays PENDING.
   */
  refund?(input: RefundInput): Promise<RefundReport>;
  /** Asks the provider where a PENDING refund stands. */
  queryRefund?(refund: Refund): Promise<RefundReport>;
  /**
   * Whether an inbound notification is a refund callback rather than a payment one, by its
   * shape only (routing, never trust): the refund ingress then verifies it.
   */
  isRefundNotification?(notification: InboundNotification): boolean;
  /** Verifies a refund callback; throws SignatureError when it cannot be trusted. */
  verifyRefundNotification?(notification: InboundNotification): RefundReport;

  // --- Cashier flows (design.md flow step 7): the provider's own cashier ---
  /**
   * The wx.requestPayment parameters for an order the provider already holds (the reference
   * its scheme URL carried), for the shopper whose fresh `payCode` is given.
   */
  cashierPayment?(providerRef: string, payCode: string): Promise<WxPaymentParams>;
  /** Places an order paid on the provider's own cashier page; returns where to send the shopper. */
  createCashierOrder?(input: CashierOrderInput): Promise<CreatedCashierOrder>;
}

/**
 * A cashier order's options, checked by the provider's descriptor (`cashierOptions`): which
 * pay method and channel, and the texts some methods require. Their values are the provider's.
 */
export interface CashierOrderOptions {
  payMethod: string;
  channel: string;
  /** Shown on the cashier. Defaults to the order's description. */
  subject?: string;
  /** Passed through to the provider. */
  extra?: string;
}

export interface CashierOrderInput extends CashierOrderOptions {
  order: Order;
  notifyUrl: string;
}

export interface CreatedCashierOrder {
  providerRef?: string;
  /** The cashier page (web), AppLink (mobile) the shopper is sent to. */
  payUrl: string;
}
