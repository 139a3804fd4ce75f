/** Builds the enabled provider adapters from configuration. One line per provider. */
import type { AppConfig } from '../config';
import { createHttpSend, type HttpSend } from '../core/http';
import type { ProviderName } from '../orders/types';
import { LatipayProvider } from './latipay/adapter';
import { NewPayProvider } from './newpay/adapter';
import { OttpayProvider } from './ottpay/adapter';
import type { PaymentProvider } from './types';

export type ProviderRegistry = ReadonlyMap<ProviderName, PaymentProvider>;

export function createProviders(
  config: AppConfig,
  httpFor: (provider: ProviderName) => HttpSend = createHttpSend,
): ProviderRegistry {
  const providers = new Map<ProviderName, PaymentProvider>();
  if (config.latipay) {
    providers.set(
      'latipay',
      new LatipayProvider(config.latipay, config.wechat.appId, httpFor('latipay'), config.providerTimeoutMs),
    );
  }
  if (config.ottpay) {
    providers.set('ottpay', new OttpayProvider(config.ottpay, config.wechat.appId, httpFor('ottpay'), config.providerTimeoutMs));
  }
  if (config.newpay) {
    providers.set('newpay', new NewPayProvider(config.newpay, httpFor('newpay'), config.providerTimeoutMs));
  }
  return providers;
}
