/**
 * Reconciliation on the local stack with Latipay: the provider never notifies, the timer's
 * function (POST /fn/reconcile) settles orders through the provider's query, closes the
 * ones that expired unpaid (still asking about them for a day, backed off), and a second
 * run changes nothing.
 */
import { startTestStack, type TestStack } from '../helpers/local-stack';

const MINUTE = 60_000;

describe('reconcile on the local stack (Latipay, notifications lost)', () => {
  let stack: TestStack;
  /** The server's clock runs `offset` ahead of the real one. */
  let offset = 0;

  beforeAll(async () => {
    stack = await startTestStack({ ORDER_TTL_MINUTES: '30', RECONCILE_AFTER_MINUTES: '2' }, { now: () => Date.now() + offset });
    stack.sandboxes.latipay.silentNotifications = true;
  });
  afterAll(async () => {
    await stack.close();
  });

  async function createOrder(user: string) {
    const res = await stack.fn('pay', { action: 'createOrder', provider: 'latipay', items: [{ sku: 'coffee', quantity: 1 }], code: stack.code(user) });
    expect(res.body.ok).toBe(true);
    return res.body as { order: { orderNo: string; status: string }; payment: Record<string, unknown> };
  }

  async function order(orderNo: string) {
    const res = await fetch(`${stack.url}/api/orders/${orderNo}`);
    return (await res.json()) as { order: { status: string; paidAt?: number; statusReason?: string }; events: { type: string; detail: Record<string, unknown> }[] };
  }

  const statusChanges = async (orderNo: string) => (await order(orderNo)).events.filter((e) => e.type === 'status_changed').length;

  async function runReconcile() {
    const res = await stack.fn('reconcile', {});
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    return res.body;
  }

  it('settles a silently paid order by query, closes an expired unpaid one, and is idempotent', async () => {
    const paid = await createOrder('silent-payer');
    const unpaid = await createOrder('walked-away');
    expect((await stack.requestPayment(paid.payment, 'pay')).body.errMsg).toBe('requestPayment:ok');
    // Silenced, the simulator sends nothing once paid (requestPayment has returned): still PAYING.
    expect((await order(paid.order.orderNo)).order.status).toBe('PAYING');

    // Inside the notification window nothing is asked.
    expect(await runReconcile()).toMatchObject({ checked: 0, paid: 0, failed: 0, closed: 0, unchanged: 0, errors: 0 });

    // Past the window: the paid order is settled through Latipay's query, the unpaid one waits.
    offset = 3 * MINUTE;
    expect(await runReconcile()).toMatchObject({ checked: 2, paid: 1, failed: 0, closed: 0, unchanged: 1, errors: 0, more: false });
    const settled = await order(paid.order.orderNo);
    expect(settled.order.status).toBe('PAID');
    expect(settled.order.paidAt).toEqual(expect.any(Number));
    expect(settled.events.some((e) => e.type === 'provider_query' && e.detail.about === 'payment' && e.detail.outcome === 'paid')).toBe(true);
    expect(settled.events.filter((e) => e.type === 'status_changed' && e.detail.to === 'PAID')).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ source: 'query' }) }),
    ]);
    expect((await order(unpaid.order.orderNo)).order.status).toBe('PAYING');

    // Past the order's expiry: the unpaid one is closed (Latipay still reports it pending).
    offset = 31 * MINUTE;
    expect(await runReconcile()).toMatchObject({ checked: 1, paid: 0, failed: 0, closed: 1, unchanged: 0, errors: 0 });
    const closed = await order(unpaid.order.orderNo);
    expect(closed.order.status).toBe('CLOSED');
    expect(closed.order.statusReason).toMatch(/expired/);

    // A second run asks about the closed order again (a late payment would still win) and changes nothing.
    const before = [await statusChanges(paid.order.orderNo), await statusChanges(unpaid.order.orderNo)];
    offset = 40 * MINUTE;
    expect(await runReconcile()).toMatchObject({ checked: 1, paid: 0, failed: 0, closed: 0, unchanged: 1, errors: 0 });
    expect([await statusChanges(paid.order.orderNo), await statusChanges(unpaid.order.orderNo)]).toEqual(before);
    // Asked again right away, nothing is due: the closed order's next question is backed off.
    expect(await runReconcile()).toMatchObject({ checked: 0, errors: 0 });

    // The notification arriving late is acknowledged and changes nothing either.
    const late = stack.sandboxes.latipay.signedNotification(paid.order.orderNo);
    const ack = await stack.post('/notify/latipay', late.body, late.contentType);
    expect([ack.status, ack.text]).toEqual([200, 'sent']);
    expect(await statusChanges(paid.order.orderNo)).toBe(before[0]);
  });

  it('is listed among the local functions and refuses a malformed window or batch by name', async () => {
    const missing = await stack.fn('nope', {});
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('reconcile');
    // The window is part of the configuration every function reads at start.
    await expect(startTestStack({ RECONCILE_AFTER_MINUTES: 'soon' })).rejects.toThrow(/RECONCILE_AFTER_MINUTES/);
    const bad = await startTestStack({ RECONCILE_BATCH: 'many' });
    try {
      const res = await bad.fn('reconcile', {});
      expect(res.body.ok).toBe(false);
      expect(res.body.error.code).toBe('CONFIG_INVALID');
      expect(res.body.error.message).toContain('RECONCILE_BATCH');
    } finally {
      await bad.close();
    }
  });
});
