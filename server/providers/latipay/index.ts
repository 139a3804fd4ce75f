/** Latipay (New Zealand, Australia): the provider module's descriptor. */
import { defineProvider } from '../descriptor';
import { LatipayProvider } from './adapter';
import { readLatipayConfig, type LatipayConfig } from './config';

export const latipay = defineProvider<LatipayConfig>({
  name: 'latipay',
  displayName: 'Latipay',
  capabilities: {
    secondLoginCode: false,
    // Latipay answers a repeated miniapppay for an unpaid merchant_reference with fresh parameters.
    reissue: true,
    query: true,
    cashier: false,
    inApp: false,
    // POST /refund answers with the result; Latipay documents no refund query.
    refund: true,
    refundQuery: false,
    refundResend: false,
  },
  apiBaseVariable: 'LATIPAY_API_BASE',
  readConfig: readLatipayConfig,
  // A Latipay wallet holds one currency; miniapppay has no currency field, the wallet decides.
  currencies: (config) => [config.currency],
  createAdapter: (config, ctx) => new LatipayProvider(config, ctx.wechatAppId, ctx.http, ctx.timeoutMs),
});
