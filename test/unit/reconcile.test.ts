/** The reconcile loop on fakes: due items, pages, concurrency, errors, and no starvation. */
import { ConfigError } from '../../server/core/errors';
import type { OrderStatus } from '../../server/domain/order';
import type { Refund } from '../../server/domain/refund';
import type { StoredOrder } from '../../server/store/types';
import { reconcile, reconcileOptionsFromEnv } from '../../server/use-cases/reconcile';

function order(orderNo: string, status: OrderStatus, due: number | undefined, refunds: Refund[] = []): StoredOrder {
  const o: StoredOrder = { orderNo, openid: 'o', provider: 'latipay', status, amount: 100, currency: 'NZD', description: 'x', items: [], createdAt: 0, updatedAt: 0, expiresAt: 1, rev: 1 };
  if (due !== undefined) o.check = { at: due, attempt: 0, until: 1e12 };
  if (refunds.length) o.refunds = refunds;
  return o;
}

function refund(refundNo: string, due: number): Refund {
  return { refundNo, orderNo: 'x', provider: 'ottpay', amount: 10, currency: 'CAD', status: 'PENDING', createdAt: 0, updatedAt: 0, check: { at: due, attempt: 0, until: 1e12 } };
}

/** A due queue over `orders`: each check pushes the item's due time past the run (as the engine's back-off does). */
function queue(orders: StoredOrder[]) {
  const due = new Map(orders.map((o) => [o.orderNo, o]));
  const dueAt = (o: StoredOrder) => Math.min(o.check?.at ?? Infinity, ...(o.refunds ?? []).map((r) => (r.status === 'PENDING' ? (r.check?.at ?? Infinity) : Infinity)));
  return {
    listDue: jest.fn(async (now: number, limit: number) => [...due.values()].filter((o) => dueAt(o) <= now).sort((a, b) => dueAt(a) - dueAt(b)).slice(0, limit)),
    backOff(o: StoredOrder, now: number) {
      const next = { ...o, check: o.check ? { ...o.check, at: now + 60_000 } : undefined, refunds: o.refunds?.map((r) => ({ ...r, check: { ...r.check!, at: now + 60_000 } })) } as StoredOrder;
      due.set(o.orderNo, next);
      return next;
    },
  };
}

describe('reconcile', () => {
  it('asks about every due payment, counts each outcome, and keeps a few questions in flight', async () => {
    const now = 1_000_000;
    const orders = [order('A', 'PAYING', 10), order('B', 'PAYING', 20), order('C', 'CREATED', 30), order('D', 'PAYING', 40), order('E', 'PAYING', 50), order('F', 'PAYING', now + 1)];
    const q = queue(orders);
    const outcome: Record<string, OrderStatus | Error> = { A: 'PAID', B: 'FAILED', C: 'CLOSED', D: 'PAYING', E: new Error('store down') };
    let inFlight = 0;
    let maxInFlight = 0;
    const settleByQuery = jest.fn(async (o: StoredOrder) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight -= 1;
      const to = outcome[o.orderNo]!;
      if (to instanceof Error) throw to;
      return { ...q.backOff(o, now), status: to };
    });
    const summary = await reconcile({ store: q, payments: { settleByQuery }, refunds: { check: jest.fn() }, now: () => now }, { batch: 50, concurrency: 2 });
    expect(settleByQuery.mock.calls.map((c) => c[0].orderNo).sort()).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(maxInFlight).toBe(2);
    expect(summary).toMatchObject({ checked: 5, paid: 1, failed: 1, closed: 1, unchanged: 1, errors: 1, errorOrders: ['E'], more: false });
  });

  it('takes page after page until nothing is due, never the same order twice, so a fresh refund behind 60 stuck ones is reached in the same run', async () => {
    const now = 5_000_000;
    const stuck = Array.from({ length: 60 }, (_, i) => order(`S${i}`, 'PAID', undefined, [refund(`RS${i}`, i)]));
    const fresh = order('FRESH', 'PAID', undefined, [refund('RFRESH', 1_000)]);
    const q = queue([...stuck, fresh]);
    const check = jest.fn(async (o: StoredOrder, refundNo: string) => {
      if (o.orderNo === 'S7') throw new Error('provider down');
      const after = q.backOff(o, now);
      return { refund: { ...after.refunds!.find((r) => r.refundNo === refundNo)!, status: refundNo === 'RFRESH' ? ('SUCCEEDED' as const) : ('PENDING' as const) }, order: after };
    });
    const summary = await reconcile({ store: q, payments: { settleByQuery: jest.fn() }, refunds: { check }, now: () => now }, { batch: 25 });
    expect(check.mock.calls.map((c) => c[1])).toContain('RFRESH');
    expect(check).toHaveBeenCalledTimes(61);
    expect(summary.refunds).toMatchObject({ checked: 61, succeeded: 1, pending: 59 });
    expect(summary.refunds.errors).toBe(1);
    expect(q.listDue.mock.calls.length).toBeGreaterThanOrEqual(3);
  });

  it('stops taking pages when its time budget is spent, and says more may be due', async () => {
    let clock = 0;
    const q = queue(Array.from({ length: 10 }, (_, i) => order(`T${i}`, 'PAYING', i)));
    const settleByQuery = jest.fn(async (o: StoredOrder) => {
      clock += 1_000;
      return q.backOff(o, 100);
    });
    const summary = await reconcile({ store: q, payments: { settleByQuery }, refunds: { check: jest.fn() }, now: () => clock }, { batch: 2, budgetMs: 3_500 });
    expect(summary.more).toBe(true);
    expect(settleByQuery.mock.calls.length).toBeLessThan(10);
  });

  it('reads its batch from the environment', () => {
    expect(reconcileOptionsFromEnv({})).toMatchObject({ batch: 50 });
    expect(reconcileOptionsFromEnv({ RECONCILE_BATCH: '10' })).toMatchObject({ batch: 10 });
    expect(() => reconcileOptionsFromEnv({ RECONCILE_BATCH: '0' })).toThrow(ConfigError);
  });
});

