/**
 * A provider that cannot be reached is named with the URL, the variable that set it and the
 * cause (DNS, refused, timeout, TLS), in the error the caller gets and in one log line.
 * Each cause is produced for real on loopback (or the reserved `.invalid` domain), not mocked.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderError } from '../../server/core/errors';
import { createHttpSend } from '../../server/core/http';
import type { Logger } from '../../server/core/log';

function recordingLog(): { log: Logger; lines: { message: string; fields?: Record<string, unknown> }[] } {
  const lines: { message: string; fields?: Record<string, unknown> }[] = [];
  const keep = (message: string, fields?: Record<string, unknown>) => void lines.push({ message, ...(fields ? { fields } : {}) });
  return { log: { debug: keep, info: keep, warn: keep, error: keep }, lines };
}

async function listen(handler: Parameters<typeof createServer>[1] = () => undefined): Promise<{ server: Server; base: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function failure(send: ReturnType<typeof createHttpSend>, url: string, timeoutMs = 2000): Promise<ProviderError> {
  try {
    await send({ method: 'POST', url, body: '{}', timeoutMs });
  } catch (e) {
    expect(e).toBeInstanceOf(ProviderError);
    return e as ProviderError;
  }
  throw new Error('expected the call to fail');
}

describe('an unreachable provider names itself, the URL, the variable and the cause', () => {
  it('refused: nothing listens at the port', async () => {
    const { server, base } = await listen();
    await new Promise((resolve) => server.close(resolve)); // the port is now closed
    const { log, lines } = recordingLog();
    const send = createHttpSend('latipay', { urlVariables: { LATIPAY_API_BASE: base + '/sandbox/latipay', WECHAT_API_BASE: base }, log });
    const error = await failure(send, `${base}/sandbox/latipay/v2/miniapppay?secret=x`);
    expect(error.message).toBe(
      `latipay: could not be reached at ${base}/sandbox/latipay/v2/miniapppay (set by LATIPAY_API_BASE): refused: nothing listens at that host and port (ECONNREFUSED)`,
    );
    expect(error.toJSON().message).toContain('LATIPAY_API_BASE');
    expect(lines).toEqual([
      {
        message: 'provider unreachable',
        fields: { provider: 'latipay', url: `${base}/sandbox/latipay/v2/miniapppay`, variable: 'LATIPAY_API_BASE', cause: expect.stringContaining('ECONNREFUSED') },
      },
    ]);
  });

  it('DNS: a host name that does not resolve', async () => {
    const { log, lines } = recordingLog();
    const send = createHttpSend('ottpay', { urlVariables: { OTTPAY_API_BASE: 'https://frontapi.ottpay.invalid:443' }, log });
    const error = await failure(send, 'https://frontapi.ottpay.invalid:443/processV2');
    expect(error.message).toMatch(/^ottpay: could not be reached at https:\/\/frontapi\.ottpay\.invalid(:443)?\/processV2 \(set by OTTPAY_API_BASE\): DNS: /);
    expect(lines[0]?.fields?.cause).toMatch(/^DNS: /);
  });

  it('timeout: the server accepts and never answers', async () => {
    const { server, base } = await listen(() => undefined);
    try {
      const { log } = recordingLog();
      const send = createHttpSend('newpay', { urlVariables: { NEWPAY_API_BASE: base, NEWPAY_QUERY_API_BASE: base + '/beta/pay' }, log });
      const error = await failure(send, `${base}/beta/pay/uniQueryPay`, 150);
      // The longest matching base wins: the query has its own variable.
      expect(error.message).toBe(`newpay: did not answer within 150 ms at ${base}/beta/pay/uniQueryPay (set by NEWPAY_QUERY_API_BASE): timeout (PROVIDER_TIMEOUT_MS sets the limit)`);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('TLS: https to a server that speaks plain HTTP', async () => {
    const { server, base } = await listen((_req, res) => res.end('plain'));
    try {
      const { log } = recordingLog();
      const tlsBase = base.replace('http:', 'https:');
      const send = createHttpSend('latipay', { urlVariables: { LATIPAY_API_BASE: tlsBase }, log });
      const error = await failure(send, `${tlsBase}/v2/miniapppay`);
      expect(error.message).toContain(`at ${tlsBase}/v2/miniapppay (set by LATIPAY_API_BASE): TLS: `);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
