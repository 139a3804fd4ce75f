/** OTT Pay (Canada): the provider module's descriptor. */
import { defineProvider } from '../descriptor';
import { OttpayProvider } from './adapter';
import { readOttpayConfig, type OttpayConfig } from './config';

export const ottpay = defineProvider<OttpayConfig>({
  name: 'ottpay',
  displayName: 'OTT Pay',
  capabilities: {
    secondLoginCode: false,
    reissue: false,
    query: true,
    cashier: false,
    inApp: true,
    // REFUND 1.0; a PENDING refund is asked about with STATUS_QUERY on its own order_id.
    refund: true,
    refundQuery: true,
    refundResend: true,
  },
  apiBaseVariable: 'OTTPAY_API_BASE',
  readConfig: readOttpayConfig,
  currencies: () => ['CAD'],
  createAdapter: (config, ctx) => new OttpayProvider(config, ctx.wechatAppId, ctx.http, ctx.timeoutMs),
});
