/**
 * What one provider module exports: everything the rest of the server needs to know about
 * an acquirer, in one place (after Omnipay's gateway + `supportsX()`). The server builds its
 * configuration, registry and checks by iterating over the list in ./index.ts; nothing else
 * names a provider. A fourth acquirer is a folder with a descriptor plus one line there.
 */
import type { EnvReader } from '../config/env';
import type { HttpSend } from '../core/http';
import type { Currency } from '../core/money';
import type { CashierOrderOptions, PaymentProvider } from './types';

/**
 * What a provider can do beyond the required create/notify. Declared here so that the mini
 * program and the service can learn it without building an adapter; the shared contract
 * suite proves each declaration matches the adapter (test/providers/contract.ts).
 */
export interface ProviderCapabilities {
  /** A mini program payment carries `payCode`, a second fresh wx.login code the provider spends. */
  secondLoginCode: boolean;
  /** createMiniPayment may be repeated for a PAYING order it holds (retryPayment, "Pay again"). */
  reissue: boolean;
  /** queryPayment: the provider can be asked where a payment stands. */
  query: boolean;
  /** cashierPayment + createCashierOrder: the provider's own cashier (scheme URL, payUrl). */
  cashier: boolean;
  /** createAppPayment: WeChat In-App Payment for the merchant's native app. */
  inApp: boolean;
  /** refund: money can be given back, fully or in part. */
  refund: boolean;
  /** queryRefund: a pending refund can be asked about. */
  refundQuery: boolean;
  /**
   * The provider documents the refund number as unique (a second request with it never pays
   * twice), so a refund whose request may not have arrived can be sent again with the same
   * number. Without it such a refund is left to a person (admin resolveRefund).
   */
  refundResend: boolean;
  /** closePayment: an unpaid payment can be closed at the provider. */
  close?: boolean;
}

/** Limits a provider puts on refunds of one order, checked before it is asked. */
export interface RefundRules {
  /** At most this many refunds of one order (WeChat Pay: 50). */
  maxPerOrder?: number;
  /** At least this long between two refunds of one order (WeChat Pay: one minute). */
  minIntervalMs?: number;
}

/** What every adapter is built with besides its own configuration. */
export interface AdapterContext {
  /** The mini program's AppID (WECHAT_APPID). */
  wechatAppId: string;
  http: HttpSend;
  timeoutMs: number;
  now: () => number;
}

export interface ProviderDescriptor<C = unknown> {
  /** The id used in PAY_PROVIDERS, notify URLs (`<payNotify URL>/<name>`) and orders. */
  readonly name: string;
  /** How a shopper or operator would name it. */
  readonly displayName: string;
  readonly capabilities: Readonly<ProviderCapabilities>;
  /** Limits on refunds of one order, where the provider documents any. */
  readonly refundRules?: Readonly<RefundRules>;
  /** Where a capability depends on optional configuration: what this configuration allows. */
  capabilitiesFor?(config: C): Readonly<ProviderCapabilities>;
  /** Reads and validates the provider's variables; problems are collected by `env`. */
  readConfig(env: EnvReader): C;
  /** The currencies this merchant account charges, first is the default. */
  currencies(config: C): readonly Currency[];
  /** The variable whose value is the provider's API base (the local stack mounts a simulator there). */
  readonly apiBaseVariable: string;
  createAdapter(config: C, context: AdapterContext): PaymentProvider;
  /**
   * Checks the provider-specific options of a cashier order (pay method, channel, subject...)
   * before anything is spent; throws ValidationError naming the field. Required with `cashier`.
   */
  cashierOptions?(input: Readonly<Record<string, unknown>>): CashierOrderOptions;
  /** With `cashier`: the field of the launch query and of cashierPayment that carries the provider's order number. */
  readonly cashierRefField?: string;
}

/** A descriptor whose configuration type is erased, as lists hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProviderDescriptor = ProviderDescriptor<any>;

/** Identity helper that keeps the config type checked inside one descriptor. */
export function defineProvider<C>(descriptor: ProviderDescriptor<C>): ProviderDescriptor<C> {
  return descriptor;
}
