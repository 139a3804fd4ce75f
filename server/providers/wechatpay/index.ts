/** WeChat Pay Global (API v3, overseas merchants paying through WeChat Pay directly): the provider module's descriptor. */
import { defineProvider } from '../descriptor';
import { WechatPayProvider } from './adapter';
import { readWechatPayConfig, type WechatPayConfig } from './config';

export const wechatpay = defineProvider<WechatPayConfig>({
  name: 'wechatpay',
  displayName: 'WeChat Pay Global',
  capabilities: {
    secondLoginCode: false,
    // A new prepay id for the same out_trade_no is not documented as safe: one set of parameters per order.
    reissue: false,
    query: true,
    cashier: false,
    inApp: false,
    refund: true,
    refundQuery: true,
    // out_refund_no is unique at WeChat Pay: "if a refund fails, resubmit it without changing the refund number".
    refundResend: true,
    close: true,
  },
  // "at most 50 partial refunds per order"; "refunds of one order must be 1 minute apart".
  refundRules: { maxPerOrder: 50, minIntervalMs: 60_000 },
  apiBaseVariable: 'WECHATPAY_API_BASE',
  readConfig: readWechatPayConfig,
  currencies: (config) => [config.currency],
  createAdapter: (config, ctx) => new WechatPayProvider(config, ctx),
});
