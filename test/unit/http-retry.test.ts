/**
 * Outbound HTTP against a loopback server that fails and then answers (after stripe-node's
 * retry tests): idempotent calls are retried on 5xx, 429 and lost connections, with backoff;
 * calls that are not idempotent never are; a timeout is a retryable ProviderError.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderError } from '../../server/core/errors';
import { backoffDelay, createHttpSend } from '../../server/core/http';

type Step = (req: IncomingMessage, res: ServerResponse) => void;

/** A loopback server that answers the n-th request with steps[n] (the last step repeats). */
async function scripted(steps: Step[]): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    const step = steps[Math.min(hits, steps.length - 1)]!;
    hits += 1;
    step(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/x`,
    hits: () => hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const answer = (status: number, body = '{}'): Step => (_req, res) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(body);
};
const hangUp: Step = (req) => req.socket.destroy();
const neverAnswer: Step = () => undefined;

describe('createHttpSend retries against a loopback server', () => {
  const send = createHttpSend('test-provider');

  it('retries an idempotent call after 503 and 429, then returns the answer', async () => {
    const s = await scripted([answer(503), answer(429), answer(200, '{"ok":true}')]);
    try {
      const res = await send({ method: 'GET', url: s.url, timeoutMs: 2000, retries: 2 });
      expect(res).toMatchObject({ status: 200, text: '{"ok":true}' });
      expect(s.hits()).toBe(3);
    } finally {
      await s.close();
    }
  });

  it('retries a dropped connection', async () => {
    const s = await scripted([hangUp, answer(200)]);
    try {
      expect((await send({ method: 'GET', url: s.url, timeoutMs: 2000, retries: 1 })).status).toBe(200);
      expect(s.hits()).toBe(2);
    } finally {
      await s.close();
    }
  });

  it('gives up after its retries and returns the last 5xx', async () => {
    const s = await scripted([answer(500)]);
    try {
      expect((await send({ method: 'GET', url: s.url, timeoutMs: 2000, retries: 2 })).status).toBe(500);
      expect(s.hits()).toBe(3);
    } finally {
      await s.close();
    }
  });

  it('never retries a call that is not idempotent (retries 0), even on 503', async () => {
    const s = await scripted([answer(503), answer(200)]);
    try {
      expect((await send({ method: 'POST', url: s.url, body: '{}', timeoutMs: 2000 })).status).toBe(503);
      expect(s.hits()).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('does not retry a 4xx', async () => {
    const s = await scripted([answer(400), answer(200)]);
    try {
      expect((await send({ method: 'GET', url: s.url, timeoutMs: 2000, retries: 3 })).status).toBe(400);
      expect(s.hits()).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('turns a timeout into a retryable ProviderError naming the provider', async () => {
    const s = await scripted([neverAnswer]);
    try {
      const error = await send({ method: 'POST', url: s.url, body: '{}', timeoutMs: 150 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ message: expect.stringMatching(/^test-provider: did not answer within 150 ms at http:\/\/127\.0\.0\.1:\d+\/x: timeout/), retryable: true });
    } finally {
      await s.close();
    }
  });

  it('backs off exponentially with jitter, capped', () => {
    for (let attempt = 0; attempt < 6; attempt++) {
      const exp = Math.min(2000, 200 * 2 ** attempt);
      const d = backoffDelay(attempt);
      expect(d).toBeGreaterThanOrEqual(exp / 2);
      expect(d).toBeLessThanOrEqual(exp);
    }
  });
});
