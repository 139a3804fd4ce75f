import { randomBytes, randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random alphanumeric string (WeChat nonceStr must be under 32 characters). */
export function nonce(length = 24): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[(bytes[i] ?? 0) % ALPHANUMERIC.length];
  return out;
}

/** Random digits after the timestamp: at 1,000 orders a second, two in one millisecond collide once in ~10^10. */
export const ORDER_NO_RANDOM_DIGITS = 10;

/**
 * An order number every provider accepts as the merchant reference: 17 digits of UTC time
 * to the millisecond (sortable, readable in a support call), then 10 random digits; digits
 * only, 27 long (WeChat's out_trade_no allows 32). Collisions need no coordination to be
 * negligible; the rare one is retried before anything is sent (use-cases/placement.ts).
 */
export function newOrderNo(now: number): string {
  const iso = new Date(now).toISOString(); // 2026-11-21T23:35:17.123Z
  const stamp = iso.slice(0, 23).replace(/[-T:.]/g, '');
  // Two draws below 10^5 each: randomInt's range must stay under 2^48.
  const random = String(randomInt(0, 100_000)).padStart(5, '0') + String(randomInt(0, 100_000)).padStart(5, '0');
  return stamp + random;
}

export function unixSeconds(now: number): string {
  return String(Math.floor(now / 1000));
}
