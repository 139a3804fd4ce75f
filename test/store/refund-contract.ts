/**
 * The refund rules every OrderStore keeps (run on SQLite and on the CloudBase store):
 * only PAID / PARTIALLY_REFUNDED orders refund; never more than paid − succeeded − pending;
 * a refundNo is one refund; concurrent refunds of the remainder: exactly one accepted;
 * settling moves the money exactly once.
 */
import type { OrderStore } from '../../server/orders/store';
import type { Refund } from '../../server/domain/refund';
import { sampleOrder } from './contract';

let n = 0;
function refund(orderNo: string, amount: number, overrides: Partial<Refund> = {}): Refund {
  n++;
  return {
    refundNo: `R2026120100000${String(n).padStart(9, '0')}`,
    orderNo,
    provider: 'latipay',
    amount,
    currency: 'NZD',
    status: 'PENDING',
    createdAt: 5000 + n,
    updatedAt: 5000 + n,
    ...overrides,
  };
}

export function refundStoreContract(name: string, makeStore: () => Promise<OrderStore>): void {
  describe(`OrderStore refund contract: ${name}`, () => {
    let store: OrderStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    async function paidOrder(amount = 1000) {
      const order = sampleOrder({ status: 'PAID', amount, paidAt: 3000 });
      await store.insert(order);
      return order;
    }

    it('refuses orders that are not PAID or PARTIALLY_REFUNDED, and unknown orders', async () => {
      for (const status of ['CREATED', 'PAYING', 'FAILED', 'CLOSED'] as const) {
        const order = sampleOrder({ status });
        await store.insert(order);
        expect(await store.acceptRefund(refund(order.orderNo, 100))).toEqual({ kind: 'not-refundable', status });
        expect(await store.listRefunds(order.orderNo)).toEqual([]);
      }
      expect(await store.acceptRefund(refund('nope', 100))).toEqual({ kind: 'not-found' });
    });

    it('accepts within what remains, counting pending refunds, and refuses beyond it', async () => {
      const order = await paidOrder(1000);
      const first = refund(order.orderNo, 600);
      expect(await store.acceptRefund(first, [{ type: 'refund_requested', detail: { refundNo: first.refundNo } }])).toEqual({ kind: 'accepted', refund: first });
      expect(await store.get(order.orderNo)).toMatchObject({ status: 'PAID', pendingRefundAmount: 600 });
      expect(await store.acceptRefund(refund(order.orderNo, 401))).toEqual({ kind: 'exceeds', remaining: 400 });
      const second = refund(order.orderNo, 400);
      expect((await store.acceptRefund(second)).kind).toBe('accepted');
      expect(await store.acceptRefund(refund(order.orderNo, 1))).toEqual({ kind: 'exceeds', remaining: 0 });
      expect((await store.listRefunds(order.orderNo)).map((r) => [r.refundNo, r.status])).toEqual([
        [first.refundNo, 'PENDING'],
        [second.refundNo, 'PENDING'],
      ]);
      expect((await store.listEvents(order.orderNo)).map((e) => e.type)).toEqual(['refund_requested']);
    });

    it('answers the same refundNo with the same refund, and another amount or order as a conflict', async () => {
      const order = await paidOrder(1000);
      const other = await paidOrder(1000);
      const r = refund(order.orderNo, 300, { reason: 'broken cup' });
      expect((await store.acceptRefund(r)).kind).toBe('accepted');
      expect(await store.acceptRefund({ ...r, createdAt: r.createdAt + 10 })).toEqual({ kind: 'existing', refund: r });
      expect(await store.acceptRefund({ ...r, amount: 301 })).toMatchObject({ kind: 'conflict', refund: { amount: 300 } });
      expect(await store.acceptRefund({ ...r, orderNo: other.orderNo })).toMatchObject({ kind: 'conflict' });
      expect(await store.get(order.orderNo)).toMatchObject({ pendingRefundAmount: 300 });
      expect((await store.get(other.orderNo))?.pendingRefundAmount).toBeUndefined();
      expect(await store.getRefund(r.refundNo)).toEqual(r);
    });

    it('of 10 concurrent refunds of the remainder exactly one is accepted', async () => {
      const order = await paidOrder(1000);
      expect((await store.acceptRefund(refund(order.orderNo, 250))).kind).toBe('accepted');
      const results = await Promise.all(Array.from({ length: 10 }, () => store.acceptRefund(refund(order.orderNo, 750))));
      expect(results.filter((r) => r.kind === 'accepted')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'exceeds')).toHaveLength(9);
      expect(await store.listRefunds(order.orderNo)).toHaveLength(2);
      expect(await store.get(order.orderNo)).toMatchObject({ pendingRefundAmount: 1000 });
    });

    it('of 10 concurrent sends of one refundNo, one reserves and the rest answer it or refuse', async () => {
      const order = await paidOrder(1000);
      const r = refund(order.orderNo, 500);
      const results = await Promise.all(Array.from({ length: 10 }, () => store.acceptRefund({ ...r })));
      expect(results.filter((x) => x.kind === 'accepted')).toHaveLength(1);
      // A send that overlaps the one still reserving is refused (a conflict), never a second refund.
      expect(results.every((x) => ['accepted', 'existing', 'conflict'].includes(x.kind))).toBe(true);
      expect(await store.get(order.orderNo)).toMatchObject({ pendingRefundAmount: 500 });
      expect(await store.acceptRefund({ ...r })).toEqual({ kind: 'existing', refund: r });
    });

    it('settles once: SUCCEEDED moves pending to refunded and the order to PARTIALLY_REFUNDED, then REFUNDED', async () => {
      const order = await paidOrder(1000);
      const a = refund(order.orderNo, 400);
      const b = refund(order.orderNo, 600);
      await store.acceptRefund(a);
      await store.acceptRefund(b);
      expect(await store.settleRefund(a.refundNo, 'SUCCEEDED', { providerRef: 'P-1' }, 6000, [{ type: 'refund_settled', detail: { refundNo: a.refundNo } }])).toBe(true);
      expect(await store.settleRefund(a.refundNo, 'SUCCEEDED', {}, 6001)).toBe(false);
      expect(await store.settleRefund(a.refundNo, 'FAILED', {}, 6002)).toBe(false);
      expect(await store.get(order.orderNo)).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 400, pendingRefundAmount: 600 });
      expect(await store.getRefund(a.refundNo)).toMatchObject({ status: 'SUCCEEDED', providerRef: 'P-1', settledAt: 6000 });
      const settled = await Promise.all(Array.from({ length: 10 }, (_, i) => store.settleRefund(b.refundNo, 'SUCCEEDED', {}, 7000 + i)));
      expect(settled.filter(Boolean)).toHaveLength(1);
      const after = await store.get(order.orderNo);
      expect(after).toMatchObject({ status: 'REFUNDED', refundedAmount: 1000 });
      expect(after?.pendingRefundAmount).toBeUndefined();
      expect(await store.acceptRefund(refund(order.orderNo, 1))).toEqual({ kind: 'not-refundable', status: 'REFUNDED' });
      const changes = (await store.listEvents(order.orderNo)).filter((e) => e.type === 'status_changed').map((e) => e.detail.to);
      expect(changes).toEqual(['PARTIALLY_REFUNDED', 'REFUNDED']);
      expect(await store.settleRefund('R-missing', 'SUCCEEDED', {}, 1)).toBe(false);
    });

    it('a FAILED refund gives its amount back to what remains', async () => {
      const order = await paidOrder(1000);
      const a = refund(order.orderNo, 1000);
      await store.acceptRefund(a);
      expect(await store.settleRefund(a.refundNo, 'FAILED', { statusReason: 'refused (code 551)' }, 6000)).toBe(true);
      expect(await store.getRefund(a.refundNo)).toMatchObject({ status: 'FAILED', statusReason: 'refused (code 551)' });
      const after = await store.get(order.orderNo);
      expect(after?.status).toBe('PAID');
      expect(after?.pendingRefundAmount).toBeUndefined();
      expect(after?.refundedAmount).toBeUndefined();
      expect((await store.acceptRefund(refund(order.orderNo, 1000))).kind).toBe('accepted');
    });

    it('never enters the refund statuses through a plain transition', async () => {
      const order = await paidOrder(1000);
      expect(await store.transition(order.orderNo, 'REFUNDED', {}, 6000)).toBe(false);
      expect(await store.transition(order.orderNo, 'PARTIALLY_REFUNDED', {}, 6000)).toBe(false);
      expect((await store.get(order.orderNo))?.status).toBe('PAID');
    });

    it('lists pending refunds by last change, oldest first, and records provider references', async () => {
      const order = await paidOrder(1000);
      const a = refund(order.orderNo, 100, { createdAt: 100, updatedAt: 100 });
      const b = refund(order.orderNo, 100, { createdAt: 50, updatedAt: 50 });
      const c = refund(order.orderNo, 100, { createdAt: 900, updatedAt: 900 });
      for (const r of [a, b, c]) await store.acceptRefund(r);
      await store.settleRefund(b.refundNo, 'SUCCEEDED', {}, 60);
      expect((await store.listPendingRefunds(500, 10)).map((r) => r.refundNo)).toEqual([a.refundNo]);
      await store.setRefundProviderRef(a.refundNo, 'NP-7', 200);
      expect(await store.getRefund(a.refundNo)).toMatchObject({ providerRef: 'NP-7', updatedAt: 200 });
    });

    it('lists any shopper’s orders newest first with filters and a cursor', async () => {
      const mk = (o: Parameters<typeof sampleOrder>[0]) => sampleOrder(o);
      const orders = [
        mk({ openid: 'oA', createdAt: 100, status: 'PAID', provider: 'latipay' }),
        mk({ openid: 'oB', createdAt: 200, status: 'PAYING', provider: 'ottpay' }),
        mk({ openid: 'oC', createdAt: 200, status: 'PAID', provider: 'ottpay', attention: 'late payment' }),
        mk({ openid: 'oD', createdAt: 300, status: 'PAID', provider: 'newpay' }),
      ];
      for (const o of orders) await store.insert(o);
      const [o1, o2, o3, o4] = orders as [typeof orders[0], typeof orders[0], typeof orders[0], typeof orders[0]];
      const ids = (list: { orderNo: string }[]) => list.map((o) => o.orderNo);
      // createdAt ties are broken by orderNo, descending.
      const all = ids(await store.listOrders({}, 10));
      expect(all.slice(0, 4)).toEqual([o4.orderNo, o3.orderNo, o2.orderNo, o1.orderNo]);
      const page1 = await store.listOrders({}, 2);
      expect(ids(page1)).toEqual([o4.orderNo, o3.orderNo]);
      const last = page1[1]!;
      expect(ids(await store.listOrders({}, 2, { createdAt: last.createdAt, orderNo: last.orderNo }))).toEqual([o2.orderNo, o1.orderNo]);
      expect(ids(await store.listOrders({ status: 'PAID' }, 10))).toEqual([o4.orderNo, o3.orderNo, o1.orderNo]);
      expect(ids(await store.listOrders({ provider: 'ottpay' }, 10))).toEqual([o3.orderNo, o2.orderNo]);
      expect(ids(await store.listOrders({ attention: true }, 10))).toEqual([o3.orderNo]);
      await store.markAttention(o1.orderNo, 'refund pending too long', 400);
      expect(ids(await store.listOrders({ attention: true }, 10))).toEqual([o3.orderNo, o1.orderNo]);
    });
  });
}
