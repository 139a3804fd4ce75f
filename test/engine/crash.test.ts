/**
 * CloudBase writes that belong together can't be separated: the store is "killed" (its next
 * database call throws, and nothing after it runs) between every pair of calls of a refund, of
 * a refund settled by a query, and of a paid notification's settlement; then a fresh world on
 * the same data goes on. After every kill point the order's sums equal its refunds, the money
 * the provider paid out is never more than once, and the refund ends settled.
 */
import { refundSums } from '../../server/domain/refund-sums';
import type { Refund } from '../../server/domain/refund';
import { FakeProvider, makeWorld, type World } from './fake-world';

class Killed extends Error {}

/** A provider with books: each refund number is paid out once, however often it is sent. */
function bookkeepingProvider(): { provider: FakeProvider; paidOut: Map<string, number> } {
  const provider = new FakeProvider();
  const paidOut = new Map<string, number>();
  provider.onRefund = (refund: Refund) => {
    if (!paidOut.has(refund.refundNo)) paidOut.set(refund.refundNo, refund.amount);
    return { outcome: 'succeeded', summary: 'ok', amount: { amount: refund.amount, currency: refund.currency } };
  };
  provider.onRefundQuery = (refund: Refund) => (paidOut.has(refund.refundNo) ? { outcome: 'succeeded', summary: 'SUCCESS' } : { outcome: 'uncertain', summary: 'no such refund', code: 'NOT_FOUND' });
  return { provider, paidOut };
}

async function assertSound(world: World, orderNo: string, paidOut: Map<string, number>): Promise<void> {
  const order = (await world.store.get(orderNo))!;
  const sums = refundSums(order, order.refunds ?? []);
  expect(order.refundedAmount ?? 0).toBe(sums.refunded);
  expect(order.pendingRefundAmount ?? 0).toBe(sums.pending);
  const providerTotal = [...paidOut.values()].reduce((a, b) => a + b, 0);
  expect(sums.refunded).toBeLessThanOrEqual(providerTotal);
}

/** Runs `operation` with the store dying before database call number `killAt`; then restarts and lets reconcile finish the work. */
async function killAndRestart(killAt: number, operation: (w: World) => Promise<unknown>, setup: (w: World) => Promise<string>) {
  const collections = new Map<string, Record<string, unknown>[]>();
  const clock = { now: 1_800_000_000_000 };
  const { provider, paidOut } = bookkeepingProvider();
  let calls = 0;
  let armed = false;
  const hook = () => {
    if (!armed) return;
    calls += 1;
    if (calls >= killAt) throw new Killed(`killed before call ${calls}`);
  };
  const first = makeWorld({ collections, hook, provider, clock });
  const orderNo = await setup(first);
  armed = true;
  let died = false;
  try {
    await operation(first);
  } catch (e) {
    if (!(e instanceof Killed)) throw e;
    died = true;
  }
  armed = false;
  // A new process on the same database: later, reconcile settles what was left.
  const second = makeWorld({ collections, provider, clock });
  await assertSound(second, orderNo, paidOut);
  clock.now += 2 * 3_600_000;
  await second.service.reconcile();
  clock.now += 2 * 3_600_000;
  await second.service.reconcile();
  await assertSound(second, orderNo, paidOut);
  return { world: second, orderNo, paidOut, died, calls };
}

describe('killed between every pair of database calls (CloudBase)', () => {
  it('a refund: the sums stay right, the provider pays at most once, and the refund ends SUCCEEDED', async () => {
    let completedAt = 0;
    for (let killAt = 1; killAt < 20; killAt++) {
      const { world, orderNo, paidOut, died } = await killAndRestart(
        killAt,
        (w) => w.service.refunds.refund({ orderNo: (w as World & { orderNo: string }).orderNo, amount: 300, refundNo: 'RCRASH1' }, 'op'),
        async (w) => {
          const order = await w.order('PAID');
          (w as World & { orderNo: string }).orderNo = order.orderNo;
          return order.orderNo;
        },
      );
      const order = (await world.store.get(orderNo))!;
      const refund = order.refunds?.find((r) => r.refundNo === 'RCRASH1');
      if (refund) {
        expect(refund.status).toBe('SUCCEEDED');
        expect(paidOut.get('RCRASH1')).toBe(300);
        expect(order).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 300 });
      } else {
        // Killed before the refund was written: nothing held, nothing paid, and it can be asked again.
        expect(paidOut.size).toBe(0);
        expect(order.pendingRefundAmount ?? 0).toBe(0);
        await expect(world.service.refunds.refund({ orderNo, amount: 300, refundNo: 'RCRASH1' }, 'op')).resolves.toMatchObject({ refund: { status: 'SUCCEEDED' } });
      }
      if (!died) {
        completedAt = killAt;
        break;
      }
    }
    // The loop reached a kill point past the operation's last call: every point in between was tried.
    expect(completedAt).toBeGreaterThan(3);
  });

  it('a paid notification-style settlement: the order ends PAID once, whatever call it died before', async () => {
    let completedAt = 0;
    for (let killAt = 1; killAt < 20; killAt++) {
      const { world, orderNo, died } = await killAndRestart(
        killAt,
        (w) => w.service.settlement.apply((w as World & { orderNo: string }).orderNo, { orderNo: (w as World & { orderNo: string }).orderNo, outcome: 'paid', summary: 'paid', amount: { amount: 1000, currency: 'NZD' } }, 'notification', [{ type: 'notification', detail: { applied: true } }]),
        async (w) => {
          const order = await w.order('PAYING');
          (w as World & { orderNo: string }).orderNo = order.orderNo;
          w.provider.queryAnswers.push({ outcome: 'paid', summary: 'SUCCESS' }, { outcome: 'paid', summary: 'SUCCESS' }, { outcome: 'paid', summary: 'SUCCESS' });
          return order.orderNo;
        },
      );
      const order = (await world.store.get(orderNo))!;
      expect(order.status).toBe('PAID');
      expect(order.timeline?.filter((l) => l.type === 'status_changed' && l.detail.to === 'PAID')).toHaveLength(1);
      if (!died) {
        completedAt = killAt;
        break;
      }
    }
    expect(completedAt).toBeGreaterThan(1);
  });
});
