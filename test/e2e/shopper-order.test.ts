/**
 * The shopper's order page on the local stack (Latipay): queryOrder carries the order's
 * refunds once it is paid; cancelOrder closes the caller's own unpaid order, refuses a paid
 * one, knows no one else's, and a payment that arrives after the cancel still wins;
 * listOrders takes a limit so the page can load more.
 */
import { startTestStack, type TestStack } from '../helpers/local-stack';

describe('the shopper order page’s actions on the local stack', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  async function createOrder(user: string) {
    const res = await stack.fn('pay', { action: 'createOrder', provider: 'latipay', items: [{ sku: 'coffee', quantity: 2 }], code: stack.code(user) });
    expect(res.body.ok).toBe(true);
    return res.body as { order: Record<string, any>; payment: Record<string, string> };
  }
  const query = (orderNo: string, user: string) => stack.fn('pay', { action: 'queryOrder', orderNo, code: stack.code(user) });
  const cancel = (orderNo: string, user: string) => stack.fn('pay', { action: 'cancelOrder', orderNo, code: stack.code(user) });

  it('cancelOrder closes the caller’s unpaid order, says why in its timeline, and a second cancel changes nothing', async () => {
    const { order } = await createOrder('canceller');
    const first = await cancel(order.orderNo, 'canceller');
    expect(first.body).toMatchObject({ ok: true, order: { orderNo: order.orderNo, status: 'CLOSED', statusReason: 'cancelled by the shopper' } });
    const again = await cancel(order.orderNo, 'canceller');
    expect(again.body).toMatchObject({ ok: true, order: { status: 'CLOSED' } });
    const view = (await (await fetch(`${stack.url}/api/orders/${order.orderNo}`)).json()) as { events: { type: string; detail: Record<string, unknown> }[] };
    const closes = view.events.filter((e) => e.type === 'status_changed' && e.detail.to === 'CLOSED');
    expect(closes).toEqual([expect.objectContaining({ detail: expect.objectContaining({ source: 'shopper', reason: 'cancelled by the shopper' }) })]);
    // Latipay cannot close a payment: the line says so (its order expires on Latipay's side).
    expect(view.events.filter((e) => e.type === 'provider_request' && e.detail.action === 'close').map((e) => e.detail.closedAtProvider)).toEqual([expect.stringContaining('not asked')]);
    const retry = await stack.fn('pay', { action: 'retryPayment', orderNo: order.orderNo, code: stack.code('canceller') });
    expect(retry.body).toMatchObject({ ok: false, error: { code: 'ORDER_CLOSED' } });
  });

  it('someone else’s order is not found, and a paid order cannot be cancelled', async () => {
    const { order, payment } = await createOrder('owner');
    expect((await cancel(order.orderNo, 'stranger')).body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await stack.requestPayment(payment, 'pay');
    await stack.waitForStatus(order.orderNo, 'owner', 'PAID');
    const refused = await cancel(order.orderNo, 'owner');
    expect([refused.status, refused.body.error.code]).toEqual([409, 'ORDER_ALREADY_PAID']);
    expect((await query(order.orderNo, 'owner')).body.order.status).toBe('PAID');
  });

  it('a payment made after the cancel still counts: the order ends PAID', async () => {
    const { order, payment } = await createOrder('late');
    expect((await cancel(order.orderNo, 'late')).body.order.status).toBe('CLOSED');
    const paid = await stack.requestPayment(payment, 'pay');
    expect(paid.body.errMsg).toBe('requestPayment:ok');
    expect((await stack.waitForStatus(order.orderNo, 'late', 'PAID')).status).toBe('PAID');
  });

  it('queryOrder carries the refunds of a paid order (none for an unpaid one)', async () => {
    const { order, payment } = await createOrder('refunded');
    expect((await query(order.orderNo, 'refunded')).body.refunds).toBeUndefined();
    await stack.requestPayment(payment, 'pay');
    await stack.waitForStatus(order.orderNo, 'refunded', 'PAID');
    expect((await query(order.orderNo, 'refunded')).body.refunds).toEqual([]);
    const refund = await stack.fn('admin', { action: 'refund', orderNo: order.orderNo, amount: 100, code: stack.code('operator') });
    expect(refund.body.ok).toBe(true);
    await stack.waitForStatus(order.orderNo, 'refunded', 'PARTIALLY_REFUNDED');
    const body = (await query(order.orderNo, 'refunded')).body;
    expect(body.refunds).toEqual([expect.objectContaining({ refundNo: refund.body.refund.refundNo, amount: 100, currency: 'NZD', status: 'SUCCEEDED' })]);
    expect(body.refunds[0]).not.toHaveProperty('openid');
  });

  it('listOrders takes a limit from 1 to 100, and refuses any other', async () => {
    await createOrder('many');
    await createOrder('many');
    const one = await stack.fn('pay', { action: 'listOrders', limit: 1, code: stack.code('many') });
    expect(one.body.orders).toHaveLength(1);
    const all = await stack.fn('pay', { action: 'listOrders', code: stack.code('many') });
    expect(all.body.orders).toHaveLength(2);
    const bad = await stack.fn('pay', { action: 'listOrders', limit: 0, code: stack.code('many') });
    expect(bad.body).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'limit' } });
  });
});
