/**
 * The `payNotify` cloud function, reached through HTTP access: providers POST their
 * notifications to `<payNotify URL>/<provider>`. Replies are full HTTP responses in the
 * provider's own acknowledgement format.
 */
import type { PaymentService } from '../payments/service';
import type { HttpReply } from '../providers/types';

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

/** The provider is the last path segment (`/payNotify/latipay`, `/notify/latipay`) or `?provider=`. */
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
  const reply = await service.handleNotification(provider, { headers, rawBody, query });
  return { ...reply, isBase64Encoded: false };
}
