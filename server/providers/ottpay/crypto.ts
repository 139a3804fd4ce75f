/**
 * OTT Pay's transaction-data encryption (docs.ottpay.com "Appendix A", providers.md "OTT Pay").
 *
 *   md5  = uppercase hex MD5 (UTF-8) of the values concatenated in key order
 *   key  = characters 8..23 of uppercase hex MD5(md5 + signKey), used as 16 ASCII bytes
 *   data = Base64(AES-128-ECB, PKCS5 padding, compact JSON of the transaction data)
 *
 * Receiving is the reverse, and the md5 recomputed over the decrypted values is the only
 * integrity check the scheme has: a wrong key or tampered data fails it. It is the provider's
 * scheme, not a MAC (ECB, unkeyed digest over values only), so callers must still check the
 * business fields (merchant_id, order_id, amount) against their own order.
 *
 * Vectors (Appendix A and the published callback example) are in test/unit/ottpay-crypto.test.ts.
 */
import { createCipheriv, createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import { SignatureError, ValidationError } from '../../core/errors';

export type TransactionData = Record<string, unknown>;

const MD5_HEX = /^[0-9A-Fa-f]{32}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Plaintexts are small JSON objects; anything this large is not a real OTT Pay message. */
const MAX_CIPHERTEXT_CHARS = 1_000_000;

function md5HexUpper(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * One value as it enters the digest.
 * - strings as they are (OTT Pay's fields are all strings; "100" for 1.00);
 * - finite numbers and booleans via String(), i.e. what JSON.parse gives back turned into
 *   text: a sender that hashed the literal "1.0" would not match "1" and we fail closed;
 * - nested objects/arrays as compact JSON.stringify in their own order. Appendix A defines
 *   flat data only; this is an assumption (MAPPPAY's `payInfo` is nested) that no published
 *   vector confirms. If it is wrong, the md5 check fails and decryption is refused, never
 *   silently accepted.
 * Anything JSON cannot round-trip (NaN, Infinity, bigint, functions, symbols, Dates...) is
 * rejected: its JSON form and its digest form would disagree.
 */
function digestText(key: string, v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return String(v);
    case 'number':
      if (!Number.isFinite(v)) throw new ValidationError(`data.${key}`, 'must be a finite number');
      return String(v);
    case 'object':
      if (Array.isArray(v) || isPlainObject(v)) return JSON.stringify(v);
      throw new ValidationError(`data.${key}`, 'must be a string, number, boolean, plain object or array');
    default:
      throw new ValidationError(`data.${key}`, `has unsupported type ${typeof v}`);
  }
}

/**
 * Appendix A's message digest: keys sorted, values concatenated with no keys or separators,
 * null/undefined skipped (JSON drops undefined and a null carries no text), uppercase hex
 * MD5 of the UTF-8 bytes. The default sort compares UTF-16 code units, which is what Java's
 * String.compareTo (a TreeMap on OTT Pay's side) does too: "Tip" sorts before "amount".
 */
export function transactionMd5(data: TransactionData): string {
  if (!isPlainObject(data)) throw new ValidationError('data', 'must be a plain object');
  const text = Object.keys(data)
    .sort()
    .filter((k) => data[k] !== null && data[k] !== undefined)
    .map((k) => digestText(k, data[k]))
    .join('');
  return md5HexUpper(text);
}

/** The AES-128 key: the middle 16 characters of uppercase hex MD5(md5 + signKey). */
export function aesKeyFor(md5: string, signKey: string): string {
  return md5HexUpper(md5 + signKey).slice(8, 24);
}

function requireSignKey(signKey: unknown): asserts signKey is string {
  // The key itself never goes into a message.
  if (typeof signKey !== 'string' || signKey.length === 0) throw new ValidationError('signKey', 'is required');
}

/** Encrypt transaction data for a request. JSON key order is the object's insertion order. */
export function encryptData(data: TransactionData, signKey: string): { md5: string; data: string } {
  requireSignKey(signKey);
  const md5 = transactionMd5(data);
  const cipher = createCipheriv('aes-128-ecb', Buffer.from(aesKeyFor(md5, signKey), 'ascii'), null);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
  return { md5, data: ciphertext.toString('base64') };
}

/**
 * Strict Base64: standard alphabet, padded, canonical (Node's decoder would otherwise skip
 * stray characters and decode garbage). CR/LF are removed first because MIME-style encoders
 * (Java's, Ruby's) wrap lines and the docs' examples show wrapped data; line breaks carry no
 * data. Nothing else is tolerated: no spaces, no URL-safe alphabet, no missing padding.
 */
function decodeBase64Strict(input: unknown): Buffer {
  if (typeof input !== 'string' || input.length === 0) throw new SignatureError('OTT Pay data: missing encrypted data');
  if (input.length > MAX_CIPHERTEXT_CHARS) throw new SignatureError('OTT Pay data: encrypted data is too long');
  const b64 = input.replace(/\r?\n/g, '');
  if (b64.length % 4 !== 0 || !BASE64.test(b64)) throw new SignatureError('OTT Pay data: encrypted data is not valid Base64');
  const bytes = Buffer.from(b64, 'base64');
  // Rejects non-zero trailing bits, which would otherwise alias several strings to one value.
  if (bytes.toString('base64') !== b64) throw new SignatureError('OTT Pay data: encrypted data is not canonical Base64');
  if (bytes.length === 0 || bytes.length % 16 !== 0) {
    throw new SignatureError('OTT Pay data: encrypted data is not a whole number of AES blocks');
  }
  return bytes;
}

/**
 * Decrypt and verify `data` from a response or callback. Every failure (bad Base64, wrong
 * key, flipped byte, bad padding, invalid UTF-8, not a JSON object, md5 mismatch) throws a
 * SignatureError; a wrong key and tampering look the same from here, so messages say what
 * failed, not why, and never echo the key or the expected digest.
 */
export function decryptData(encryptedBase64: string, md5: string, signKey: string): Record<string, unknown> {
  requireSignKey(signKey);
  if (typeof md5 !== 'string' || !MD5_HEX.test(md5)) throw new SignatureError('OTT Pay data: md5 is not 32 hex characters');
  const ciphertext = decodeBase64Strict(encryptedBase64);

  // The sender derived the key from its md5 string exactly as sent, so use it as received.
  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv('aes-128-ecb', Buffer.from(aesKeyFor(md5, signKey), 'ascii'), null);
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new SignatureError('OTT Pay data: decryption failed (wrong signkey or corrupted data)');
  }

  let parsed: unknown;
  try {
    // fatal: invalid UTF-8 means a wrong key or corruption; U+FFFD substitution would hide it.
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    throw new SignatureError('OTT Pay data: decrypted data is not UTF-8 JSON (wrong signkey or corrupted data)');
  }
  if (!isPlainObject(parsed)) throw new SignatureError('OTT Pay data: decrypted data is not a JSON object');

  let actual: string;
  try {
    actual = transactionMd5(parsed);
  } catch {
    throw new SignatureError('OTT Pay data: decrypted data cannot be digested');
  }
  const a = Buffer.from(actual, 'hex');
  const b = Buffer.from(md5, 'hex'); // hex decoding is case-insensitive
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new SignatureError('OTT Pay data: md5 does not match the decrypted data');
  }
  return parsed;
}
