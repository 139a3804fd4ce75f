/**
 * The contract every OrderStore must keep. Run against SQLite and CloudBase.
 */
import type { OrderStore } from '../../server/orders/store';
import type { Order } from '../../server/domain/order';

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

export function orderStoreContract(name: string, makeStore: () => Promise<OrderStore>): void {
  describe(`OrderStore contract: ${name}`, () => {
    let store: OrderStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    it('stores and reads an order unchanged', async () => {
      const order = sampleOrder();
      await store.insert(order);
      expect(await store.get(order.orderNo)).toEqual(order);
      expect(await store.get('nope')).toBeNull();
    });

    it('refuses a duplicate orderNo', async () => {
      const order = sampleOrder();
      await store.insert(order);
      await expect(store.insert({ ...order, amount: 1 })).rejects.toMatchObject({ code: 'DUPLICATE_ORDER' });
      expect((await store.get(order.orderNo))?.amount).toBe(1100);
    });

    it('moves CREATED → PAYING → PAID and refuses transitions the state machine forbids', async () => {
      const order = sampleOrder();
      await store.insert(order);
      expect(await store.transition(order.orderNo, 'PAYING', { providerRef: 'ref-1' }, 2000)).toBe(true);
      expect(await store.transition(order.orderNo, 'PAYING', {}, 2001)).toBe(false);
      expect(await store.transition(order.orderNo, 'PAID', { paidAt: 3000 }, 3000)).toBe(true);
      expect(await store.transition(order.orderNo, 'PAID', { paidAt: 4000 }, 4000)).toBe(false);
      expect(await store.transition(order.orderNo, 'FAILED', { statusReason: 'x' }, 4000)).toBe(false);
      expect(await store.transition(order.orderNo, 'CLOSED', {}, 4000)).toBe(false);
      const stored = await store.get(order.orderNo);
      expect(stored).toMatchObject({ status: 'PAID', providerRef: 'ref-1', paidAt: 3000, updatedAt: 3000 });
      expect(stored?.statusReason).toBeUndefined();
      expect(await store.transition('missing', 'PAID', {}, 1)).toBe(false);
    });

    it('marks an order for attention with the change that needs it', async () => {
      const order = sampleOrder();
      await store.insert(order);
      expect((await store.get(order.orderNo))?.attention).toBeUndefined();
      expect(await store.transition(order.orderNo, 'CLOSED', { statusReason: 'no confirmation', attention: 'closed unconfirmed' }, 2000)).toBe(true);
      expect(await store.get(order.orderNo)).toMatchObject({ status: 'CLOSED', attention: 'closed unconfirmed' });
    });

    it('lets exactly one of many concurrent transitions win', async () => {
      const order = sampleOrder({ status: 'PAYING' });
      await store.insert(order);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.transition(order.orderNo, 'PAID', { paidAt: 5000 + i }, 5000 + i)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.get(order.orderNo))?.status).toBe('PAID');
    });

    it('lists a shopper’s own orders newest first', async () => {
      const a1 = sampleOrder({ openid: 'oList', createdAt: 100 });
      const a2 = sampleOrder({ openid: 'oList', createdAt: 300 });
      const b = sampleOrder({ openid: 'oOther', createdAt: 200 });
      for (const o of [a1, b, a2]) await store.insert(o);
      expect((await store.listByOpenid('oList', 10)).map((o) => o.orderNo)).toEqual([a2.orderNo, a1.orderNo]);
      expect((await store.listByOpenid('oList', 1)).map((o) => o.orderNo)).toEqual([a2.orderNo]);
      expect((await store.listRecent(10)).map((o) => o.orderNo).slice(0, 3)).toEqual([a2.orderNo, b.orderNo, a1.orderNo]);
    });

    it('finds an order by the provider and its reference', async () => {
      const order = sampleOrder();
      await store.insert(order);
      expect(await store.findByProviderRef(order.provider, 'np-ref-77')).toBeNull();
      await store.setProviderRef(order.orderNo, 'np-ref-77', 2000);
      expect((await store.findByProviderRef(order.provider, 'np-ref-77'))?.orderNo).toBe(order.orderNo);
      expect(await store.findByProviderRef('another-provider', 'np-ref-77')).toBeNull();
    });

    it('lists recently FAILED orders in a window of last change, newest first', async () => {
      const early = sampleOrder({ status: 'FAILED', updatedAt: 100 });
      const inside1 = sampleOrder({ status: 'FAILED', updatedAt: 210 });
      const inside2 = sampleOrder({ status: 'FAILED', updatedAt: 250 });
      const late = sampleOrder({ status: 'FAILED', updatedAt: 400 });
      const paid = sampleOrder({ status: 'PAID', updatedAt: 220 });
      for (const o of [early, inside1, inside2, late, paid]) await store.insert(o);
      const found = (await store.listRecentlyFailed(200, 300, 10)).map((o) => o.orderNo);
      expect(found.filter((n) => [early, inside1, inside2, late, paid].some((o) => o.orderNo === n))).toEqual([inside2.orderNo, inside1.orderNo]);
      expect((await store.listRecentlyFailed(200, 300, 1)).map((o) => o.orderNo)).toEqual([inside2.orderNo]);
    });

    it('finds stale orders by status and last change, oldest first', async () => {
      const old = sampleOrder({ status: 'PAYING', updatedAt: 10 });
      const older = sampleOrder({ status: 'PAYING', updatedAt: 5 });
      const fresh = sampleOrder({ status: 'PAYING', updatedAt: 100 });
      const paid = sampleOrder({ status: 'PAID', updatedAt: 1 });
      for (const o of [old, older, fresh, paid]) await store.insert(o);
      expect((await store.listStale(['PAYING'], 50, 10)).map((o) => o.orderNo)).toEqual([older.orderNo, old.orderNo]);
      expect(await store.listStale([], 50, 10)).toEqual([]);
    });

    it('writes timeline lines with the insert, and with a transition only when it changed the order', async () => {
      const order = sampleOrder({ createdAt: 7000 });
      await store.insert(order, [
        { type: 'created', detail: { amount: '11.00' } },
        { type: 'provider_request', detail: { provider: 'latipay' } },
      ]);
      expect(await store.transition(order.orderNo, 'PAYING', {}, 7100, [{ type: 'status_changed', detail: { to: 'PAYING' } }])).toBe(true);
      expect(await store.transition(order.orderNo, 'PAYING', {}, 7200, [{ type: 'status_changed', detail: { to: 'PAYING', again: true } }])).toBe(false);
      expect(await store.transition('missing', 'PAID', {}, 7300, [{ type: 'status_changed', detail: {} }])).toBe(false);
      expect(await store.listEvents(order.orderNo)).toEqual([
        { orderNo: order.orderNo, at: 7000, type: 'created', detail: { amount: '11.00' } },
        { orderNo: order.orderNo, at: 7000, type: 'provider_request', detail: { provider: 'latipay' } },
        { orderNo: order.orderNo, at: 7100, type: 'status_changed', detail: { to: 'PAYING' } },
      ]);
      expect(await store.listEvents('missing')).toEqual([]);
    });

    it('a refused duplicate insert writes none of its timeline', async () => {
      const order = sampleOrder();
      await store.insert(order, [{ type: 'created', detail: { first: true } }]);
      await expect(store.insert(order, [{ type: 'created', detail: { second: true } }])).rejects.toMatchObject({ code: 'DUPLICATE_ORDER' });
      expect((await store.listEvents(order.orderNo)).map((e) => e.detail)).toEqual([{ first: true }]);
    });

    it('of 20 concurrent transitions with a timeline, exactly one writes its lines', async () => {
      const order = sampleOrder({ status: 'PAYING' });
      await store.insert(order);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.transition(order.orderNo, 'PAID', { paidAt: i }, 9000 + i, [{ type: 'status_changed', detail: { i } }])),
      );
      expect(await store.listEvents(order.orderNo)).toHaveLength(1);
    });

    it('records the provider reference and keeps a timeline in order', async () => {
      const order = sampleOrder();
      await store.insert(order);
      await store.setProviderRef(order.orderNo, 'LP-9', 1500);
      expect((await store.get(order.orderNo))?.providerRef).toBe('LP-9');
      await store.appendEvent({ orderNo: order.orderNo, at: 10, type: 'created', detail: { a: 1 } });
      await store.appendEvent({ orderNo: order.orderNo, at: 10, type: 'provider_request', detail: { b: 2 } });
      await store.appendEvent({ orderNo: order.orderNo, at: 11, type: 'notification', detail: { verified: true } });
      const events = await store.listEvents(order.orderNo);
      expect(events.map((e) => e.type)).toEqual(['created', 'provider_request', 'notification']);
      expect(events[2]).toEqual({ orderNo: order.orderNo, at: 11, type: 'notification', detail: { verified: true } });
      expect(await store.listEvents('other')).toEqual([]);
    });
  });
}
