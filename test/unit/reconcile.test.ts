/** The reconcile loop on fakes: what it lists, how it counts, batch, concurrency, errors. */
import { ConfigError } from '../../server/core/errors';
import { reconcile, reconcileOptionsFromEnv, RECONCILE_STATUSES } from '../../server/functions/reconcile';
import type { Order, OrderStatus } from '../../server/domain/order';

function order(orderNo: string, status: OrderStatus): Order {
  return { orderNo, openid: 'o', provider: 'latipay', status, amount: 100, currency: 'NZD', description: 'x', items: [], createdAt: 0, updatedAt: 0, expiresAt: 1 };
}

describe('reconcile', () => {
  it('asks about CREATED and PAYING orders older than the window, and counts each outcome', async () => {
    const orders = [order('A', 'PAYING'), order('B', 'PAYING'), order('C', 'CREATED'), order('D', 'PAYING'), order('E', 'PAYING')];
    const outcome: Record<string, OrderStatus | Error> = { A: 'PAID', B: 'FAILED', C: 'CLOSED', D: 'PAYING', E: new Error('store down') };
    const listStale = jest.fn(async () => orders);
    let inFlight = 0;
    let maxInFlight = 0;
    const settleByQuery = jest.fn(async (o: Order) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setImmediate(r)); // yield, so other workers can start
      inFlight -= 1;
      const to = outcome[o.orderNo]!;
      if (to instanceof Error) throw to;
      return { ...o, status: to };
    });
    const listRecentlyFailed = jest.fn(async () => [] as Order[]);
    const summary = await reconcile(
      { service: { settlement: { settleByQuery, recheckFailed: async (o: Order) => o } }, store: { listStale, listRecentlyFailed } },
      1_000_000,
      { notifyWindowMs: 120_000, batch: 50, concurrency: 2 },
    );
    expect(listStale).toHaveBeenCalledWith(RECONCILE_STATUSES, 1_000_000 - 120_000, 50);
    expect(listRecentlyFailed).toHaveBeenCalledWith(1_000_000 - 60 * 60_000, 1_000_000 - 120_000, 20);
    expect(settleByQuery).toHaveBeenCalledTimes(5);
    expect(maxInFlight).toBe(2);
    expect(summary).toEqual({ ok: true, checked: 5, paid: 1, failed: 1, closed: 1, unchanged: 1, errors: 1, errorOrders: ['E'], more: false });
  });

  it('says when a full batch may leave more behind', async () => {
    const summary = await reconcile(
      {
        service: { settlement: { settleByQuery: async (o: Order) => o, recheckFailed: async (o: Order) => o } },
        store: { listStale: async () => [order('A', 'PAYING'), order('B', 'PAYING')], listRecentlyFailed: async () => [] },
      },
      0,
      { batch: 2 },
    );
    expect(summary).toMatchObject({ checked: 2, unchanged: 2, more: true });
  });

  it('reads its window and batch from the environment', () => {
    expect(reconcileOptionsFromEnv({})).toMatchObject({ notifyWindowMs: 120_000, batch: 50 });
    expect(reconcileOptionsFromEnv({ RECONCILE_AFTER_MINUTES: '0', RECONCILE_BATCH: '10' })).toMatchObject({ notifyWindowMs: 0, batch: 10 });
    expect(() => reconcileOptionsFromEnv({ RECONCILE_AFTER_MINUTES: '-1' })).toThrow(ConfigError);
  });
});
