/**
 * The Authorization header every API v3 request carries (WeChat Pay "Signature generation",
 * pay.weixin.qq.com/wiki/doc/apiv3/wechatpay/wechatpay4_0, global docs the same):
 *
 *   Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",timestamp="…",serial_no="…",signature="…"
 *
 * The signed message is five lines, each ending "\n": the HTTP method, the URL path with its
 * query string (as sent, without scheme and host), the timestamp (seconds), the nonce, and the
 * body (empty for a GET). SHA256withRSA (PKCS#1 v1.5) with the merchant's API private key,
 * Base64. One job: build that message and that header. node:crypto only.
 */
import { createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';

export const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';

export interface RequestToSign {
  method: 'GET' | 'POST';
  /** Path with query, e.g. `/v3/global/transactions/out-trade-no/123?mchid=1900000109`. */
  pathWithQuery: string;
  body: string;
}

export interface MerchantIdentity {
  mchid: string;
  /** The serial number of the merchant API certificate whose private key signs. */
  serialNo: string;
  privateKey: KeyObject;
}

/** The five-line message (method, path, timestamp, nonce, body), each line ending "\n". */
export function requestMessage(req: RequestToSign, timestamp: string, nonce: string): string {
  return `${req.method}\n${req.pathWithQuery}\n${timestamp}\n${nonce}\n${req.body}\n`;
}

/** Base64 SHA256withRSA over `message` with a private key. */
export function rsaSha256Sign(message: string, privateKey: KeyObject): string {
  return sign('sha256', Buffer.from(message, 'utf8'), privateKey).toString('base64');
}

/** A nonce as WeChat's examples use: 32 uppercase letters and digits. */
export function newNonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from(randomBytes(32), (b) => alphabet[b % alphabet.length]).join('');
}

/** The Authorization header value for a request made at `timestamp` (seconds) with `nonce`. */
export function authorization(req: RequestToSign, who: MerchantIdentity, timestamp: string, nonce: string): string {
  const signature = rsaSha256Sign(requestMessage(req, timestamp, nonce), who.privateKey);
  return `${AUTH_SCHEMA} mchid="${who.mchid}",nonce_str="${nonce}",timestamp="${timestamp}",serial_no="${who.serialNo}",signature="${signature}"`;
}

/** Parses a PEM private key once (configuration is validated before this runs). */
export function merchantPrivateKey(pem: string): KeyObject {
  return createPrivateKey(pem);
}
