/**
 * Outbound HTTP for provider calls. Every call has a timeout; only calls the caller marks
 * idempotent are retried, with exponential backoff and jitter, and only when the failure
 * is worth retrying (network error, timeout, 429, 5xx) — the predicate stripe-node uses.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { ProviderError } from './errors';
import { createLogger, type Logger } from './log';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Retries after the first try. Must stay 0 for calls that are not idempotent. */
  retries?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export type HttpSend = (request: HttpRequest) => Promise<HttpResponse>;

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function backoffDelay(attempt: number, baseMs = 200, capMs = 2000): number {
  const exp = Math.min(capMs, baseMs * 2 ** attempt);
  return exp / 2 + Math.random() * (exp / 2);
}

/**
 * Keep-alive agents shared by every call. node:http rather than fetch: CloudBase's Nodejs16
 * runtime has no global fetch, and on the local stack fetch cost about 0.45 ms more per call
 * (npm run bench). Idle sockets close after 4 s, before servers' usual 5 s keep-alive limit,
 * so a reused socket is rarely one the server is closing.
 */
const agents = {
  'http:': new HttpAgent({ keepAlive: true, timeout: 4000 }),
  'https:': new HttpsAgent({ keepAlive: true, timeout: 4000 }),
};

class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * Why a request got no answer, in words that point at the fix. Node's error codes are stable
 * (DNS: ENOTFOUND/EAI_AGAIN; TCP: ECONNREFUSED/ECONNRESET/EHOSTUNREACH; TLS: the OpenSSL codes
 * such as CERT_HAS_EXPIRED or ERR_TLS_CERT_ALTNAME_INVALID), so they are read, never the text.
 */
export function unreachableCause(error: unknown, timeoutMs: number): string {
  if (error instanceof TimeoutError) return `timeout: no answer within ${timeoutMs} ms (PROVIDER_TIMEOUT_MS)`;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NONAME') return `DNS: the host name does not resolve (${code})`;
  if (code === 'ECONNREFUSED') return 'refused: nothing listens at that host and port (ECONNREFUSED)';
  if (code === 'ECONNRESET' || code === 'EPIPE') return `connection reset by the other side (${code})`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ENETDOWN') return `network: the host cannot be reached (${code})`;
  if (code === 'EPROTO' || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || /CERT|SIGNATURE|ISSUER|SELF_SIGNED|VERIFY/.test(code)) {
    return `TLS: ${code}${detail && !detail.includes(code) ? ` (${detail})` : ''}`;
  }
  return `${code || 'error'}: ${detail}`;
}

/** A URL fit for a message or a log line: no query string, no user info. */
function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url;
  }
}

/** Where the request's URL came from: the variable whose value is the longest prefix of it. */
function variableFor(url: string, sources: Readonly<Record<string, string>>): string | undefined {
  let best: { name: string; length: number } | undefined;
  for (const [name, base] of Object.entries(sources)) {
    const prefix = base.replace(/\/+$/, '');
    if (prefix !== '' && (url === prefix || url.startsWith(prefix + '/') || url.startsWith(prefix + '?')) && (!best || prefix.length > best.length)) {
      best = { name, length: prefix.length };
    }
  }
  return best?.name;
}

async function sendOnce(request: HttpRequest, provider: string, where: SendOptions): Promise<HttpResponse> {
  try {
    return await new Promise<HttpResponse>((resolve, reject) => {
      const url = new URL(request.url);
      const send = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : undefined;
      if (!send) throw new Error(`unsupported scheme ${url.protocol}`);
      const headers: Record<string, string> = { ...request.headers };
      if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
      const req = send(url, { method: request.method, headers, agent: agents[url.protocol as 'http:' | 'https:'] }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          clearTimeout(timer);
          const out: Record<string, string> = {};
          for (const [key, value] of Object.entries(res.headers)) {
            if (value !== undefined) out[key] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: res.statusCode ?? 0, headers: out, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      // One deadline for the whole exchange: connect, answer and body.
      const timer = setTimeout(() => req.destroy(new TimeoutError()), request.timeoutMs);
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      req.end(request.body);
    });
  } catch (e) {
    // The developer's next step is in the message: which provider, which URL, which variable
    // set it, and why (DNS, refused, timeout, TLS). Said in the reply and logged once.
    const timedOut = e instanceof TimeoutError;
    const url = displayUrl(request.url);
    const variable = variableFor(request.url, where.urlVariables ?? {});
    const cause = unreachableCause(e, request.timeoutMs);
    const setBy = variable ? ` (set by ${variable})` : '';
    const message = timedOut
      ? `did not answer within ${request.timeoutMs} ms at ${url}${setBy}: timeout (PROVIDER_TIMEOUT_MS sets the limit)`
      : `could not be reached at ${url}${setBy}: ${cause}`;
    (where.log ?? defaultLog()).warn('provider unreachable', { provider, url, ...(variable ? { variable } : {}), cause });
    throw new ProviderError(provider, message, { retryable: true });
  }
}

let fallbackLog: Logger | undefined;
function defaultLog(): Logger {
  fallbackLog ??= createLogger('http');
  return fallbackLog;
}

export interface SendOptions {
  /** Variable name → the URL it set (AppConfig.urlVariables): names the variable in errors. */
  urlVariables?: Readonly<Record<string, string>>;
  log?: Logger;
}

/** Sends over node:http(s); retries idempotent calls on retryable failures. */
export function createHttpSend(provider: string, options: SendOptions = {}): HttpSend {
  return async (request) => {
    const retries = request.retries ?? 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await sendOnce(request, provider, options);
        if (attempt < retries && isRetryableStatus(response.status)) {
          await sleep(backoffDelay(attempt));
          continue;
        }
        return response;
      } catch (e) {
        if (attempt < retries && e instanceof ProviderError && e.retryable) {
          await sleep(backoffDelay(attempt));
          continue;
        }
        throw e;
      }
    }
  };
}

/** Parses a JSON body, turning garbage into a ProviderError instead of a crash. */
export function parseJsonBody(provider: string, response: HttpResponse): unknown {
  try {
    return JSON.parse(response.text) as unknown;
  } catch {
    throw new ProviderError(provider, `answered HTTP ${response.status} with a body that is not JSON`, {
      httpStatus: response.status,
      retryable: isRetryableStatus(response.status),
    });
  }
}
