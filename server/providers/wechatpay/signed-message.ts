/**
 * Verifies what WeChat Pay signs: every answer to a correctly signed request, and every
 * notification (WeChat Pay "Signature verification"). The message is three lines, each
 * ending "\n": `Wechatpay-Timestamp`, `Wechatpay-Nonce`, the body as received. The signature
 * (`Wechatpay-Signature`, Base64 SHA256withRSA) is checked with the WeChat Pay key named by
 * `Wechatpay-Serial`: a platform certificate's serial, or a WeChat Pay public key id
 * (`PUB_KEY_ID_…`). Refused, each with its own words:
 * - a missing `Wechatpay-*` header (a proxy or CDN in front of the notify URL may strip them);
 * - a `WECHATPAY/SIGNTEST/` signature: WeChat's deliberate probe that merchants verify;
 * - a timestamp more than 5 minutes from our clock (a replay, or a clock to fix);
 * - a serial we hold no key for (UnknownSerialError: the caller may fetch certificates and retry);
 * - a signature that does not verify.
 * One job: this check. Which keys exist is ./platform-keys.ts's.
 */
import { verify, type KeyObject } from 'node:crypto';
import { SignatureError } from '../../core/errors';

export const SIGNTEST_PREFIX = 'WECHATPAY/SIGNTEST/';
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

export const SIGNED_HEADERS = ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial'] as const;

export interface SignedHeaders {
  timestamp: string;
  nonce: string;
  signature: string;
  serial: string;
}

/** Finds the key for a serial (a certificate serial or PUB_KEY_ID_…); undefined when none is held. */
export interface KeyLookup {
  keyFor(serial: string): KeyObject | undefined;
}

/** A signature named a serial we hold no key for: fetching the platform certificates may help. */
export class UnknownSerialError extends SignatureError {
  constructor(readonly serial: string, what: string) {
    super(`${what}: Wechatpay-Serial ${serial} names no WeChat Pay key we hold (a rotated platform certificate not fetched yet, or WECHATPAY_PUBLIC_KEY_ID not set)`);
  }
}

/** The three-line message: timestamp, nonce, body, each ending "\n". */
export function answerMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

/** Reads the four headers (names in any case); a SignatureError naming the missing ones otherwise. */
export function signedHeaders(headers: Readonly<Record<string, string | undefined>>, what: string): SignedHeaders {
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (typeof v === 'string') lower[k.toLowerCase()] = v.trim();
  const missing = SIGNED_HEADERS.filter((h) => !lower[h]);
  if (missing.length > 0) {
    throw new SignatureError(
      `${what} has no ${missing.map((h) => h.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase())).join(', ')} header: ` +
        'a proxy, gateway or CDN in front of this URL may have stripped the Wechatpay-* headers; let them through unchanged',
    );
  }
  return { timestamp: lower['wechatpay-timestamp']!, nonce: lower['wechatpay-nonce']!, signature: lower['wechatpay-signature']!, serial: lower['wechatpay-serial']! };
}

/**
 * Throws SignatureError unless `body` carries WeChat Pay's valid signature from a key `keys`
 * holds, made within 5 minutes of `nowMs`. Never reveals the expected signature.
 */
export function verifySigned(signed: SignedHeaders, body: string, keys: KeyLookup, nowMs: number, what: string): void {
  if (signed.signature.startsWith(SIGNTEST_PREFIX)) {
    throw new SignatureError(`${what} carries a WECHATPAY/SIGNTEST/ probe signature: refused, as WeChat Pay expects`);
  }
  if (!/^\d{1,12}$/.test(signed.timestamp)) throw new SignatureError(`${what}: Wechatpay-Timestamp is not a time in seconds`);
  const skew = Math.abs(Math.floor(nowMs / 1000) - Number(signed.timestamp));
  if (skew > TIMESTAMP_TOLERANCE_SECONDS) {
    throw new SignatureError(`${what}: Wechatpay-Timestamp is ${skew} s from our clock (more than 5 minutes): a replay, or a clock to set right`);
  }
  const key = keys.keyFor(signed.serial);
  if (!key) throw new UnknownSerialError(signed.serial, what);
  let ok = false;
  try {
    ok = verify('sha256', Buffer.from(answerMessage(signed.timestamp, signed.nonce, body), 'utf8'), key, Buffer.from(signed.signature, 'base64'));
  } catch {
    ok = false;
  }
  if (!ok) throw new SignatureError(`${what}: Wechatpay-Signature does not verify with the key of serial ${signed.serial}`);
}
