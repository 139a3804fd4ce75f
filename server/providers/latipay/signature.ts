/**
 * Latipay's HMAC-SHA256 signatures (doc.latipay.net/v2), over strings built from fields.
 * Vectors from the docs are in test/unit/latipay-signature.test.ts.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignableFields = Readonly<Record<string, string | number | null | undefined>>;

function hmacHex(message: string, apiKey: string): string {
  return createHmac('sha256', apiKey).update(message, 'utf8').digest('hex');
}

/**
 * The request signature message: the non-null, non-empty fields except `signature`,
 * sorted by name, `k=v` joined with `&`, not URL-encoded, with the api_key appended.
 */
export function requestSigningMessage(fields: SignableFields, apiKey: string): string {
  return Object.keys(fields)
    .filter((k) => k !== 'signature')
    .filter((k) => {
      const v = fields[k];
      return v !== null && v !== undefined && v !== '';
    })
    .sort()
    .map((k) => `${k}=${String(fields[k])}`)
    .join('&')
    .concat(apiKey);
}

export function signRequest(fields: SignableFields, apiKey: string): string {
  return hmacHex(requestSigningMessage(fields, apiKey), apiKey);
}

/** Notify and query results: merchant_reference + payment_method + status + currency + amount. */
export interface ResultFields {
  merchant_reference: string;
  payment_method: string;
  status: string;
  currency: string;
  /** As received: the notify's decimal string, or the query's amount formatted with the currency's decimals. */
  amount: string;
}

export function resultSigningMessage(f: ResultFields): string {
  return f.merchant_reference + f.payment_method + f.status + f.currency + f.amount;
}

export function signResult(f: ResultFields, apiKey: string): string {
  return hmacHex(resultSigningMessage(f), apiKey);
}

/** Constant-time comparison of a received lowercase-hex signature with the expected one. */
export function signatureMatches(expectedHex: string, received: unknown): boolean {
  if (typeof received !== 'string' || !/^[0-9a-fA-F]{64}$/.test(received)) return false;
  const a = Buffer.from(expectedHex, 'hex');
  const b = Buffer.from(received.toLowerCase(), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
