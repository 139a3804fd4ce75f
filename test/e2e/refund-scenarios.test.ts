/**
 * The outside judges' bar for uncertain answers, driven over HTTP only on `npm start`'s stack
 * (RECONCILE_AFTER_MINUTES=0): for each provider and each `next-refund` scenario, after
 * reconcile runs, the order's refunded amount never exceeds what the provider paid out (its
 * simulator's books), a second refund of money already paid out is refused, and a refund whose
 * answer was lost ends SUCCEEDED or marked for attention, never FAILED with the money gone.
 */
import { startTestStack, type TestStack } from '../helpers/local-stack';

const PROVIDERS = ['latipay', 'ottpay', 'newpay', 'wechatpay'] as const;
const ANSWERS = ['succeeded', 'refused', 'uncertain', 'contradictory', 'lost'] as const;
const TRUTHS = ['succeeded', 'failed'] as const;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ RECONCILE_AFTER_MINUTES: '0', PROVIDER_TIMEOUT_MS: '2000' });
});
afterAll(async () => {
  await stack.close();
});

const admin = (data: Record<string, unknown>) => stack.fn('admin', { code: stack.code('operator'), ...data });
const post = async (path: string, body: unknown) => {
  const res = await fetch(stack.url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

async function paidOrder(provider: string, user: string): Promise<{ orderNo: string; amount: number }> {
  const res = await stack.fn('pay', { action: 'createOrder', provider, items: [{ sku: 'coffee', quantity: 2 }], code: stack.code(user), ...(provider === 'newpay' ? { payCode: stack.code(user) } : {}) });
  expect(res.body.ok).toBe(true);
  await stack.requestPayment(res.body.payment, 'pay');
  const order = await stack.waitForStatus(res.body.order.orderNo, user, 'PAID');
  expect(order.status).toBe('PAID');
  return order as { orderNo: string; amount: number };
}

/** What the provider paid out for the order, from its simulator's books. */
async function paidOut(provider: string, orderNo: string): Promise<number> {
  const res = await fetch(`${stack.url}/sandbox/${provider}/refunds?orderNo=${orderNo}`);
  const body = (await res.json()) as { order?: { paidOut: number } };
  return body.order?.paidOut ?? 0;
}

/** Waits until the order's refunds stop moving on their own (callbacks in flight), by polling the operator view. */
async function settleDown(orderNo: string): Promise<Record<string, any>> {
  let last = '';
  for (let i = 0; i < 40; i++) {
    const seen = (await admin({ action: 'getOrder', orderNo })).body;
    const now = JSON.stringify([seen.order.refundedAmount, seen.refunds.map((r: { status: string }) => r.status)]);
    if (now === last) return seen;
    last = now;
    await new Promise((r) => setTimeout(r, 100));
  }
  return (await admin({ action: 'getOrder', orderNo })).body;
}

describe.each(PROVIDERS)('%s: every next-refund scenario', (provider) => {
  const cases = ANSWERS.flatMap((answer) => TRUTHS.map((truth) => [answer, truth] as const));
  it.each(cases)('answer %s, truth %s', async (answer, truth) => {
    const order = await paidOrder(provider, `sc-${provider}`);
    const half = Math.floor(order.amount / 2);
    expect((await post(`/sandbox/${provider}/next-refund`, { answer, truth, callback: 'normal' })).body).toEqual({ ok: true });
    const first = await admin({ action: 'refund', orderNo: order.orderNo, amount: half });
    // Whatever the answer, the operator hears back (a refund, or an error naming it).
    expect([200, 409, 502]).toContain(first.status);
    await stack.fn('reconcile', {});
    await stack.fn('reconcile', {});
    const seen = await settleDown(order.orderNo);
    const out = await paidOut(provider, order.orderNo);
    const refunded = seen.order.refundedAmount ?? 0;
    const refund = seen.refunds[0];
    // Never more recorded than the provider paid out. (Latipay has no refund query: a success it
    // answers but did not carry out cannot be caught by anyone but a person with its portal.)
    if (!(provider === 'latipay' && answer === 'succeeded' && truth === 'failed')) expect(refunded).toBeLessThanOrEqual(out);
    if (truth === 'succeeded' && answer !== 'refused') {
      // The money went back: SUCCEEDED, or held for a person; never FAILED with the money gone.
      expect(refund.status).not.toBe('FAILED');
      if (refund.status === 'PENDING') expect(seen.order.attention ?? refund.attention).toBeTruthy();
    }
    // A second refund of money the provider already paid out is refused.
    const rest = order.amount - (refund.status === 'FAILED' ? 0 : half);
    const over = await admin({ action: 'refund', orderNo: order.orderNo, amount: rest + half <= order.amount && refund.status !== 'FAILED' ? order.amount - half + 1 : order.amount + 1 });
    expect(over.body.error?.code).toBe('REFUND_EXCEEDS_REMAINING');
    expect(await paidOut(provider, order.orderNo)).toBe(out);
  });
});

describe('settling by hand, unknown statuses, shoppers refreshing, and starvation', () => {
  it('resolveRefund settles a stuck Latipay refund', async () => {
    const order = await paidOrder('latipay', 'resolve');
    await post('/sandbox/latipay/next-refund', { answer: 'lost', truth: 'succeeded' });
    await admin({ action: 'refund', orderNo: order.orderNo, amount: order.amount, refundNo: 'RRESOLVE1' });
    await stack.fn('reconcile', {});
    let seen = (await admin({ action: 'getOrder', orderNo: order.orderNo })).body;
    expect(seen.refunds[0]).toMatchObject({ refundNo: 'RRESOLVE1', status: 'PENDING' });
    expect(seen.order.attention).toMatch(/RRESOLVE1/);
    const bad = await admin({ action: 'resolveRefund', refundNo: 'RRESOLVE1', outcome: 'maybe', note: 'x' });
    expect([bad.status, bad.body.error.field]).toEqual([400, 'outcome']);
    const done = await admin({ action: 'resolveRefund', refundNo: 'RRESOLVE1', outcome: 'succeeded', note: 'portal: refunded 12:03' });
    expect(done.body).toMatchObject({ ok: true, refund: { status: 'SUCCEEDED' }, order: { status: 'REFUNDED', refundedAmount: order.amount } });
    seen = (await admin({ action: 'getOrder', orderNo: order.orderNo })).body;
    expect(seen.order.attention).toBeUndefined();
    expect(seen.timeline.some((l: { type: string; detail: Record<string, unknown> }) => l.type === 'admin' && l.detail.action === 'resolveRefund')).toBe(true);
  });

  it.each(PROVIDERS)('%s: next-query with an unknown status never closes an order, even past its expiry', async (provider) => {
    const user = `unknown-${provider}`;
    const res = await stack.fn('pay', { action: 'createOrder', provider, items: [{ sku: 'tea', quantity: 1 }], code: stack.code(user), ...(provider === 'newpay' ? { payCode: stack.code(user) } : {}) });
    const orderNo = res.body.order.orderNo as string;
    for (const status of ['COMPLETE', 'SYSTEM_BUSY', '']) {
      expect((await post(`/sandbox/${provider}/next-query`, { status })).status).toBe(200);
      await stack.fn('reconcile', {});
    }
    const seen = (await admin({ action: 'getOrder', orderNo })).body;
    expect(seen.order.status).not.toBe('CLOSED');
    expect(seen.order.status).not.toBe('FAILED');
  });

  it('1,000 refresh calls on an unpaid order ask the provider a handful of times and write a handful of lines', async () => {
    const user = 'refresher';
    const res = await stack.fn('pay', { action: 'createOrder', provider: 'ottpay', items: [{ sku: 'tea', quantity: 1 }], code: stack.code(user) });
    const orderNo = res.body.order.orderNo as string;
    const before = (await admin({ action: 'getOrder', orderNo })).body.timeline.length;
    const queries: string[] = [];
    const sim = stack.sandboxes.ottpay;
    const handle = sim.handle.bind(sim);
    sim.handle = (req) => {
      if (req.path === '/processV2' && req.rawBody.includes('STATUS_QUERY')) queries.push(req.path);
      return handle(req);
    };
    try {
      for (let batch = 0; batch < 20; batch++) {
        await Promise.all(Array.from({ length: 50 }, () => stack.fn('pay', { action: 'queryOrder', orderNo, refresh: true, code: stack.code(user) })));
      }
    } finally {
      sim.handle = handle;
    }
    const after = (await admin({ action: 'getOrder', orderNo })).body;
    expect(queries.length).toBeLessThanOrEqual(3);
    expect(after.timeline.length - before).toBeLessThanOrEqual(6);
  });

  it('60 stuck refunds do not stop a fresh OTT Pay refund from settling on the next reconcile run', async () => {
    // Stuck: Latipay refunds whose answers were lost (no query, no safe re-send): a person's.
    for (let i = 0; i < 60; i++) {
      const order = await paidOrder('latipay', 'stuck');
      await post('/sandbox/latipay/next-refund', { answer: 'lost', truth: 'succeeded' });
      await admin({ action: 'refund', orderNo: order.orderNo, amount: 100 });
    }
    const fresh = await paidOrder('ottpay', 'fresh');
    await post('/sandbox/ottpay/next-refund', { answer: 'uncertain', truth: 'succeeded', variant: 'html' });
    const asked = await admin({ action: 'refund', orderNo: fresh.orderNo, amount: 100 });
    expect(asked.body.refund?.status ?? 'PENDING').toBe('PENDING');
    await stack.fn('reconcile', {});
    const seen = (await admin({ action: 'getOrder', orderNo: fresh.orderNo })).body;
    expect(seen.refunds[0].status).toBe('SUCCEEDED');
  }, 120_000);
});
