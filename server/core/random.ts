import { randomBytes, randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random alphanumeric string (WeChat nonceStr must be under 32 characters). */
export function nonce(length = 24): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[(bytes[i] ?? 0) % ALPHANUMERIC.length];
  return out;
}

/**
 * An order number every provider accepts as the merchant reference: 14 digits of UTC
 * time (sortable, readable in a support call) then 6 random digits; digits only, 20 long.
 */
export function newOrderNo(now: number): string {
  const iso = new Date(now).toISOString(); // 2026-11-21T23:35:17.123Z
  const stamp = iso.slice(0, 19).replace(/[-T:]/g, '');
  return stamp + String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function unixSeconds(now: number): string {
  return String(Math.floor(now / 1000));
}
