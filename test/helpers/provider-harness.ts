/**
 * What a provider supplies so the shared suites (test/providers/contract.ts and
 * test/e2e/payment-flow.ts) can drive it. Each provider's test file builds one.
 */
import type { Currency } from '../../server/core/money';
import type { ProviderName } from '../../server/domain/order';
import type { ProviderCapabilities } from '../../server/providers/descriptor';
import type { LocalStackOptions } from '../../local/stack';
import type { TestStack } from './local-stack';

export interface RawNotification {
  body: string;
  contentType: string;
  /** Headers the provider signs in (WeChat Pay's Wechatpay-*), sent with the body. */
  headers?: Record<string, string>;
}

export interface ProviderHarness {
  provider: ProviderName;
  /** Currencies to run the flow in (first is the provider's default). */
  currencies: Currency[];
  /**
   * What the descriptor must declare: the shared suites run a capability's tests exactly
   * where this says so, and the contract checks the descriptor agrees.
   */
  capabilities: ProviderCapabilities;
  /** Provider modules and simulators beyond the defaults (a fixture provider registers itself here). */
  stackOptions?: Pick<LocalStackOptions, 'providers' | 'simulators'>;
  /** Extra createOrder fields the provider needs (NewPay: payCode). */
  createExtras?(stack: TestStack, user: string): Record<string, unknown>;
  /** Makes the simulator stop sending notifications for new payments. */
  silence(stack: TestStack): void;
  /** The genuine notification the simulator sends for a paid order. */
  notification(stack: TestStack, orderNo: string): RawNotification;
  /** The same notification signed (or encrypted) with another merchant's key. */
  forged(stack: TestStack, orderNo: string): RawNotification;
  /** A genuinely signed notification whose amount differs from the order. */
  wrongAmount(stack: TestStack, orderNo: string): RawNotification;
  /** Whether a reply is the provider's success acknowledgement. */
  isAck(status: number, text: string): boolean;
}
