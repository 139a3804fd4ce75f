/**
 * WeChat Pay Global's variables (issue 17), read and validated at cold start; every problem
 * is named at once (CONFIG_INVALID) with where the value is found in the merchant platform.
 */
import type { EnvReader } from '../../config/env';
import { isCurrency, type Currency } from '../../core/money';

export interface WechatPayConfig {
  /** WECHATPAY_MCH_ID: the merchant id (商户号). */
  mchId: string;
  /** WECHATPAY_PRIVATE_KEY: the merchant API private key (apiclient_key.pem), PEM. */
  privateKey: string;
  /** WECHATPAY_CERT_SERIAL: the serial number of the merchant API certificate. */
  certSerial: string;
  /** WECHATPAY_API_V3_KEY: the 32-byte APIv3 key that encrypts resources and certificates. */
  apiV3Key: string;
  /** WECHATPAY_PUBLIC_KEY + WECHATPAY_PUBLIC_KEY_ID: public-key mode (optional; both or neither). */
  publicKey?: { id: string; pem: string };
  /** WECHATPAY_CURRENCY: the settlement currency orders are placed in (ISO 4217). */
  currency: Currency;
  /** WECHATPAY_MERCHANT_CATEGORY_CODE: required of newer merchant ids (4 digits), optional here. */
  merchantCategoryCode?: string;
  /** WECHATPAY_API_BASE: https://apihk.mch.weixin.qq.com by default. */
  apiBase: string;
}

export const WECHATPAY_DEFAULT_API_BASE = 'https://apihk.mch.weixin.qq.com';

export function readWechatPayConfig(env: EnvReader): WechatPayConfig {
  const config: WechatPayConfig = {
    mchId: env.required('WECHATPAY_MCH_ID', /^\d{6,32}$/, 'the merchant id (商户号), digits: merchant platform > Account Center > Merchant Information'),
    privateKey: env.pem('WECHATPAY_PRIVATE_KEY', 'private'),
    certSerial: env.required('WECHATPAY_CERT_SERIAL', /^[0-9A-Fa-f]{8,40}$/, 'the merchant API certificate serial, hex: Account Center > API Security > API certificate > View certificate'),
    apiV3Key: apiV3Key(env),
    currency: currency(env),
    apiBase: env.url('WECHATPAY_API_BASE', WECHATPAY_DEFAULT_API_BASE),
  };
  const pubId = env.optionalOrUndefined('WECHATPAY_PUBLIC_KEY_ID');
  const pubKey = env.optionalOrUndefined('WECHATPAY_PUBLIC_KEY');
  if (pubId !== undefined || pubKey !== undefined) {
    config.publicKey = {
      id: env.required('WECHATPAY_PUBLIC_KEY_ID', /^PUB_KEY_ID_[0-9A-Za-z]{1,64}$/, 'PUB_KEY_ID_ followed by digits, shown beside the WeChat Pay public key (API Security); needed with WECHATPAY_PUBLIC_KEY'),
      pem: env.pem('WECHATPAY_PUBLIC_KEY', 'public'),
    };
  }
  const mcc = env.optionalOrUndefined('WECHATPAY_MERCHANT_CATEGORY_CODE');
  if (mcc !== undefined) {
    if (!/^\d{4}$/.test(mcc)) env.problem('WECHATPAY_MERCHANT_CATEGORY_CODE', `must be a 4-digit merchant category code (MCC), got "${mcc}"`);
    config.merchantCategoryCode = mcc;
  }
  return config;
}

function apiV3Key(env: EnvReader): string {
  const value = env.required('WECHATPAY_API_V3_KEY', undefined, 'the 32-character APIv3 key you set under Account Center > API Security > APIv3 key');
  if (value !== '' && Buffer.byteLength(value, 'utf8') !== 32) {
    env.problem('WECHATPAY_API_V3_KEY', `must be exactly 32 bytes (it is ${Buffer.byteLength(value, 'utf8')}); it is the APIv3 key, not the API (v2) key or the certificate serial`);
  }
  return value;
}

function currency(env: EnvReader): Currency {
  const value = env.required('WECHATPAY_CURRENCY', /^[A-Z]{3}$/, 'the settlement currency of your WeChat Pay Global account, e.g. HKD');
  if (/^[A-Z]{3}$/.test(value) && !isCurrency(value)) env.problem('WECHATPAY_CURRENCY', `"${value}" is not an ISO 4217 currency code`);
  return (isCurrency(value) ? value : 'HKD') as Currency;
}

