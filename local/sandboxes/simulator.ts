/**
 * What one provider simulator module exports, so the local stack can mount every simulator
 * from one list (./index.ts) without knowing any of them: its local defaults, any slow
 * preparation (key generation), and how to build it from the stack's environment.
 */
import type { Sandbox } from './types';
import type { WechatSandbox } from './wechat';

/** A raw notification as a provider would POST it. */
export interface RawNotification {
  body: string;
  contentType: string;
  /** Headers the provider signs with (WeChat Pay's Wechatpay-*), where it has any. */
  headers?: Record<string, string>;
}

export interface ProviderSimulator extends Sandbox {
  /** Set by tests and tools: payments made from now on send no notification. */
  silentNotifications: boolean;
  /** The genuine notification the provider sends once `orderNo` is paid. */
  signedNotification(orderNo: string): RawNotification;
  /** The same notification signed (or encrypted) with a key that is not the merchant's. */
  forgedNotification(orderNo: string): RawNotification;
}

/** What `npm run bench` gives a simulator module to make a payment's provider calls directly. */
export interface BenchDirectContext {
  env: Readonly<Record<string, string | undefined>>;
  /** The notify URL the adapter would send. */
  notifyUrl: string;
  wechatAppId: string;
  /** A fresh wx.login code from the WeChat sandbox. */
  loginCode(): string;
  call(method: string, path: string, body?: string, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
}

export interface SimulatorContext {
  /** The stack's environment: the developer's values over the defaults. */
  env: Readonly<Record<string, string | undefined>>;
  /** Where this simulator is mounted: `<stack URL>/sandbox/<name>`. */
  baseUrl: string;
  wechat: WechatSandbox;
  wechatAppId: string;
  wechatAppSecret: string;
  /** How often an unacknowledged notification is resent. */
  retryIntervalMs: number;
  log: (line: string) => void;
}

export interface SimulatorModule {
  /** The provider it plays (a name from server/providers/index.ts). */
  readonly name: string;
  /** The provider's variables for `npm start` with no accounts; `baseUrl` is the simulator's mount. */
  defaults(baseUrl: string): Record<string, string>;
  /** Fills defaults that take time to make (RSA key pairs), where the developer set none. */
  prepare?(env: Record<string, string | undefined>): Promise<void>;
  create(context: SimulatorContext): ProviderSimulator | Promise<ProviderSimulator>;
  /**
   * `npm run bench` baseline: one payment's provider calls made directly to the simulator,
   * freshly signed for a new reference as the adapter would send them, signed by the
   * simulator's own code (paths are relative to the stack). Without it the bench replays the
   * adapter's captured requests, which must then be answered in full.
   */
  benchDirectCalls?(context: BenchDirectContext, i: number): Promise<{ status: number; text: string }[]>;
}
