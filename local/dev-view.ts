/**
 * What the developer console (/api/orders) may show: openids masked, and no signature or
 * key whole, in orders and their timelines alike (the design's rule for logs holds here too).
 */
import { mask } from '../server/core/strings';

const SECRET_KEYS = /sign|secret|apikey|privatekey|token/i;

export function maskForConsole<T>(value: T): T {
  return scrub(value, '') as T;
}

function scrub(value: unknown, key: string): unknown {
  if (typeof value === 'string') {
    if (/openid/i.test(key) || (key !== 'signType' && SECRET_KEYS.test(key))) return mask(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, scrub(v, k)]));
  }
  return value;
}
