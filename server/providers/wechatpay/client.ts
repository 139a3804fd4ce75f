/**
 * One signed call to API v3 and its verified answer: the Authorization header on the way
 * out (./request-signature.ts), the Wechatpay-* signature on the way back
 * (./signed-message.ts) with the key its serial names (./platform-keys.ts, fetching the
 * certificates again once when the serial is new).
 *
 * What an answer is worth:
 * - `signed`: the signature verified: its status and code are WeChat Pay's;
 * - `unsigned`: no Wechatpay-* headers (WeChat Pay does not sign its 401 SIGN_ERROR, a proxy
 *   may answer for it, a 5xx from a gateway): only the HTTP status is known, nothing it says counts.
 * A 2xx that is not validly signed is a SignatureError: we never act on it.
 */
import { asRecord, fieldText, type JsonObject } from '../../core/json';
import { ProviderError } from '../../core/errors';
import type { HttpSend } from '../../core/http';
import type { PlatformKeys } from './platform-keys';
import { authorization, newNonce, type MerchantIdentity } from './request-signature';
import { SIGNED_HEADERS, UnknownSerialError, signedHeaders, verifySigned, type KeyLookup } from './signed-message';

export const PROVIDER = 'wechatpay';

export interface Answer {
  status: number;
  /** The body as JSON (`{}` for an empty 204). */
  json: JsonObject;
  text: string;
  signed: boolean;
  /** The error code of a non-2xx answer (`code`), '' for none. */
  code: string;
}

export interface ClientOptions {
  apiBase: string;
  merchant: MerchantIdentity;
  keys: PlatformKeys;
  http: HttpSend;
  timeoutMs: number;
  now: () => number;
}

export class WechatPayClient {
  constructor(private readonly o: ClientOptions) {}

  /**
   * Sends a signed request and returns the answer, verified. `retries` only for idempotent
   * calls (queries). `keysFromBody` lets the certificate download verify its answer with the
   * certificates that answer carries.
   */
  async call(
    method: 'GET' | 'POST',
    pathWithQuery: string,
    body: JsonObject | undefined,
    what: string,
    options: { retries?: number; keysFromBody?: (text: string) => KeyLookup } = {},
  ): Promise<Answer> {
    if (!options.keysFromBody) await this.o.keys.ensureFresh().catch(() => undefined);
    const text = body === undefined ? '' : JSON.stringify(body);
    const url = new URL(`${this.o.apiBase}${pathWithQuery}`);
    // The signed path is the absolute URL without scheme and host: with a base path (a proxy,
    // the local simulator's /sandbox/wechatpay), that base path is part of it.
    const signedPath = `${url.pathname}${url.search}`;
    const timestamp = String(Math.floor(this.o.now() / 1000));
    const response = await this.o.http({
      method,
      url: url.toString(),
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        'User-Agent': 'wechat-miniprogram-crossborder-pay',
        Authorization: authorization({ method, pathWithQuery: signedPath, body: text }, this.o.merchant, timestamp, newNonce()),
      },
      ...(body === undefined ? {} : { body: text }),
      timeoutMs: this.o.timeoutMs,
      ...(options.retries ? { retries: options.retries } : {}),
    });
    const hasSignature = SIGNED_HEADERS.some((h) => response.headers[h] !== undefined);
    const ok = response.status >= 200 && response.status < 300;
    if (ok || hasSignature) await this.verify(response.headers, response.text, `WeChat Pay ${what} answer`, options.keysFromBody?.(response.text));
    let json: JsonObject = {};
    if (response.text.trim() !== '') {
      try {
        json = asRecord(JSON.parse(response.text));
      } catch {
        if (ok) throw new ProviderError(PROVIDER, `${what} answered something that is not JSON (HTTP ${response.status})`, { httpStatus: response.status, retryable: true });
      }
    }
    return { status: response.status, json, text: response.text, signed: ok || hasSignature, code: ok ? '' : fieldText(json, 'code') };
  }

  /** Verifies headers + body; a new serial makes the key store fetch certificates once, then it is checked again. */
  async verify(headers: Readonly<Record<string, string>>, body: string, what: string, extraKeys?: KeyLookup): Promise<void> {
    const signed = signedHeaders(headers, what);
    const keys: KeyLookup = extraKeys ? { keyFor: (s) => this.o.keys.keyFor(s) ?? extraKeys.keyFor(s) } : this.o.keys;
    try {
      verifySigned(signed, body, keys, this.o.now(), what);
    } catch (e) {
      if (!(e instanceof UnknownSerialError) || extraKeys) throw e;
      await this.o.keys.ensureSerial(signed.serial).catch(() => undefined);
      verifySigned(signed, body, this.o.keys, this.o.now(), what);
    }
  }
}

/** A ProviderError for an answer we will not act on, retryable unless WeChat Pay signed a refusal. */
export function answerError(answer: Answer, what: string, definite: boolean): ProviderError {
  const message = fieldText(answer.json, 'message');
  const code = answer.code || `HTTP ${answer.status}`;
  return new ProviderError(PROVIDER, `${what}: ${code}${message ? ` (${message})` : ''}${answer.signed ? '' : ' [unsigned answer]'}`, {
    ...(answer.code ? { providerCode: answer.code } : {}),
    httpStatus: answer.status,
    retryable: !definite,
  });
}

