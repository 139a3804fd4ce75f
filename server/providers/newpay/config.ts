import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { EnvReader } from '../../config/env';
import type { Currency } from '../../core/money';

/** The currencies NewPay charges in (section 4: "LAK/USD"). */
export const NEWPAY_CURRENCIES = ['LAK', 'USD'] as const satisfies readonly Currency[];
export type NewPayCurrency = (typeof NEWPAY_CURRENCIES)[number];

export interface NewPayConfig {
  /** appId: the third-party application platform id NewPay assigns. */
  appId: string;
  /** merchantId: the merchant id NewPay assigns. */
  merchantId: string;
  /** PEM private key the merchant signs requests with (its public half is registered with NewPay). */
  privateKey: string;
  /** NewPay's platform PEM public key: verifies NewPay's responses and callbacks. */
  publicKey: string;
  /** https://prod-openapi.newpay.la in production (NewPay has no public sandbox host). */
  apiBase: string;
  /** Which version of NewPay's mini program a scheme URL opens: release, or trial (outside WeChat only). */
  envVersion: 'release' | 'trial';
  /** The currencies this merchant account charges; the first is the default. */
  currencies: NewPayCurrency[];
  /**
   * Where NewPay's cashier sends the shopper back (createCashierOrder). Unset: the origin of
   * NOTIFY_BASE_URL, i.e. the merchant's own domain (see NewPayProvider.returnPages).
   */
  returnUrl?: string;
  /** The v2 query's own credentials (see ./query.ts); absent: NewPay cannot be asked. */
  query?: NewPayQueryConfig;
}

export interface NewPayQueryConfig {
  /** https://prod-openapi-v2.newpay.la/beta/pay in production. */
  apiBase: string;
  appId: string;
  mchId: string;
}

export const NEWPAY_QUERY_DEFAULT_API_BASE = 'https://prod-openapi-v2.newpay.la/beta/pay';

export const NEWPAY_DEFAULT_API_BASE = 'https://prod-openapi.newpay.la';

export function readNewPayConfig(env: EnvReader): NewPayConfig {
  const config: NewPayConfig = {
    appId: env.required('NEWPAY_APP_ID', /^[0-9A-Za-z_-]{1,64}$/, 'the appId NewPay assigned to your application'),
    merchantId: env.required('NEWPAY_MERCHANT_ID', /^[0-9A-Za-z_-]{1,64}$/, 'the merchantId NewPay assigned to you'),
    privateKey: rsaKey(env, 'NEWPAY_PRIVATE_KEY', 'private'),
    publicKey: rsaKey(env, 'NEWPAY_PUBLIC_KEY', 'public'),
    apiBase: env.url('NEWPAY_API_BASE', NEWPAY_DEFAULT_API_BASE),
    envVersion: envVersion(env),
    currencies: env.list('NEWPAY_CURRENCIES', NEWPAY_CURRENCIES, NEWPAY_CURRENCIES),
  };
  if (env.has('NEWPAY_RETURN_URL')) config.returnUrl = env.url('NEWPAY_RETURN_URL');
  const queryAppId = env.optionalOrUndefined('NEWPAY_QUERY_APP_ID');
  const queryMchId = env.optionalOrUndefined('NEWPAY_QUERY_MCH_ID');
  if (queryAppId !== undefined || queryMchId !== undefined) {
    // Both or neither: one alone is a half-finished set-up, said at start rather than at the first query.
    config.query = {
      apiBase: env.url('NEWPAY_QUERY_API_BASE', NEWPAY_QUERY_DEFAULT_API_BASE),
      appId: env.required('NEWPAY_QUERY_APP_ID', /^[0-9A-Za-z_-]{1,64}$/, 'the v2 appId NewPay issued, needed with NEWPAY_QUERY_MCH_ID'),
      mchId: env.required('NEWPAY_QUERY_MCH_ID', /^[0-9A-Za-z_-]{1,64}$/, 'the v2 mchId NewPay issued, needed with NEWPAY_QUERY_APP_ID'),
    };
  }
  return config;
}

function envVersion(env: EnvReader): 'release' | 'trial' {
  const value = env.optional('NEWPAY_ENV_VERSION', 'release');
  if (value === 'release' || value === 'trial') return value;
  env.problem('NEWPAY_ENV_VERSION', `must be release or trial, got "${value}"`);
  return 'release';
}

/**
 * Section 8: SHA256withRSA, "RSA-2048 gives 344 chars". Beyond being PEM, each key must be
 * RSA of at least 2048 bits, and of the kind its variable names: a private key pasted into
 * NEWPAY_PUBLIC_KEY would still verify (Node derives its public half) while the secret sits
 * in a variable documented as public, and NewPay's platform key in NEWPAY_PRIVATE_KEY cannot sign.
 */
function rsaKey(env: EnvReader, name: string, kind: 'private' | 'public'): string {
  const before = env.problems.length;
  const pem = env.pem(name, kind);
  if (env.problems.length > before) return pem;
  if (kind === 'public' && /PRIVATE KEY-----/.test(pem)) {
    env.problem(name, 'holds a private key: put NewPay\'s platform public key here (BEGIN PUBLIC KEY), and your own private key in NEWPAY_PRIVATE_KEY');
    return pem;
  }
  const key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa') env.problem(name, `is a ${key.asymmetricKeyType ?? 'non-RSA'} key: NewPay signs with SHA256withRSA, so it must be an RSA key`);
  else if (bits < 2048) env.problem(name, `is a ${bits}-bit RSA key: NewPay uses RSA-2048 (or longer)`);
  return pem;
}
