/**
 * The `pay` function's wire contract, as the mini program sees it (amounts in minor units).
 * The one file that declares it until main's shared contract (server/contract/, with a
 * generated copy in miniprogram/) lands; then this re-exports from that copy.
 */
export type OrderStatus = 'CREATED' | 'PAYING' | 'PAID' | 'FAILED' | 'CLOSED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';

export interface CurrencyInfo {
  code: string;
  decimals: number;
}

/** What a provider can do, as the server says (the mini program hard-codes none of it). */
export interface ProviderInfo {
  name: string;
  /** The first is the default. */
  currencies: CurrencyInfo[];
  /** A payment carries a second fresh wx.login code (payCode) that the provider spends. */
  needsPayCode: boolean;
  /** retryPayment issues fresh parameters for the provider's PAYING orders. */
  canReissue: boolean;
  /** createCashierOrder ("pay another way") is offered. */
  hasCashier: boolean;
  /** queryOrder {refresh: true} asks the provider. */
  canQuery: boolean;
}

export interface CatalogItem {
  sku: string;
  name: string;
  names?: { en: string; zh_CN: string };
  price: number;
}

export interface CatalogReply {
  currency: string;
  decimals?: number;
  items: CatalogItem[];
  provider?: ProviderInfo;
  providers?: ProviderInfo[];
}

export interface OrderLine {
  sku: string;
  name?: string;
  quantity: number;
  unitPrice?: number;
}

export interface Order {
  orderNo: string;
  status: OrderStatus;
  amount: number;
  currency: string;
  provider: string;
  description: string;
  items?: OrderLine[];
  createdAt: number;
  expiresAt?: number;
  paidAt?: number;
  statusReason?: string;
  refundedAmount?: number;
}

export interface PaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'MD5' | 'HMAC-SHA256' | 'RSA';
  paySign: string;
}

export type ErrorCode =
  | 'INVALID_INPUT'
  | 'LOGIN_REQUIRED'
  | 'LOGIN_CODE_INVALID'
  | 'LOGIN_CODE_USED'
  | 'LOGIN_FAILED'
  | 'NOT_FOUND'
  | 'ORDER_ALREADY_PAID'
  | 'ORDER_CLOSED'
  | 'ORDER_NOT_PAYABLE'
  | 'DUPLICATE_ORDER'
  | 'CONFIG_INVALID'
  | 'SIGNATURE_INVALID'
  | 'PROVIDER_ERROR'
  | 'INTERNAL'
  | 'NETWORK';

export interface BackendError {
  code: ErrorCode | string;
  message: string;
  field?: string;
  providerCode?: string;
}

export type Reply<T> = ({ ok: true } & T) | { ok: false; error: BackendError };
