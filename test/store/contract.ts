/**
 * The contract every store must keep (server/store/types.ts), run against SQLite and the
 * CloudBase stand-in: orders are documents, changed only by compare-and-set on their revision.
 */
import type { Order } from '../../server/domain/order';
import type { Refund } from '../../server/domain/refund';
import type { Store } from '../../server/store/types';

let counter = 0;
export function sampleOrder(overrides: Partial<Order> = {}): Order {
  counter++;
  return {
    orderNo: `2026112100000${String(counter).padStart(7, '0')}`,
    openid: 'oUserA',
    provider: 'latipay',
    status: 'CREATED',
    amount: 1100,
    currency: 'NZD',
    description: 'Flat white x2',
    items: [{ sku: 'coffee', name: 'Flat white', quantity: 2, unitPrice: 550 }],
    createdAt: 1_000 + counter,
    updatedAt: 1_000 + counter,
    expiresAt: 10_000_000,
    ...overrides,
  };
}

export function sampleRefund(order: Order, refundNo: string, amount: number, overrides: Partial<Refund> = {}): Refund {
  return { refundNo, orderNo: order.orderNo, provider: order.provider, amount, currency: order.currency, status: 'PENDING', createdAt: 5, updatedAt: 5, ...overrides };
}

export function storeContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });

    it('stores and reads an order unchanged, at revision 1', async () => {
      const order = sampleOrder({ timeline: [{ at: 1, type: 'created', detail: { amount: '11.00' } }] });
      await store.insert(order);
      expect(await store.get(order.orderNo)).toEqual({ ...order, rev: 1 });
      expect(await store.get('nope')).toBeNull();
    });

    it('refuses a duplicate orderNo and keeps the first', async () => {
      const order = sampleOrder();
      await store.insert(order);
      await expect(store.insert({ ...order, amount: 1 })).rejects.toMatchObject({ code: 'DUPLICATE_ORDER' });
      expect((await store.get(order.orderNo))?.amount).toBe(1100);
    });

    it('replaces a document only at the revision named, and clears fields that went away', async () => {
      const order = sampleOrder({ attention: 'look', check: { at: 50, attempt: 0, until: 500 } });
      await store.insert(order);
      const { attention: _a, check: _c, ...rest } = order;
      expect(await store.replace({ ...rest, status: 'PAYING', providerRef: 'ref-1' }, 1)).toBe(true);
      expect(await store.replace({ ...order, status: 'FAILED' }, 1)).toBe(false);
      const stored = await store.get(order.orderNo);
      expect(stored).toEqual({ ...rest, status: 'PAYING', providerRef: 'ref-1', rev: 2 });
      expect(await store.replace({ ...order, orderNo: 'missing' }, 1)).toBe(false);
    });

    it('lets exactly one of many concurrent compare-and-sets at one revision win', async () => {
      const order = sampleOrder({ status: 'PAYING' });
      await store.insert(order);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.replace({ ...order, status: 'PAID', paidAt: 5000 + i }, 1)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get(order.orderNo)).toMatchObject({ status: 'PAID', rev: 2 });
    });

    it('lists a shopper’s own orders, and every order, newest first', async () => {
      const a1 = sampleOrder({ openid: 'oList', createdAt: 100 });
      const a2 = sampleOrder({ openid: 'oList', createdAt: 300 });
      const b = sampleOrder({ openid: 'oOther', createdAt: 200 });
      for (const o of [a1, b, a2]) await store.insert(o);
      expect((await store.listByOpenid('oList', 10)).map((o) => o.orderNo)).toEqual([a2.orderNo, a1.orderNo]);
      expect((await store.listByOpenid('oList', 1)).map((o) => o.orderNo)).toEqual([a2.orderNo]);
      const all = (await store.listOrders({}, 10)).map((o) => o.orderNo);
      expect(all.filter((n) => [a1, a2, b].some((o) => o.orderNo === n))).toEqual([a2.orderNo, b.orderNo, a1.orderNo]);
    });

    it('filters the listing by status, provider and attention, and pages with a cursor', async () => {
      const marked = sampleOrder({ status: 'PAID', provider: 'ottpay', attention: 'late payment', createdAt: 10_000 });
      const plain = sampleOrder({ status: 'PAID', provider: 'ottpay', createdAt: 10_001 });
      const other = sampleOrder({ status: 'CLOSED', provider: 'ottpay', createdAt: 10_002 });
      for (const o of [marked, plain, other]) await store.insert(o);
      expect((await store.listOrders({ provider: 'ottpay', status: 'PAID' }, 10)).map((o) => o.orderNo)).toEqual([plain.orderNo, marked.orderNo]);
      expect((await store.listOrders({ provider: 'ottpay', attention: true }, 10)).map((o) => o.orderNo)).toEqual([marked.orderNo]);
      expect((await store.listOrders({ provider: 'ottpay', attention: false }, 10)).map((o) => o.orderNo)).toEqual([other.orderNo, plain.orderNo]);
      const page = await store.listOrders({ provider: 'ottpay' }, 10, { createdAt: other.createdAt, orderNo: other.orderNo });
      expect(page.map((o) => o.orderNo)).toEqual([plain.orderNo, marked.orderNo]);
    });

    it('finds an order by the provider and its reference', async () => {
      const order = sampleOrder({ provider: 'newpay' });
      await store.insert(order);
      expect(await store.findByProviderRef('newpay', 'np-ref-77')).toBeNull();
      expect(await store.replace({ ...order, providerRef: 'np-ref-77' }, 1)).toBe(true);
      expect((await store.findByProviderRef('newpay', 'np-ref-77'))?.orderNo).toBe(order.orderNo);
      expect(await store.findByProviderRef('latipay', 'np-ref-77')).toBeNull();
    });

    it('finds the order holding a refund, and keeps refund numbers unique across orders', async () => {
      const a = sampleOrder({ status: 'PAID' });
      const b = sampleOrder({ status: 'PAID' });
      await store.insert(a);
      await store.insert(b);
      expect(await store.claimRefundNumber('RUNIQUE1', a.orderNo)).toBe(true);
      expect(await store.claimRefundNumber('RUNIQUE1', a.orderNo)).toBe(true);
      expect(await store.replace({ ...a, refunds: [sampleRefund(a, 'RUNIQUE1', 100)] }, 1)).toBe(true);
      expect((await store.findByRefundNo('RUNIQUE1'))?.orderNo).toBe(a.orderNo);
      expect(await store.findByRefundNo('RNONE')).toBeNull();
      expect(await store.claimRefundNumber('RUNIQUE1', b.orderNo)).toBe(false);
      const claims = await Promise.all(['x', 'y', 'z'].map(() => store.claimRefundNumber('RRACE1', b.orderNo)));
      expect(claims).toEqual([true, true, true]);
      expect(await store.claimRefundNumber('RRACE1', a.orderNo)).toBe(false);
    });

    it('lists orders with something due, oldest due first, payment or refund alike', async () => {
      const late = sampleOrder({ check: { at: 300, attempt: 0, until: 9_000 } });
      const early = sampleOrder({ check: { at: 100, attempt: 0, until: 9_000 } });
      const future = sampleOrder({ check: { at: 5_000, attempt: 0, until: 9_000 } });
      const done = sampleOrder({ check: { attempt: 3, until: 9_000 } });
      const paid = sampleOrder({ status: 'PAID' });
      const refunding = sampleOrder({ status: 'PAID' });
      refunding.refunds = [sampleRefund(refunding, 'RDUE1', 100, { check: { at: 200, attempt: 0, until: 9_000 } }), sampleRefund(refunding, 'RDUE2', 100, { status: 'SUCCEEDED', check: { at: 1, attempt: 0, until: 9_000 } })];
      for (const o of [late, early, future, done, paid, refunding]) await store.insert(o);
      const mine = (list: { orderNo: string }[]) => list.map((o) => o.orderNo).filter((n) => [late, early, future, done, paid, refunding].some((o) => o.orderNo === n));
      expect(mine(await store.listDue(1_000, 50))).toEqual([early.orderNo, refunding.orderNo, late.orderNo]);
      expect(mine(await store.listDue(150, 50))).toEqual([early.orderNo]);
      // Backed off: it leaves the head of the queue.
      expect(await store.replace({ ...early, check: { at: 8_000, attempt: 1, until: 9_000 } }, 1)).toBe(true);
      expect(mine(await store.listDue(1_000, 50))).toEqual([refunding.orderNo, late.orderNo]);
    });
  });
}
