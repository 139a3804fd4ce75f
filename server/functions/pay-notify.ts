/**
 * The `payNotify` cloud function, reached through HTTP access: providers POST their
 * notifications to `<payNotify URL>/<provider>`. Replies are full HTTP responses in the
 * provider's own acknowledgement format.
 */
import type { PaymentService } from '../use-cases/service';
import type { NotificationResult } from '../use-cases/settlement/intake';
import type { PaymentProvider, HttpReply } from '../providers/types';

/** CloudBase HTTP access event (the fields we read). */
export interface HttpAccessEvent {
  path?: string;
  httpMethod?: string;
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

function text(statusCode: number, body: string): HttpReply & { isBase64Encoded: false } {
  return { statusCode, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body, isBase64Encoded: false };
}

/** The provider is the last path segment (`/payNotify/<provider>`, `/notify/<provider>`) or `?provider=`. */
export function providerFromEvent(event: HttpAccessEvent): string | undefined {
  const fromQuery = event.queryStringParameters?.provider;
  if (fromQuery) return fromQuery;
  const segments = (event.path ?? '').split('?')[0]!.split('/').filter(Boolean);
  return segments[segments.length - 1];
}

export async function handlePayNotify(
  event: unknown,
  service: PaymentService,
): Promise<HttpReply & { isBase64Encoded: false }> {
  if (event === null || typeof event !== 'object') return text(400, 'expected an HTTP access event');
  const e = event as HttpAccessEvent;
  if ((e.httpMethod ?? 'POST').toUpperCase() !== 'POST') return text(405, 'notifications must be POSTed');
  const provider = providerFromEvent(e);
  if (!provider) return text(404, 'no provider in the path; use <payNotify URL>/<provider>');
  const raw = e.body ?? '';
  const rawBody = e.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.headers ?? {})) if (typeof v === 'string') headers[k.toLowerCase()] = v;
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.queryStringParameters ?? {})) if (typeof v === 'string') query[k] = v;
  const inbound = { headers, rawBody, query };
  await service.deps.providers.get(provider)?.adapter.prepareNotification?.(inbound).catch(() => undefined);
  // Payment and refund notifications share the URL and the intake (use-cases/settlement/intake.ts).
  const result = await service.notifications.receive(provider, inbound);
  if (result.kind === 'unknown-provider') return text(404, `unknown provider "${provider}"`);
  return { ...httpReplyFor(result, service.deps.providers.require(provider).adapter), isBase64Encoded: false };
}

/** HTTP status of a refusal: the provider retries a 5xx; 4xx tell it (and its logs) why not. */
const REFUSAL_STATUS = { signature: 401, unreadable: 400, 'unknown-order': 404, 'amount-mismatch': 400, 'store-failure': 500, unconfirmed: 503 } as const;

/** The domain result in the provider's own reply format. */
export function httpReplyFor(result: Exclude<NotificationResult, { kind: 'unknown-provider' }>, adapter: PaymentProvider): HttpReply {
  if (result.kind === 'accepted') return adapter.acknowledge();
  return adapter.refuse(REFUSAL_STATUS[result.why], result.reason);
}
