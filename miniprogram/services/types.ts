/**
 * The `pay` function's wire contract, as the mini program sees it: re-exported from
 * miniprogram/contract/wire.ts, the build's copy of server/contract/wire.ts (DevTools compiles
 * only what is under miniprogram/). Amounts are minor units.
 */
export type {
  BackendError,
  CartLine,
  CatalogItem,
  CatalogReply,
  CurrencyInfo,
  ErrorCode,
  OrderLine,
  OrderStatus,
  ProviderInfo,
  PublicOrder as Order,
  Reply,
  WxPaymentParams as PaymentParams,
} from '../contract/wire';
