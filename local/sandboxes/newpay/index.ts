/**
 * The NewPay simulator module for the local stack. NewPay signs with RSA: both key pairs
 * (NewPay's platform pair and the merchant's) are generated per process, never committed.
 * NEWPAY_PRIVATE_KEY (merchant) and NEWPAY_PUBLIC_KEY (the simulator's platform key) get
 * those defaults only where the developer set none.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { ConfigError } from '../../../server/core/errors';
import type { SimulatorModule } from '../simulator';
import { NEWPAY_PATHS, NewPaySandbox, merchantSignature, newpayLocalKeys, type NewPayLocalKeys } from './sandbox';

/** The public half of a configured merchant private key (`\n` escapes allowed), else the fallback. */
function merchantPublicKey(privatePem: string | undefined, fallback: string): string {
  try {
    return createPublicKey(privatePem?.replace(/\\n/g, '\n') ?? fallback)
      .export({ type: 'spki', format: 'pem' })
      .toString();
  } catch {
    return fallback;
  }
}

/**
 * The simulator's platform pair: SANDBOX_NEWPAY_PLATFORM_PRIVATE_KEY (PEM, `\n` escapes
 * allowed) when the developer gives one, so they can sign NewPay callbacks with their own
 * tools; else generated per process. The merchant pair is always generated.
 */
async function platformAndMerchantKeys(env: Readonly<Record<string, string | undefined>>): Promise<NewPayLocalKeys> {
  const generated = await newpayLocalKeys();
  const given = env.SANDBOX_NEWPAY_PLATFORM_PRIVATE_KEY;
  if (given === undefined || given.trim() === '') return generated;
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(given.replace(/\\n/g, '\n'));
  } catch {
    throw new ConfigError([{ variable: 'SANDBOX_NEWPAY_PLATFORM_PRIVATE_KEY', problem: 'is not a PEM private key (RSA, PKCS#8 or PKCS#1; \\n escapes allowed)' }]);
  }
  const platform = {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
  };
  return { ...generated, platform };
}

export const newpaySimulator: SimulatorModule = {
  name: 'newpay',
  defaults: (baseUrl) => ({
    NEWPAY_APP_ID: '6',
    NEWPAY_MERCHANT_ID: 'M000000001',
    NEWPAY_ENV_VERSION: 'release',
    // Where NewPay's cashier sends the shopper back: the stack's console.
    NEWPAY_RETURN_URL: `${new URL(baseUrl).origin}/`,
    // The v2 query's own credentials (server/providers/newpay/query.ts), answered by the simulator.
    NEWPAY_QUERY_API_BASE: `${baseUrl}/beta/pay`,
    NEWPAY_QUERY_APP_ID: 'NPV2LOCAL01',
    NEWPAY_QUERY_MCH_ID: 'MCH000000001',
  }),
  async prepare(env) {
    const keys = await platformAndMerchantKeys(env);
    env.NEWPAY_PRIVATE_KEY ??= keys.merchant.privatePem;
    env.NEWPAY_PUBLIC_KEY ??= keys.platform.publicPem;
  },
  create: async (ctx) => {
    // Generated once per process: prepare() already made them, this answers at once.
    const keys = await platformAndMerchantKeys(ctx.env);
    return new NewPaySandbox({
      appId: ctx.env.NEWPAY_APP_ID ?? '',
      merchantId: ctx.env.NEWPAY_MERCHANT_ID ?? '',
      // The merchant's public key as registered with NewPay: the half of NEWPAY_PRIVATE_KEY.
      merchantPublicKey: merchantPublicKey(ctx.env.NEWPAY_PRIVATE_KEY, keys.merchant.publicPem),
      platform: keys.platform,
      wechatAppId: ctx.wechatAppId,
      wechatAppSecret: ctx.wechatAppSecret,
      wechat: ctx.wechat,
      publicBase: ctx.baseUrl,
      retryIntervalMs: ctx.retryIntervalMs,
      log: ctx.log,
      queryAppId: ctx.env.NEWPAY_QUERY_APP_ID ?? '',
      queryMchId: ctx.env.NEWPAY_QUERY_MCH_ID ?? '',
    });
  },
  /** NewPay's two calls for a new order and a fresh login code (a replay is refused: Z01028). */
  async benchDirectCalls(ctx, i) {
    const headers = { 'content-type': 'application/json', version: '1.0' };
    const fields = {
      appId: ctx.env.NEWPAY_APP_ID ?? '',
      merchantId: ctx.env.NEWPAY_MERCHANT_ID ?? '',
      timestamp: Date.now(),
      currency: 'LAK',
      orderAmt: '150000',
      orderNo: `BENCH${Date.now()}${i}`,
      subject: 'Flat white x2',
      callBackUrl: ctx.notifyUrl,
      envVersion: 'release',
    };
    const body = JSON.stringify({ ...fields, sign: merchantSignature(fields, ctx.env.NEWPAY_PRIVATE_KEY ?? '') });
    const created = await ctx.call('POST', `/sandbox/newpay${NEWPAY_PATHS.createOpenMini}`, body, headers);
    const newpayOrderNo = (JSON.parse(created.text) as { data?: { newpayOrderNo?: string } }).data?.newpayOrderNo;
    if (!newpayOrderNo) throw new Error(`bench: NewPay refused createOpenMini: ${created.text}`);
    const payBody = JSON.stringify({ code: ctx.loginCode(), newpayOrderNo, timestamp: Date.now() });
    const paid = await ctx.call('POST', `/sandbox/newpay${NEWPAY_PATHS.getMiniPayment}`, payBody, headers);
    if (!(JSON.parse(paid.text) as { success?: boolean }).success) throw new Error(`bench: NewPay refused getMiniPayment: ${paid.text}`);
    return [created, paid];
  },
};
