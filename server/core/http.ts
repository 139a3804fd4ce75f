/**
 * Outbound HTTP for provider calls. Every call has a timeout; only calls the caller marks
 * idempotent are retried, with exponential backoff and jitter, and only when the failure
 * is worth retrying (network error, timeout, 429, 5xx) — the predicate stripe-node uses.
 */
import { ProviderError } from './errors';

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

async function sendOnce(request: HttpRequest, provider: string): Promise<HttpResponse> {
  let response: Response;
  try {
    const init: RequestInit = { method: request.method, signal: AbortSignal.timeout(request.timeoutMs) };
    if (request.headers) init.headers = request.headers;
    if (request.body !== undefined) init.body = request.body;
    response = await fetch(request.url, init);
  } catch (e) {
    // Duck-typed: the abort reason is a DOMException, which is not always `instanceof Error`.
    const name = (e as { name?: unknown } | null)?.name;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    throw new ProviderError(
      provider,
      timedOut ? `did not answer within ${request.timeoutMs} ms` : 'could not be reached',
      { retryable: true },
    );
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  const text = await response.text();
  return { status: response.status, headers, text };
}

/** Sends with fetch; retries idempotent calls on retryable failures. */
export function createHttpSend(provider: string): HttpSend {
  return async (request) => {
    const retries = request.retries ?? 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await sendOnce(request, provider);
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
