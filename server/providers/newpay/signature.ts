/**
 * NewPay's SHA256withRSA signatures (newpay-api-document.gitbook.io, section 8; providers.md).
 *
 * Requests are signed with the merchant's private key; NewPay's responses and callbacks are
 * verified with the NewPay platform public key. Both sides sign the same string:
 * every parameter except `sign` whose value is not null/absent (an empty string counts and is
 * included), sorted by name, `k=v` joined with `&`, no URL-encoding. The signature is
 * RSASSA-PKCS1-v1_5 over SHA-256, Base64 (344 characters for RSA-2048).
 *
 * NewPay publishes no test vector; test/unit/newpay-signature.test.ts uses generated key pairs
 * and cross-checks against crypto.createVerify and the openssl command line.
 */
import { KeyObject, constants, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { SignatureError, ValidationError } from '../../core/errors';

export type NewPayParams = Readonly<Record<string, unknown>>;

/**
 * How one value is written into the signing string.
 * - strings as they are (including the empty string);
 * - numbers, booleans and bigints with String(v), which is how they appear in the JSON NewPay
 *   sends (`"appId":6` → `6`, `"transStatus":0` → `0`, `1663738614280` → `1663738614280`);
 * - nested objects and arrays with JSON.stringify (compact, keys in their received order).
 *   NewPay's docs are silent on nested values and no documented field is one; this is our
 *   choice, so that such a value is at least covered by the signature rather than dropped.
 */
function formatValue(name: string, v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(v);
    case 'object': {
      const json = JSON.stringify(v);
      if (typeof json === 'string') return json;
      break;
    }
    default:
      break;
  }
  throw new ValidationError(name, `a ${typeof v} value cannot be signed`);
}

/** The string that is signed: non-null parameters except `sign`, sorted by name, `k=v` joined with `&`. */
export function signingString(params: NewPayParams): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign')
    .filter((k) => params[k] !== null && params[k] !== undefined)
    .sort() // UTF-16 code-unit order, the same as Java's String.compareTo / TreeMap
    .map((k) => `${k}=${formatValue(k, params[k])}`)
    .join('&');
}

// Parsed keys, by PEM text, so a request does not re-parse the PEM. Keys come from
// configuration, so there are only ever a few; the bound only guards against misuse.
const MAX_CACHED_KEYS = 16;
const privateKeys = new Map<string, KeyObject>();
const publicKeys = new Map<string, KeyObject>();

function cached(cache: Map<string, KeyObject>, pem: string, parse: (pem: string) => KeyObject): KeyObject {
  let key = cache.get(pem);
  if (key === undefined) {
    key = parse(pem);
    if (cache.size >= MAX_CACHED_KEYS) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(pem, key);
  }
  return key;
}

function requireRsa(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new TypeError(`NewPay ${what} must be an RSA key, not ${key.asymmetricKeyType ?? key.type}`);
  }
  return key;
}

function privateKeyOf(key: string | KeyObject): KeyObject {
  const k = typeof key === 'string' ? cached(privateKeys, key, (pem) => createPrivateKey(pem)) : key;
  if (k.type !== 'private') throw new TypeError('NewPay signing needs a private key');
  return requireRsa(k, 'signing key');
}

function publicKeyOf(key: string | KeyObject): KeyObject {
  // A private KeyObject also verifies (Node derives the public half), so it is accepted as is.
  const k = typeof key === 'string' ? cached(publicKeys, key, (pem) => createPublicKey(pem)) : key;
  if (k.type === 'secret') throw new TypeError('NewPay verification needs a public key');
  return requireRsa(k, 'verification key');
}

/** Base64 of RSASSA-PKCS1-v1_5 / SHA-256 over signingString(params), with the merchant private key. */
export function signParams(params: NewPayParams, privateKeyPem: string | KeyObject): string {
  const key = privateKeyOf(privateKeyPem);
  const data = Buffer.from(signingString(params), 'utf8');
  return sign('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }).toString('base64');
}

// Standard alphabet, padded. Line breaks are tolerated (some Java encoders wrap at 76 chars).
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Whether params.sign (Base64) is NewPay's signature over signingString(params).
 * Returns false, never throws, for a missing, non-string, malformed or wrong signature, or
 * params that cannot be signed. A key that cannot be parsed is a configuration error and throws.
 */
export function verifyParams(params: NewPayParams, publicKeyPem: string | KeyObject): boolean {
  const key = publicKeyOf(publicKeyPem);
  try {
    if (typeof params !== 'object' || params === null) return false;
    const received = params['sign'];
    if (typeof received !== 'string') return false;
    const b64 = received.replace(/[\r\n]/g, '');
    if (b64 === '' || !BASE64.test(b64)) return false;
    const signature = Buffer.from(b64, 'base64');
    const data = Buffer.from(signingString(params), 'utf8');
    return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
}

/** Throws SignatureError(`${what} signature does not verify`) unless verifyParams(params, publicKey). */
export function assertSigned(params: NewPayParams, publicKey: string | KeyObject, what: string): void {
  if (!verifyParams(params, publicKey)) throw new SignatureError(`${what} signature does not verify`);
}
