/**
 * Refunds on the local stack, over HTTP only, as an outside client drives it: shoppers pay
 * through /fn/pay, the operator (test user `operator`, the local ADMIN_OPENIDS default) refunds
 * through /fn/admin, and the shopper sees the order turn PARTIALLY_REFUNDED, then REFUNDED.
 */
import { startTestStack, type TestStack } from '../helpers/local-stack';

const MINUTE = 60_000;

describe('refunds on the local stack', () => {
  let stack: TestStack;
  let offset = 0;

  beforeAll(async () => {
    stack = await startTestStack({ RECONCILE_AFTER_MINUTES: '2' }, { now: () => Date.now() + offset });
  });
  afterAll(async () => {
    await stack.close();
  });

  const admin = (data: Record<string, unknown>) => stack.fn('admin', { code: stack.code('operator'), ...data });

  async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function paidOrder(provider: string, user: string): Promise<{ orderNo: string; amount: number; currency: string }> {
    const res = await stack.fn('pay', {
      action: 'createOrder',
      provider,
      items: [{ sku: 'coffee', quantity: 2 }],
      code: stack.code(user),
      ...(provider === 'newpay' ? { payCode: stack.code(user) } : {}),
    });
    expect(res.body.ok).toBe(true);
    expect((await stack.requestPayment(res.body.payment, 'pay')).body.errMsg).toBe('requestPayment:ok');
    const order = await stack.waitForStatus(res.body.order.orderNo, user, 'PAID');
    expect(order.status).toBe('PAID');
    return order as { orderNo: string; amount: number; currency: string };
  }

  const shopperView = (orderNo: string, user: string) => stack.fn('pay', { action: 'queryOrder', orderNo, code: stack.code(user) }).then((r) => r.body.order);
  const developerView = async (orderNo: string) => (await (await fetch(`${stack.url}/api/orders/${orderNo}`)).json()) as { order: Record<string, any>; events: { type: string; detail: Record<string, any> }[]; refunds: Record<string, any>[] };

  it.each(['latipay', 'ottpay', 'newpay'])('%s: part, then the rest: the shopper sees PARTIALLY_REFUNDED, then REFUNDED', async (provider) => {
    const user = `refund-${provider}`;
    const order = await paidOrder(provider, user);
    expect((await shopperView(order.orderNo, user)).refundedAmount).toBe(0);
    const part = Math.floor(order.amount / 4);

    const first = await admin({ action: 'refund', orderNo: order.orderNo, amount: part, reason: 'one cup was cold' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: true, refund: { orderNo: order.orderNo, amount: part, currency: order.currency, reason: 'one cup was cold' } });
    expect(first.body.refund.refundNo).toMatch(/^R\d{23}$/);
    const partial = await waitFor(() => shopperView(order.orderNo, user), (o) => o.status === 'PARTIALLY_REFUNDED');
    expect(partial).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: part });

    const rest = await admin({ action: 'refund', orderNo: order.orderNo, amount: order.amount - part });
    expect(rest.body.ok).toBe(true);
    const full = await waitFor(() => shopperView(order.orderNo, user), (o) => o.status === 'REFUNDED');
    expect(full).toMatchObject({ status: 'REFUNDED', refundedAmount: order.amount });
    expect((await shopperView(order.orderNo, user)).openid).toBeUndefined();
    const payAgain = await stack.fn('pay', { action: 'retryPayment', orderNo: order.orderNo, code: stack.code(user) });
    expect([payAgain.status, payAgain.body.error.code]).toEqual([409, 'ORDER_ALREADY_PAID']);

    const seen = await admin({ action: 'getOrder', orderNo: order.orderNo });
    expect(seen.body.refunds.map((r: { status: string }) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(seen.body.order).toMatchObject({ status: 'REFUNDED', refundedAmount: order.amount });
    expect(seen.body.order.openid).toMatch(/^.{4}….{4}$/);
    const types = seen.body.timeline.map((l: { type: string }) => l.type);
    expect(types).toEqual(expect.arrayContaining(['refund_requested', 'refund_settled', 'admin']));
    const adminLines = seen.body.timeline.filter((l: { type: string }) => l.type === 'admin');
    expect(adminLines.map((l: { detail: { action: string } }) => l.detail.action)).toEqual(['refund', 'refund', 'getOrder']);
    expect(adminLines.every((l: { detail: { operator: string } }) => /^.{4}….{4}$/.test(l.detail.operator))).toBe(true);
    // Looking again soon after (a page polling) adds no line.
    const again = await admin({ action: 'getOrder', orderNo: order.orderNo });
    expect(again.body.timeline).toHaveLength(seen.body.timeline.length);

    // Nothing remains: refused before the provider is asked.
    const more = await admin({ action: 'refund', orderNo: order.orderNo, amount: 1 });
    expect([more.status, more.body.error.code]).toEqual([409, 'REFUND_EXCEEDS_REMAINING']);
  });

  it('a shopper calling admin gets 403 FORBIDDEN, and nothing is read or written', async () => {
    const order = await paidOrder('latipay', 'nosy');
    const before = await developerView(order.orderNo);
    for (const event of [
      { action: 'refund', orderNo: order.orderNo, amount: 100 },
      { action: 'listOrders' },
      { action: 'getOrder', orderNo: order.orderNo },
      { action: 'queryRefund', refundNo: 'R1' },
      { action: 'nonsense' },
    ]) {
      const res = await stack.fn('admin', { ...event, code: stack.code('nosy') });
      expect([res.status, res.body.ok, res.body.error.code]).toEqual([403, false, 'FORBIDDEN']);
      expect(res.body.orders).toBeUndefined();
      // The caller learns their own openid (to add to ADMIN_OPENIDS), and nothing else.
      const own = stack.sandboxes.wechat.openidFor('nosy');
      expect(res.body.error).toEqual({ code: 'FORBIDDEN', message: expect.stringContaining(`add ${own} to ADMIN_OPENIDS`), openid: own });
    }
    const after = await developerView(order.orderNo);
    expect(after.events).toEqual(before.events);
    expect(after.refunds).toEqual([]);
    expect(after.order).toEqual(before.order);
    expect((await stack.fn('admin', { action: 'listOrders' })).body.error.code).toBe('LOGIN_REQUIRED');
  });

  it('refuses over-refunds (409 REFUND_EXCEEDS_REMAINING) and a reused refundNo with another amount (409 REFUND_CONFLICT); a retry answers the same refund', async () => {
    const order = await paidOrder('ottpay', 'retrier');
    const over = await admin({ action: 'refund', orderNo: order.orderNo, amount: order.amount + 1 });
    expect([over.status, over.body.error.code]).toEqual([409, 'REFUND_EXCEEDS_REMAINING']);
    const refundNo = `RETRY${Date.now()}`;
    const first = await admin({ action: 'refund', orderNo: order.orderNo, amount: 100, refundNo });
    expect(first.body).toMatchObject({ ok: true, refund: { refundNo, amount: 100, status: 'SUCCEEDED' } });
    const again = await admin({ action: 'refund', orderNo: order.orderNo, amount: 100, refundNo });
    expect(again.status).toBe(200);
    expect(again.body.refund).toEqual(first.body.refund);
    const other = await admin({ action: 'refund', orderNo: order.orderNo, amount: 101, refundNo });
    expect([other.status, other.body.error.code]).toEqual([409, 'REFUND_CONFLICT']);
    const view = await developerView(order.orderNo);
    expect(view.refunds).toHaveLength(1);
    expect(view.order.refundedAmount).toBe(100);
    const tooMuch = await admin({ action: 'refund', orderNo: order.orderNo, amount: order.amount - 99 });
    expect([tooMuch.status, tooMuch.body.error.code]).toEqual([409, 'REFUND_EXCEEDS_REMAINING']);
    expect(tooMuch.body.error.message).toMatch(/remains/);
    for (const bad of [{ amount: 0 }, { amount: 1.5 }, { amount: '100' }, { amount: -1 }]) {
      const res = await admin({ action: 'refund', orderNo: order.orderNo, ...bad });
      expect([res.status, res.body.error.field]).toEqual([400, 'amount']);
    }
  });

  it('of ten concurrent refunds of the remainder exactly one is accepted', async () => {
    const order = await paidOrder('newpay', 'racer');
    const res = await Promise.all(Array.from({ length: 10 }, () => admin({ action: 'refund', orderNo: order.orderNo, amount: order.amount })));
    const accepted = res.filter((r) => r.body.ok === true);
    expect(accepted).toHaveLength(1);
    expect(res.filter((r) => r.status === 409 && r.body.error.code === 'REFUND_EXCEEDS_REMAINING')).toHaveLength(9);
    await waitFor(() => shopperView(order.orderNo, 'racer'), (o) => o.status === 'REFUNDED');
    const view = await developerView(order.orderNo);
    expect(view.refunds).toHaveLength(1);
    expect(view.order).toMatchObject({ status: 'REFUNDED', refundedAmount: order.amount });
    expect(view.order.pendingRefundAmount).toBeUndefined();
  });

  it('refuses an order that is not paid', async () => {
    const res = await stack.fn('pay', { action: 'createOrder', provider: 'latipay', items: [{ sku: 'coffee', quantity: 1 }], code: stack.code('unpaid') });
    const refund = await admin({ action: 'refund', orderNo: res.body.order.orderNo, amount: 1 });
    expect([refund.status, refund.body.error.code]).toEqual([409, 'ORDER_NOT_REFUNDABLE']);
    const missing = await admin({ action: 'refund', orderNo: 'NOPE1', amount: 1 });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('NewPay: an answer lost on the way leaves the refund PENDING; its refund query settles it, its example-style callback (transStatus 0) alone does not', async () => {
    const order = await paidOrder('newpay', 'lost-answer');
    stack.sandboxes.newpay.refunds.loseNextAnswer = true;
    const res = await admin({ action: 'refund', orderNo: order.orderNo, amount: order.amount });
    expect(res.body.ok).toBe(true);
    const refundNo = res.body.refund.refundNo as string;
    const settled = await waitFor(() => admin({ action: 'queryRefund', refundNo }), (r) => r.body.refund?.status === 'SUCCEEDED');
    expect(settled.body).toMatchObject({ refund: { status: 'SUCCEEDED' }, order: { status: 'REFUNDED', refundedAmount: order.amount } });
    const view = await developerView(order.orderNo);
    expect(view.events.some((e) => e.type === 'provider_query' && e.detail.about === 'refund' && e.detail.outcome === 'succeeded')).toBe(true);
    // The callback NewPay sends is its example's shape (transStatus 0, "Transaction Success"):
    // verified, acknowledged, but uncertain: it never settles the refund on its own.
    const withCallback = await waitFor(() => developerView(order.orderNo), (v) => v.events.some((e) => e.type === 'refund_notification'));
    expect(withCallback.events.filter((e) => e.type === 'refund_notification').map((e) => [e.detail.outcome, e.detail.applied])).toContainEqual(['uncertain', false]);
    // A forged refund callback is refused and changes nothing.
    const forged = JSON.parse(stack.sandboxes.newpay.refunds.callbackBody(refundNo)) as Record<string, unknown>;
    forged.refundOrderAmt = '1.00';
    const reply = await stack.post('/notify/newpay', JSON.stringify(forged), 'application/json');
    expect(reply.status).toBe(401);
  });

  it('reconcile settles a PENDING refund by asking the provider (OTT Pay)', async () => {
    const order = await paidOrder('ottpay', 'slow-refund');
    stack.sandboxes.ottpay.refunds.processing = true;
    try {
      const res = await admin({ action: 'refund', orderNo: order.orderNo, amount: 200 });
      expect(res.body.refund.status).toBe('PENDING');
      expect((await shopperView(order.orderNo, 'slow-refund')).status).toBe('PAID');
      stack.sandboxes.ottpay.refunds.completeRefunds();
      offset = 3 * MINUTE;
      const run = await stack.fn('reconcile', {});
      expect(run.body.refunds).toMatchObject({ succeeded: 1, errors: 0 });
      expect(await shopperView(order.orderNo, 'slow-refund')).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 200 });
      const again = await stack.fn('reconcile', {});
      expect(again.body.refunds).toMatchObject({ checked: 0 });

      // One OTT Pay keeps saying PROCESSING: it is asked about on a backed-off schedule, and past
      // the 24-hour bound its order is marked for a person, once, and it leaves the queue.
      const stuck = await admin({ action: 'refund', orderNo: order.orderNo, amount: 300 });
      expect(stuck.body.refund.status).toBe('PENDING');
      offset = 40 * MINUTE;
      expect((await stack.fn('reconcile', {})).body.refunds).toMatchObject({ checked: 1, pending: 1, attention: 0 });
      expect((await stack.fn('reconcile', {})).body.refunds).toMatchObject({ checked: 0 });
      let late;
      for (let hour = 1; hour <= 26; hour++) {
        offset = 40 * MINUTE + hour * 60 * MINUTE;
        late = (await stack.fn('reconcile', {})).body.refunds;
        if (late.attention) break;
      }
      expect(late).toMatchObject({ checked: 1, pending: 1, attention: 1 });
      const flagged = await admin({ action: 'listOrders', attention: true });
      const mine = flagged.body.orders.find((o: { orderNo: string }) => o.orderNo === order.orderNo);
      expect(mine.attention).toContain(stuck.body.refund.refundNo);
      offset += 2 * 60 * MINUTE;
      expect((await stack.fn('reconcile', {})).body.refunds).toMatchObject({ checked: 0 });
      stack.sandboxes.ottpay.refunds.completeRefunds();
      const settled = await admin({ action: 'queryRefund', refundNo: stuck.body.refund.refundNo });
      expect(settled.body).toMatchObject({ refund: { status: 'SUCCEEDED' }, order: { status: 'PARTIALLY_REFUNDED', refundedAmount: 500 } });
    } finally {
      stack.sandboxes.ottpay.refunds.processing = false;
      offset = 0;
    }
  });

  it('lists any shopper’s orders newest first, with filters and a cursor, openids masked', async () => {
    const a = await paidOrder('latipay', 'lister-a');
    const b = await paidOrder('latipay', 'lister-b');
    const page1 = await admin({ action: 'listOrders', provider: 'latipay', status: 'PAID', limit: 1 });
    expect(page1.body.orders.map((o: { orderNo: string }) => o.orderNo)).toEqual([b.orderNo]);
    expect(page1.body.orders[0].openid).toMatch(/^.{4}….{4}$/);
    expect(typeof page1.body.nextCursor).toBe('string');
    const page2 = await admin({ action: 'listOrders', provider: 'latipay', status: 'PAID', limit: 1, cursor: page1.body.nextCursor });
    expect(page2.body.orders.map((o: { orderNo: string }) => o.orderNo)).toEqual([a.orderNo]);
    const bad = await admin({ action: 'listOrders', cursor: 'not-a-cursor' });
    expect([bad.status, bad.body.error.field]).toEqual([400, 'cursor']);
    expect((await admin({ action: 'listOrders', status: 'NOPE' })).body.error.field).toBe('status');
  });

  const nextRefund = async (provider: string, scenario: Record<string, string>) => {
    const res = await fetch(`${stack.url}/sandbox/${provider}/next-refund`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(scenario) });
    expect(res.status).toBe(200);
  };

  it.each(['latipay', 'ottpay', 'newpay'])('%s: a documented refusal is FAILED and frees the amount; an undocumented code stays PENDING and holds it', async (provider) => {
    const user = `refusal-${provider}`;
    const order = await paidOrder(provider, user);
    await nextRefund(provider, { answer: 'refused' });
    const refused = await admin({ action: 'refund', orderNo: order.orderNo, amount: order.amount });
    expect(refused.body).toMatchObject({ ok: true, refund: { status: 'FAILED' }, order: { status: 'PAID', refundedAmount: 0 } });
    // An unknown code (Latipay 999, OTT Pay SYSTEM_BUSY, NewPay Z99999), while the provider in truth paid it back.
    await nextRefund(provider, { answer: 'uncertain', variant: 'code', truth: 'succeeded', callback: 'never' });
    const unknown = await admin({ action: 'refund', orderNo: order.orderNo, amount: order.amount });
    expect(unknown.body).toMatchObject({ ok: true, refund: { status: 'PENDING' } });
    const line = (await developerView(order.orderNo)).events.find((e) => e.type === 'refund_response' && e.detail.refundNo === unknown.body.refund.refundNo);
    expect(line?.detail).toMatchObject({ outcome: 'uncertain', code: expect.any(String) });
    // Its amount stays held: a second refund of the same money is refused before anyone is asked.
    const second = await admin({ action: 'refund', orderNo: order.orderNo, amount: order.amount });
    expect([second.status, second.body.error?.code]).toEqual([409, 'REFUND_EXCEEDS_REMAINING']);
  });

  it('NewPay: its own contradiction (signed tranStatus 0, "Transaction Success") stays PENDING until uniQueryRefund says what happened', async () => {
    const order = await paidOrder('newpay', 'contradiction');
    await nextRefund('newpay', { answer: 'contradictory', truth: 'failed', callback: 'never' });
    const res = await admin({ action: 'refund', orderNo: order.orderNo, amount: order.amount });
    expect(res.body).toMatchObject({ ok: true, refund: { status: 'PENDING' } });
    const asked = await admin({ action: 'queryRefund', refundNo: res.body.refund.refundNo });
    expect(asked.body).toMatchObject({ refund: { status: 'FAILED' }, order: { status: 'PAID', refundedAmount: 0 } });
  });
});
