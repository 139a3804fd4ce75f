/** Order numbers are unique without coordination, and a collision is redrawn before anything is sent. */
import { ConflictError } from '../../server/core/errors';
import { newOrderNo, ORDER_NO_RANDOM_DIGITS } from '../../server/core/random';
import { isReference } from '../../server/domain/order';
import { startTestStack } from '../helpers/local-stack';

describe('order numbers', () => {
  it('are digits only, 27 long, sortable by time, and accepted as references', () => {
    const a = newOrderNo(Date.UTC(2026, 11, 2, 15, 30, 0, 5));
    expect(a).toMatch(/^20261202153000005\d{10}$/);
    expect(isReference(a)).toBe(true);
    expect(newOrderNo(Date.UTC(2026, 11, 2, 15, 30, 0, 6)) > a).toBe(true);
    expect(ORDER_NO_RANDOM_DIGITS).toBe(10);
  });

  it('200,000 drawn in one millisecond collide no more than 10 random digits predict', () => {
    // Expected collisions among n draws from 10^10 values: n²/2/10^10 = 2 for n = 200,000.
    // At 1,000 orders a second (about one per millisecond) that is ~5 × 10^-11 per millisecond.
    const at = Date.UTC(2026, 11, 2);
    const seen = new Set<string>();
    const n = 200_000;
    for (let i = 0; i < n; i++) seen.add(newOrderNo(at));
    expect(n - seen.size).toBeLessThanOrEqual(12); // P(Poisson(2) > 12) < 10^-7
  });

  it('500 createOrders from 50 concurrent shoppers: no DUPLICATE_ORDER', async () => {
    const stack = await startTestStack();
    try {
      stack.sandboxes.latipay.silentNotifications = true;
      const codes = new Map<string, number>();
      let next = 0;
      const shopper = async (k: number) => {
        while (next < 500) {
          next++;
          const r = await stack.fn('pay', { action: 'createOrder', provider: 'latipay', items: [{ sku: 'tea', quantity: 1 }], code: stack.code(`load${k}`) });
          const key = r.body.ok ? 'ok' : String(r.body.error?.code);
          codes.set(key, (codes.get(key) ?? 0) + 1);
        }
      };
      await Promise.all(Array.from({ length: 50 }, (_, k) => shopper(k)));
      expect(Object.fromEntries(codes)).toEqual({ ok: 500 });
    } finally {
      await stack.close();
    }
  }, 60_000);

  it('a taken order number is redrawn before the provider is asked', async () => {
    const stack = await startTestStack();
    try {
      const store = stack.app.store;
      const insert = store.insert.bind(store);
      const tried: string[] = [];
      // The first draw is "taken": the store refuses it as the database would.
      store.insert = async (order) => {
        tried.push(order.orderNo);
        if (tried.length === 1) throw new ConflictError('DUPLICATE_ORDER', `order ${order.orderNo} already exists`);
        return insert(order);
      };
      const requests: string[] = [];
      const sim = stack.sandboxes.latipay;
      const handle = sim.handle.bind(sim);
      sim.handle = (req) => {
        requests.push(req.path);
        return handle(req);
      };
      const res = await stack.fn('pay', { action: 'createOrder', provider: 'latipay', items: [{ sku: 'tea', quantity: 1 }], code: stack.code('dup') });
      expect(res.status).toBe(200);
      expect(tried).toHaveLength(2);
      expect(res.body.order.orderNo).toBe(tried[1]);
      expect(tried[1]).not.toBe(tried[0]);
      // One provider call, for the order that was stored.
      expect(requests).toEqual(['/v2/miniapppay']);
    } finally {
      await stack.close();
    }
  });
});
