/** The `pay` function's contract, as the mini program sees it. Amounts are minor units. */
export type Provider = 'latipay' | 'ottpay' | 'newpay';
export type OrderStatus = 'CREATED' | 'PAYING' | 'PAID' | 'FAILED' | 'CLOSED';

export interface CatalogItem {
  sku: string;
  name: string;
  price: number;
}

export interface Order {
  orderNo: string;
  status: OrderStatus;
  amount: number;
  currency: string;
  provider: Provider;
  description: string;
  createdAt: number;
  paidAt?: number;
  statusReason?: string;
}

export interface PaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'MD5' | 'HMAC-SHA256' | 'RSA';
  paySign: string;
}

export interface BackendError {
  code: string;
  message: string;
  field?: string;
}

export type Reply<T> = ({ ok: true } & T) | { ok: false; error: BackendError };
