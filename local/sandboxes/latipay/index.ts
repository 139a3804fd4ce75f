/** The Latipay simulator module for the local stack. */
import type { SimulatorModule } from '../simulator';
import { LatipaySandbox, merchantSignature } from './sandbox';

export const latipaySimulator: SimulatorModule = {
  name: 'latipay',
  defaults: () => ({
    LATIPAY_USER_ID: 'U000000001',
    LATIPAY_WALLET_ID: 'W000000001',
    LATIPAY_API_KEY: 'local-latipay-api-key',
    LATIPAY_CURRENCY: 'NZD',
  }),
  create: (ctx) =>
    new LatipaySandbox({
      userId: ctx.env.LATIPAY_USER_ID ?? '',
      walletId: ctx.env.LATIPAY_WALLET_ID ?? '',
      apiKey: ctx.env.LATIPAY_API_KEY ?? '',
      currency: ctx.env.LATIPAY_CURRENCY ?? 'NZD',
      appId: ctx.wechatAppId,
      wechatPayKey: ctx.env.SANDBOX_WECHAT_PAY_KEY ?? '',
      wechat: ctx.wechat,
      retryIntervalMs: ctx.retryIntervalMs,
      log: ctx.log,
    }),
  async benchDirectCalls(ctx, i) {
    const fields: Record<string, string> = {
      user_id: ctx.env.LATIPAY_USER_ID ?? '',
      wallet_id: ctx.env.LATIPAY_WALLET_ID ?? '',
      amount: '11.00',
      notify_url: ctx.notifyUrl,
      merchant_reference: `BENCH${Date.now()}${i}`,
      product_name: 'Coffee x2',
      app_id: ctx.wechatAppId,
      open_id: 'oBenchOpenid000000000000000',
    };
    const body = JSON.stringify({ ...fields, signature: merchantSignature(fields, ctx.env.LATIPAY_API_KEY ?? '') });
    return [await ctx.call('POST', '/sandbox/latipay/v2/miniapppay', body, { 'content-type': 'application/json' })];
  },
};
