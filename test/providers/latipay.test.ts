import { providerConfig } from '../../server/config';
import type { LatipayConfig } from '../../server/providers/latipay/config';
import { LatipayProvider } from '../../server/providers/latipay/adapter';
import { createHttpSend } from '../../server/core/http';
import { ProviderError } from '../../server/core/errors';
import { providerContract } from './contract';
import { latipayHarness } from './latipay-harness';
import { startTestStack } from '../helpers/local-stack';

providerContract(latipayHarness);

describe('Latipay adapter specifics', () => {
  it('reports a wrong API key as the documented 206 signature error', async () => {
    const stack = await startTestStack();
    try {
      const adapter = new LatipayProvider(
        { ...providerConfig<LatipayConfig>(stack.app.config, 'latipay'), apiKey: 'wrong-key' },
        stack.app.config.wechat.appId,
        createHttpSend('latipay'),
        2000,
      );
      const error = await adapter
        .createMiniPayment({
          order: { orderNo: '1', openid: 'o', provider: 'latipay', status: 'CREATED', amount: 100, currency: 'NZD', description: 'x', items: [], createdAt: 0, updatedAt: 0, expiresAt: 0 },
          openid: 'o',
          notifyUrl: `${stack.url}/notify/latipay`,
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).details.providerCode).toBe('206');
    } finally {
      await stack.close();
    }
  });

  it('times out instead of hanging when Latipay does not answer', async () => {
    const { createServer } = await import('node:http');
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    try {
      const adapter = new LatipayProvider(
        { userId: 'U1', walletId: 'W1', apiKey: 'k', apiBase: `http://127.0.0.1:${port}`, currency: 'NZD' },
        'wx0123456789abcdef',
        createHttpSend('latipay'),
        200,
      );
      await expect(
        adapter.createMiniPayment({
          order: { orderNo: '1', openid: 'o', provider: 'latipay', status: 'CREATED', amount: 100, currency: 'NZD', description: 'x', items: [], createdAt: 0, updatedAt: 0, expiresAt: 0 },
          openid: 'o',
          notifyUrl: 'http://127.0.0.1/notify/latipay',
        }),
      ).rejects.toThrow(/did not answer within 200 ms/);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
