/**
 * "Pay again" on the local stack (Latipay): a cancelled WeChat Pay sheet leaves the order
 * PAYING; `retryPayment` asks Latipay again for the SAME order (same merchant_reference) and
 * the shopper pays it. Retrying a paid order, someone else's order or an order whose provider
 * cannot re-issue parameters is refused.
 */
import type { ProviderName } from '../../server/domain/order';
import { startTestStack, type TestStack } from '../helpers/local-stack';

describe('retryPayment on the local stack (Latipay)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  async function createOrder(user: string, provider: ProviderName = 'latipay') {
    const res = await stack.fn('pay', {
      action: 'createOrder',
      provider,
      items: [{ sku: 'coffee', quantity: 1 }],
      code: stack.code(user),
      ...(provider === 'newpay' ? { payCode: stack.code(user) } : {}),
    });
    expect(res.body.ok).toBe(true);
    return res.body as { order: Record<string, any>; payment: Record<string, string> };
  }

  it('createOrder → cancel → retryPayment → pay → PAID, on one order', async () => {
    const { order, payment } = await createOrder('again');
    const cancelled = await stack.requestPayment(payment, 'cancel');
    expect(cancelled.body.errMsg).toBe('requestPayment:fail cancel');
    expect((await stack.waitForStatus(order.orderNo, 'again', 'PAYING')).status).toBe('PAYING');

    const retry = await stack.fn('pay', { action: 'retryPayment', orderNo: order.orderNo, code: stack.code('again') });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ ok: true, order: { orderNo: order.orderNo, status: 'PAYING', amount: order.amount, currency: 'NZD' } });
    expect(Object.keys(retry.body.payment).sort()).toEqual(['nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    expect(retry.body.payment.nonceStr).not.toBe(payment.nonceStr); // fresh parameters…
    expect(retry.body.payment.package).toBe(payment.package); // …for the same Latipay payment
    expect(retry.body.order).not.toHaveProperty('openid');

    const paid = await stack.requestPayment(retry.body.payment, 'pay');
    expect(paid.body.errMsg).toBe('requestPayment:ok');
    expect((await stack.waitForStatus(order.orderNo, 'again', 'PAID')).status).toBe('PAID');

    // One order for this shopper, and the retry is in its timeline.
    const list = await stack.fn('pay', { action: 'listOrders', code: stack.code('again') });
    expect(list.body.orders.map((o: { orderNo: string }) => o.orderNo)).toEqual([order.orderNo]);
    const timeline = (await (await fetch(`${stack.url}/api/orders/${order.orderNo}`)).json()) as { events: { type: string; detail: Record<string, unknown> }[] };
    expect(timeline.events.filter((e) => e.type === 'provider_request')).toHaveLength(2);
    expect(timeline.events.some((e) => e.type === 'provider_response' && e.detail.retry === true)).toBe(true);
    expect(timeline.events.filter((e) => e.type === 'status_changed' && e.detail.to === 'PAID')).toHaveLength(1);
  });

  it('the developer view keeps the latest parameters while PAYING (paySign masked), pays with them, and drops them once PAID', async () => {
    const { order, payment } = await createOrder('viewer');
    const view = async () => (await (await fetch(`${stack.url}/api/orders/${order.orderNo}`)).json()) as Record<string, any>;
    // Shown with the signature masked; the console pays through the stack, which keeps them whole.
    const masked = (p: Record<string, string>) => ({ ...p, paySign: `${p.paySign!.slice(0, 4)}…${p.paySign!.slice(-4)}` });
    expect((await view()).payment).toEqual(masked(payment));
    const retry = await stack.fn('pay', { action: 'retryPayment', orderNo: order.orderNo, code: stack.code('viewer') });
    expect((await view()).payment).toEqual(masked(retry.body.payment));
    expect((await view()).payable).toBe(true);
    const shopper = await fetch(`${stack.url}/api/orders/${order.orderNo}/shopper`, { method: 'POST', body: JSON.stringify({ result: 'pay' }) });
    await expect(shopper.json()).resolves.toEqual({ errMsg: 'requestPayment:ok' });
    await stack.waitForStatus(order.orderNo, 'viewer', 'PAID');
    expect((await view()).payment).toBeUndefined();
    expect((await view()).payable).toBe(false);
  });

  it('retry on a PAID order is a 409 ORDER_ALREADY_PAID', async () => {
    const { order, payment } = await createOrder('paidup');
    await stack.requestPayment(payment, 'pay');
    await stack.waitForStatus(order.orderNo, 'paidup', 'PAID');
    const retry = await stack.fn('pay', { action: 'retryPayment', orderNo: order.orderNo, code: stack.code('paidup') });
    expect(retry.status).toBe(409);
    expect(retry.body).toMatchObject({ ok: false, error: { code: 'ORDER_ALREADY_PAID' } });
  });

  it("someone else's order is not found", async () => {
    const { order } = await createOrder('owner');
    const retry = await stack.fn('pay', { action: 'retryPayment', orderNo: order.orderNo, code: stack.code('intruder') });
    expect(retry.status).toBe(404);
    expect(retry.body.error.code).toBe('NOT_FOUND');
  });

  it('a malformed orderNo is refused before the login code is spent', async () => {
    const code = stack.code('careful');
    const bad = await stack.fn('pay', { action: 'retryPayment', orderNo: '../x', code });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'orderNo' });
    const list = await stack.fn('pay', { action: 'listOrders', code });
    expect(list.status).toBe(200);
  });

  it('a provider that cannot re-issue parameters answers 409 ORDER_NOT_PAYABLE', async () => {
    const provider = stack.app.config.providers.find((p) => !stack.app.service.deps.providers.require(p).capabilities.reissue);
    // The default stack has providers that cannot re-issue (OTT Pay, NewPay).
    if (provider === undefined) throw new Error('expected an enabled provider without the reissue capability');
    const { order, payment } = await createOrder('other', provider);
    await stack.requestPayment(payment, 'cancel');
    const retry = await stack.fn('pay', { action: 'retryPayment', orderNo: order.orderNo, code: stack.code('other') });
    expect(retry.status).toBe(409);
    expect(retry.body.error.code).toBe('ORDER_NOT_PAYABLE');
    expect(retry.body.error.message).toContain(provider);
  });
});
