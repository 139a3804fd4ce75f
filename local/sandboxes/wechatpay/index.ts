/**
 * The WeChat Pay Global simulator module for the local stack. Keys are made per process,
 * never committed: the merchant's API key pair (WECHATPAY_PRIVATE_KEY, its certificate serial
 * WECHATPAY_CERT_SERIAL) and the platform key, unless the developer gives them:
 * - SANDBOX_WECHATPAY_PLATFORM_PRIVATE_KEY (PEM) and SANDBOX_WECHATPAY_PLATFORM_KEY_ID (a
 *   certificate serial, or `PUB_KEY_ID_…`), so outside tools can sign notifications;
 * - with a `PUB_KEY_ID_…` id the simulator signs as a WeChat Pay public key and, unless
 *   WECHATPAY_PUBLIC_KEY is set, the product trusts its public half under that id; with a
 *   serial it signs as a platform certificate the product downloads from /v3/global/certificates.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { ConfigError } from '../../../server/core/errors';
import type { SimulatorModule } from '../simulator';
import { PlatformKeyRing, newRsaKey, newSerial, platformKey, privateKeyFromPem } from './platform-keys';
import { WechatPaySandbox } from './sandbox';

interface LocalKeys {
  merchant: KeyObject;
  merchantSerial: string;
  platform: KeyObject;
  platformId: string;
}

let generated: Promise<{ merchant: KeyObject; platform: KeyObject; merchantSerial: string; platformSerial: string }> | undefined;

/** The pairs made once per process (about 0.2 s). */
function generatedKeys() {
  generated ??= Promise.all([newRsaKey(), newRsaKey()]).then(([merchant, platform]) => ({ merchant, platform, merchantSerial: newSerial(), platformSerial: newSerial() }));
  return generated;
}

async function localKeys(env: Readonly<Record<string, string | undefined>>): Promise<LocalKeys> {
  const made = await generatedKeys();
  const problems: { variable: string; problem: string }[] = [];
  let platform = made.platform;
  const givenKey = env.SANDBOX_WECHATPAY_PLATFORM_PRIVATE_KEY;
  if (givenKey !== undefined && givenKey.trim() !== '') {
    try {
      platform = privateKeyFromPem(givenKey);
    } catch {
      problems.push({ variable: 'SANDBOX_WECHATPAY_PLATFORM_PRIVATE_KEY', problem: 'is not a PEM private key (RSA, PKCS#8 or PKCS#1; \\n escapes allowed)' });
    }
  }
  const givenId = env.SANDBOX_WECHATPAY_PLATFORM_KEY_ID?.trim();
  if (givenId && !/^(PUB_KEY_ID_[0-9A-Za-z]{1,64}|[0-9A-Fa-f]{8,40})$/.test(givenId)) {
    problems.push({ variable: 'SANDBOX_WECHATPAY_PLATFORM_KEY_ID', problem: 'must be a certificate serial (8 to 40 hex digits, first digit 1-7) or PUB_KEY_ID_ followed by digits' });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  let merchant = made.merchant;
  try {
    if (env.WECHATPAY_PRIVATE_KEY) merchant = privateKeyFromPem(env.WECHATPAY_PRIVATE_KEY);
  } catch {
    // The product's own config check names WECHATPAY_PRIVATE_KEY.
  }
  return { merchant, merchantSerial: made.merchantSerial, platform, platformId: givenId ? (/^PUB_KEY_ID_/.test(givenId) ? givenId : givenId.toUpperCase()) : made.platformSerial };
}

const pem = (k: KeyObject, kind: 'private' | 'public') =>
  kind === 'private' ? k.export({ type: 'pkcs8', format: 'pem' }).toString() : createPublicKey(k).export({ type: 'spki', format: 'pem' }).toString();

export const wechatpaySimulator: SimulatorModule = {
  name: 'wechatpay',
  defaults: () => ({
    WECHATPAY_MCH_ID: '1900000109',
    WECHATPAY_API_V3_KEY: 'local0apiv3key0not0for0prod00000',
    WECHATPAY_CURRENCY: 'HKD',
  }),
  async prepare(env) {
    const keys = await localKeys(env);
    env.WECHATPAY_PRIVATE_KEY ??= pem(keys.merchant, 'private');
    env.WECHATPAY_CERT_SERIAL ??= keys.merchantSerial;
    if (/^PUB_KEY_ID_/.test(keys.platformId) && env.WECHATPAY_PUBLIC_KEY === undefined) {
      env.WECHATPAY_PUBLIC_KEY = pem(keys.platform, 'public');
      env.WECHATPAY_PUBLIC_KEY_ID ??= keys.platformId;
    }
  },
  create: async (ctx) => {
    const keys = await localKeys(ctx.env);
    const now = Date.now();
    return new WechatPaySandbox({
      mchId: ctx.env.WECHATPAY_MCH_ID ?? '',
      merchantSerial: ctx.env.WECHATPAY_CERT_SERIAL ?? keys.merchantSerial,
      merchantPublicKey: createPublicKey(keys.merchant),
      apiV3Key: ctx.env.WECHATPAY_API_V3_KEY ?? '',
      appId: ctx.wechatAppId,
      wechat: ctx.wechat,
      keys: new PlatformKeyRing(platformKey(keys.platform, keys.platformId, now)),
      // WeChat's first retry is 15 s; here it comes after SANDBOX_RETRY_MS, and the rest of its clock with it.
      timeScale: ctx.retryIntervalMs / 15_000,
      log: ctx.log,
      mountPath: new URL(ctx.baseUrl).pathname,
    });
  },
};
