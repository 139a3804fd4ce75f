/**
 * The wire contract between the mini program and the cloud functions: every event a page
 * sends, every reply it gets, the order and payment shapes, and the error codes. Declared
 * once, here; `npm run build` copies this file to miniprogram/contract/wire.ts (DevTools
 * compiles only what is under miniprogram/), and test/build/contract.test.ts fails when the
 * copy is stale. Types only, no imports: the copy must compile on its own.
 * Amounts are integer minor units of the order's currency.
 */

// --- Orders ---

/**
 * CREATED: stored, provider not asked yet. PAYING: the provider accepted it and the shopper
 * has the WeChat Pay parameters. PAID, FAILED and CLOSED end a payment; PAID orders may go on
 * to PARTIALLY_REFUNDED and REFUNDED.
 */
export type OrderStatus = 'CREATED' | 'PAYING' | 'PAID' | 'FAILED' | 'CLOSED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';

export interface OrderLine {
  sku: string;
  name: string;
  quantity: number;
  /** Minor units, in the order's currency. */
  unitPrice: number;
}

/** What the mini program may see of an order: nothing about the payer's identity. */
export interface PublicOrder {
  orderNo: string;
  status: OrderStatus;
  amount: number;
  currency: string;
  provider: string;
  description: string;
  items: OrderLine[];
  createdAt: number;
  paidAt?: number;
  expiresAt: number;
  /** Why the order is FAILED or CLOSED, in words a person can read. */
  statusReason?: string;
  /** Minor units refunded so far (succeeded refunds only). */
  refundedAmount?: number;
}

// --- Payment parameters ---

/** The five parameters `wx.requestPayment` takes. Nothing else reaches the mini program. */
export interface WxPaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'MD5' | 'HMAC-SHA256' | 'RSA';
  paySign: string;
}

/** What a native app passes to the WeChat SDK's PayReq (In-App Payment). */
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

// --- What the mini program learns about providers (never a secret) ---

export interface CurrencyInfo {
  code: string;
  /** Minor-unit digits: 0 for LAK, 2 for most. */
  decimals: number;
}

export interface ProviderInfo {
  name: string;
  displayName: string;
  /** First is the default. */
  currencies: CurrencyInfo[];
  /** A payment carries `payCode`: a second fresh wx.login code that only the provider spends. */
  needsPayCode: boolean;
  /** retryPayment can re-issue parameters for a PAYING order. */
  canReissue: boolean;
  /** createCashierOrder ("pay another way") is offered. */
  hasCashier: boolean;
  /** queryOrder {refresh: true} asks the provider. */
  canQuery: boolean;
  /** With a cashier: the launch-query and cashierPayment field that carries the provider's order number. */
  cashierRefField?: string;
}

export interface CatalogItem {
  sku: string;
  /** English name (fallback). */
  name: string;
  /** zh_TW (Traditional Chinese) where the catalog has it; the mini program falls back to zh_CN. */
  names: { en: string; zh_CN: string; zh_TW?: string };
  /** Minor units in the reply's currency. */
  price: number;
}

// --- Errors ---

export const ERROR_CODES = [
  'INVALID_INPUT',
  'LOGIN_REQUIRED',
  'LOGIN_CODE_INVALID',
  'LOGIN_CODE_USED',
  'LOGIN_FAILED',
  'FORBIDDEN',
  'NOT_FOUND',
  'ORDER_ALREADY_PAID',
  'ORDER_CLOSED',
  'ORDER_NOT_PAYABLE',
  'DUPLICATE_ORDER',
  'ORDER_NOT_REFUNDABLE',
  'REFUND_EXCEEDS_REMAINING',
  'REFUND_CONFLICT',
  'REFUND_LIMIT_REACHED',
  'REFUND_NOT_PENDING',
  'CONFIG_INVALID',
  'SIGNATURE_INVALID',
  'PROVIDER_ERROR',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface BackendError {
  /** An ErrorCode from the server; the mini program adds NETWORK when it cannot reach it. */
  code: ErrorCode | 'NETWORK';
  message: string;
  /** The input field or variable at fault, where there is one. */
  field?: string;
  /** The provider's own code, for PROVIDER_ERROR. */
  providerCode?: string;
  /** FORBIDDEN from `admin`: the caller's own openid, the value to add to ADMIN_OPENIDS. */
  openid?: string;
}

export type Reply<T> = ({ ok: true } & T) | { ok: false; error: BackendError };

// --- The `pay` function: events and replies ---

export interface CartLine {
  sku: string;
  quantity: number;
}

export interface CatalogEvent {
  action: 'catalog';
  /** Defaults to the first enabled provider. */
  provider?: string;
  currency?: string;
}
export interface CatalogReply {
  currency: string;
  decimals: number;
  items: CatalogItem[];
  provider: ProviderInfo;
  /** Every enabled provider. */
  providers: ProviderInfo[];
  /**
   * Subscription message template ids the merchant configured (WECHAT_SUBSCRIBE_TEMPLATE_PAID,
   * WECHAT_SUBSCRIBE_TEMPLATE_REFUND): checkout asks wx.requestSubscribeMessage for them before paying.
   */
  subscribeTemplates?: string[];
}

export interface CreateOrderEvent {
  action: 'createOrder';
  provider: string;
  currency?: string;
  items: CartLine[];
  code: string;
  payCode?: string;
}
export interface PaymentReply {
  order: PublicOrder;
  payment: WxPaymentParams;
}

export interface QueryOrderEvent {
  action: 'queryOrder';
  orderNo: string;
  code: string;
  /** Ask the provider when the order is still unsettled. */
  refresh?: boolean;
}
export interface OrderReply {
  order: PublicOrder;
  /** queryOrder: the order's refunds, newest first, where it was paid (absent otherwise). */
  refunds?: PublicRefund[];
}

export interface ListOrdersEvent {
  action: 'listOrders';
  code: string;
  /** 1 to 100, default 50: the newest this many (ask for more to load more). */
  limit?: number;
}
export interface OrdersReply {
  orders: PublicOrder[];
}

export interface RetryPaymentEvent {
  action: 'retryPayment';
  orderNo: string;
  code: string;
  payCode?: string;
}

/**
 * The shopper cancels their own unpaid order: it is CLOSED (at the provider too, where the
 * provider can close). Replies with the order as it stands; a paid order answers
 * ORDER_ALREADY_PAID. A payment that arrives later still counts (PAID follows CLOSED).
 */
export interface CancelOrderEvent {
  action: 'cancelOrder';
  orderNo: string;
  code: string;
}

export interface CreateAppPaymentEvent {
  action: 'createAppPayment';
  provider: string;
  currency?: string;
  items: CartLine[];
  code: string;
}
export interface AppPaymentReply {
  order: PublicOrder;
  appPayment: AppPaymentParams;
}

/**
 * A provider's scheme URL opened the mini program with its own order number, sent back under
 * the field name the provider uses (ProviderInfo.cashierRefField).
 */
export interface CashierPaymentEvent {
  action: 'cashierPayment';
  /** Defaults to the first enabled provider with a cashier. */
  provider?: string;
  code: string;
  payCode: string;
  [cashierRefField: string]: string | undefined;
}
export interface CashierPaymentReply {
  payment: WxPaymentParams;
  /** The order, when this shop placed it for this shopper (so the page can show and poll it). */
  order?: PublicOrder;
}

export interface CreateCashierOrderEvent {
  action: 'createCashierOrder';
  provider: string;
  currency?: string;
  items: CartLine[];
  payMethod: string;
  channel?: string;
  subject?: string;
  extra?: string;
  code: string;
}
export interface CashierOrderReply {
  order: PublicOrder;
  payUrl: string;
}

export type PayEvent =
  | CatalogEvent
  | CreateOrderEvent
  | QueryOrderEvent
  | ListOrdersEvent
  | RetryPaymentEvent
  | CancelOrderEvent
  | CreateAppPaymentEvent
  | CashierPaymentEvent
  | CreateCashierOrderEvent;
export type PayAction = PayEvent['action'];

/** The reply each `pay` action answers with (inside `{ok: true, ...}`). */
export interface PayReplies {
  catalog: CatalogReply;
  createOrder: PaymentReply;
  queryOrder: OrderReply;
  listOrders: OrdersReply;
  retryPayment: PaymentReply;
  cancelOrder: OrderReply;
  createAppPayment: AppPaymentReply;
  cashierPayment: CashierPaymentReply;
  createCashierOrder: CashierOrderReply;
}

// --- Refunds and the `admin` function (operators only: ADMIN_OPENIDS) ---

export type RefundStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

export interface PublicRefund {
  /** The merchant's key for the refund, unique; sent to the provider as its refund reference. */
  refundNo: string;
  orderNo: string;
  /** Minor units of the order's currency. */
  amount: number;
  currency: string;
  reason?: string;
  status: RefundStatus;
  /** Why it FAILED, in words an operator can act on. */
  statusReason?: string;
  /** Set while a PENDING refund needs a person (nothing automatic can settle it): why, and what to check. */
  attention?: string;
  /** When the server will next ask the provider about this PENDING refund (absent: nothing automatic will). */
  nextCheckAt?: number;
  createdAt: number;
  updatedAt: number;
  settledAt?: number;
}

/** An order as an operator sees it: any shopper's, with the openid masked. */
export interface AdminOrder extends PublicOrder {
  /** Minor-unit digits of the order's currency (0 for LAK), so the operator pages need no table of their own. */
  decimals: number;
  /** The payer's openid, masked (first and last characters only). */
  openid: string;
  /** Set when something happened that a person must look at (a late payment, an unconfirmed close). */
  attention?: string;
  providerRef?: string;
  updatedAt: number;
}

/** One line of an order's timeline. */
export interface TimelineLine {
  at: number;
  type: string;
  detail: Record<string, unknown>;
  /** The same line repeated this many more times (identical answers are counted, not written again), the last at `lastAt`. */
  repeats?: number;
  lastAt?: number;
}

export interface AdminListOrdersEvent {
  action: 'listOrders';
  code: string;
  status?: OrderStatus;
  provider?: string;
  /** true: only orders marked for attention. */
  attention?: boolean;
  /** 1 to 100, default 20. */
  limit?: number;
  /** nextCursor from the previous page. */
  cursor?: string;
}
export interface AdminOrdersReply {
  orders: AdminOrder[];
  nextCursor?: string;
}

export interface AdminGetOrderEvent {
  action: 'getOrder';
  code: string;
  orderNo: string;
}
export interface AdminOrderReply {
  order: AdminOrder;
  refunds: PublicRefund[];
  /** The newest lines of the order's timeline, oldest first. */
  timeline: TimelineLine[];
  /** How many older lines are no longer kept (a timeline keeps its newest lines). */
  olderLines?: number;
}

export interface AdminRefundEvent {
  action: 'refund';
  code: string;
  orderNo: string;
  /** Minor units, > 0 and at most what remains (paid − succeeded − pending refunds). */
  amount: number;
  reason?: string;
  /** Generated when absent; send one to retry safely (the same refundNo answers the same refund). */
  refundNo?: string;
}
export interface AdminQueryRefundEvent {
  action: 'queryRefund';
  code: string;
  refundNo: string;
}
export interface AdminRefundReply {
  refund: PublicRefund;
  order: AdminOrder;
}

/**
 * A person settles a PENDING refund nothing automatic can (a provider with no refund query), after
 * checking the provider's portal: `succeeded` moves the money, `failed` frees the amount.
 */
export interface AdminResolveRefundEvent {
  action: 'resolveRefund';
  code: string;
  refundNo: string;
  outcome: 'succeeded' | 'failed';
  /** What the operator saw (portal reference...): written to the order's timeline. 1 to 200 characters. */
  note: string;
}

export type AdminEvent = AdminListOrdersEvent | AdminGetOrderEvent | AdminRefundEvent | AdminQueryRefundEvent | AdminResolveRefundEvent;
export type AdminAction = AdminEvent['action'];

export interface AdminReplies {
  listOrders: AdminOrdersReply;
  getOrder: AdminOrderReply;
  refund: AdminRefundReply;
  queryRefund: AdminRefundReply;
  resolveRefund: AdminRefundReply;
}
