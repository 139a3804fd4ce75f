import type { EnvReader } from '../../config/env';

export interface LatipayConfig {
  userId: string;
  walletId: string;
  apiKey: string;
  /** https://api.latipay.net in production; the local stack points it at its simulator. */
  apiBase: string;
  /** A Latipay wallet holds one currency; miniapppay has no currency field, the wallet decides. */
  currency: 'NZD' | 'AUD';
}

export const LATIPAY_DEFAULT_API_BASE = 'https://api.latipay.net';

export function readLatipayConfig(env: EnvReader): LatipayConfig {
  return {
    userId: env.required('LATIPAY_USER_ID', /^U\w+$/, 'your Latipay user id, starts with U'),
    walletId: env.required('LATIPAY_WALLET_ID', /^W\w+$/, 'your Latipay wallet id, starts with W'),
    // Latipay publishes no length for the key (its example is 111222333), only where to copy
    // it from; whitespace or quotes inside mean the copy went wrong, and every signature would fail.
    apiKey: env.required('LATIPAY_API_KEY', /^[^\s"'`]+$/, 'copy it from Merchant Portal > Account > Show hidden values, without spaces or quotes'),
    apiBase: env.url('LATIPAY_API_BASE', LATIPAY_DEFAULT_API_BASE),
    currency: walletCurrency(env),
  };
}

function walletCurrency(env: EnvReader): 'NZD' | 'AUD' {
  const value = env.optional('LATIPAY_CURRENCY', 'NZD');
  if (value === 'NZD' || value === 'AUD') return value;
  env.problem('LATIPAY_CURRENCY', `must be NZD or AUD (the wallet's currency), got "${value}"`);
  return 'NZD';
}
