/** The OTT Pay simulator module for the local stack. */
import type { SimulatorModule } from '../simulator';
import { OttpaySandbox } from './sandbox';

export const ottpaySimulator: SimulatorModule = {
  name: 'ottpay',
  // The signkey is 16 characters like the docs' examples; OTTPAY_APP_ID is the native app's
  // Open Platform AppID, used by in-app payments only.
  defaults: () => ({
    OTTPAY_MERCHANT_ID: 'QC00000001',
    OTTPAY_OPERATOR_ID: '0000000001',
    OTTPAY_SIGN_KEY: 'L0CA1517E5164E1A',
    OTTPAY_APP_ID: 'wxfedcba9876543210',
  }),
  create: (ctx) =>
    new OttpaySandbox({
      merchantId: ctx.env.OTTPAY_MERCHANT_ID ?? '',
      operatorId: ctx.env.OTTPAY_OPERATOR_ID ?? '',
      signKey: ctx.env.OTTPAY_SIGN_KEY ?? '',
      appId: ctx.wechatAppId,
      nativeAppId: ctx.env.OTTPAY_APP_ID ?? '',
      appPayAction: ctx.env.OTTPAY_APP_PAY_ACTION ?? 'APPPAY',
      wechatPayKey: ctx.env.SANDBOX_WECHAT_PAY_KEY ?? '',
      wechat: ctx.wechat,
      retryIntervalMs: ctx.retryIntervalMs,
      log: ctx.log,
    }),
};
