/** NewPay (Laos): the provider module's descriptor. */
import { defineProvider } from '../descriptor';
import { NewPayProvider } from './adapter';
import { newpayCashierOptions } from './cashier-options';
import { readNewPayConfig, type NewPayConfig } from './config';

export const newpay = defineProvider<NewPayConfig>({
  name: 'newpay',
  displayName: 'NewPay',
  capabilities: {
    // getMiniPayment exchanges a wx.login code itself: a payment carries a second fresh one.
    secondLoginCode: true,
    reissue: false,
    // With NEWPAY_QUERY_APP_ID and NEWPAY_QUERY_MCH_ID (v2 uniQueryPay, see ./query.ts).
    query: true,
    cashier: true,
    inApp: false,
    // v1 refund with its callback (./refund.ts); refund query through v2 uniQueryRefund with
    // the same optional v2 credentials as uniQueryPay.
    refund: true,
    refundQuery: true,
    // v1 documents refundOrderNo as unique: a repeat answers Z01026 ("already exists").
    refundResend: true,
  },
  capabilitiesFor(config) {
    return { ...this.capabilities, query: config.query !== undefined, refundQuery: config.query !== undefined };
  },
  apiBaseVariable: 'NEWPAY_API_BASE',
  readConfig: readNewPayConfig,
  currencies: (config) => config.currencies,
  createAdapter: (config, ctx) => new NewPayProvider(config, ctx.http, ctx.timeoutMs, ctx.now),
  cashierOptions: newpayCashierOptions,
  // The scheme URL opens the mini program with `newpayOrderNo` (seeds/newpay-4.2.3).
  cashierRefField: 'newpayOrderNo',
});
