/**
 * Settlement that loses no payment, on the local stack over HTTP only: providers that lose,
 * duplicate, reorder and delay their notifications (`delivery` in the WeChat sandbox's
 * requestPayment), unsigned fields flipped, forged floods, and reconcile with
 * RECONCILE_AFTER_MINUTES=0. Every paid order ends PAID; nothing forged or flipped changes one.
 */
import { startTestStack, type TestStack } from '../helpers/local-stack';

type Json = Record<string, any>;

const PROVIDERS = [
  { provider: 'latipay', extras: () => ({}) },
  { provider: 'ottpay', extras: () => ({}) },
  { provider: 'newpay', extras: (stack: TestStack) => ({ payCode: stack.code('settle') }) },
] as const;

describe('settlement on the local stack', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ RECONCILE_AFTER_MINUTES: '0' });
  });
  afterAll(async () => {
    await stack.close();
  });

  async function createOrder(provider: string, extras: Json = {}, user = 'settle') {
    const res = await stack.fn('pay', { action: 'createOrder', provider, items: [{ sku: 'tea', quantity: 1 }], code: stack.code(user), ...extras });
    expect(res.body.ok).toBe(true);
    return res.body as { order: Json; payment: Json };
  }

  const pay = (payment: Json, delivery?: Json) =>
    fetch(`${stack.url}/sandbox/wechat/requestPayment`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...payment, result: 'pay', ...delivery }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));

  async function page(orderNo: string): Promise<{ order: Json; events: Json[]; bytes: number }> {
    const res = await fetch(`${stack.url}/api/orders/${orderNo}`);
    const text = await res.text();
    const body = JSON.parse(text) as { order: Json; events: Json[] };
    return { ...body, bytes: Buffer.byteLength(text) };
  }

  /** Polls the console's view of an order until `done` holds (each poll is one HTTP round trip). */
  async function until(orderNo: string, done: (p: Awaited<ReturnType<typeof page>>) => boolean, timeoutMs = 8000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = await page(orderNo);
      if (done(p) || Date.now() > deadline) return p;
      await new Promise((r) => setImmediate(r));
    }
  }

  const paidChanges = (p: { events: Json[] }) => p.events.filter((e) => e.type === 'status_changed' && e.detail.to === 'PAID').length;

  describe.each(PROVIDERS)('$provider', ({ provider, extras }) => {
    it('"never": every notification lost, reconcile asks the provider and the order is PAID, never CLOSED', async () => {
      const { order, payment } = await createOrder(provider, extras(stack));
      expect((await pay(payment, { delivery: 'never' })).body.errMsg).toBe('requestPayment:ok');
      expect((await page(order.orderNo)).order.status).toBe('PAYING');
      const run = await stack.fn('reconcile', {});
      expect(run.body).toMatchObject({ ok: true });
      const after = await page(order.orderNo);
      expect(after.order.status).toBe('PAID');
      expect(after.events.some((e) => e.type === 'status_changed' && e.detail.to === 'CLOSED')).toBe(false);
    });

    it('"twice": two identical notifications at once make one transition', async () => {
      const { order, payment } = await createOrder(provider, extras(stack));
      await pay(payment, { delivery: 'twice' });
      const after = await until(order.orderNo, (p) => p.order.status === 'PAID' && (p.order.duplicateNotifications ?? 0) + paidChanges(p) >= 2);
      expect(after.order.status).toBe('PAID');
      expect(paidChanges(after)).toBe(1);
    });

    it('"late": the first notification after a delay still pays the order', async () => {
      const { order, payment } = await createOrder(provider, extras(stack));
      await pay(payment, { delivery: 'late', delayMs: 150 });
      expect((await page(order.orderNo)).order.status).toBe('PAYING');
      expect((await until(order.orderNo, (p) => p.order.status === 'PAID')).order.status).toBe('PAID');
    });
  });

  describe.each([PROVIDERS[0], PROVIDERS[2]])('$provider "failed-first"', ({ provider, extras }) => {
    it('a signed failure, then the payment: the order ends PAID and is marked for attention', async () => {
      const { order, payment } = await createOrder(provider, extras(stack));
      await pay(payment, { delivery: 'failed-first' });
      const after = await until(order.orderNo, (p) => p.order.status === 'PAID');
      expect(after.order.status).toBe('PAID');
      expect(after.order.attention).toMatch(/paid after it was FAILED/);
      const late = after.events.find((e) => e.type === 'status_changed' && e.detail.late === true);
      expect(late?.detail).toMatchObject({ from: 'FAILED', to: 'PAID' });
      // Paid is final: the failure sent again changes nothing.
      expect((await stack.fn('reconcile', {})).body.ok).toBe(true);
      expect((await page(order.orderNo)).order.status).toBe('PAID');
    });
  });

  it('a signed failure, then a payment whose notification is lost: reconcile asks again and the order is PAID, marked', async () => {
    const { order, payment } = await createOrder('latipay');
    // The provider reports a failure first (signed) …
    stack.sandboxes.latipay.silentNotifications = false;
    const failure = stack.sandboxes.latipay.signedNotification(order.orderNo, undefined, 'failed');
    expect((await stack.post('/notify/latipay', failure.body, failure.contentType)).text).toBe('sent');
    expect((await page(order.orderNo)).order.status).toBe('FAILED');
    // … then the shopper's payment goes through, and every notification of it is lost.
    expect((await pay(payment, { delivery: 'never' })).body.errMsg).toBe('requestPayment:ok');
    const run = await stack.fn('reconcile', {});
    expect(run.body).toMatchObject({ ok: true, latePaid: 1 });
    const after = await page(order.orderNo);
    expect(after.order.status).toBe('PAID');
    expect(after.order.attention).toMatch(/paid after it was FAILED/);
    // A second run asks again about nothing new and writes nothing.
    const lines = after.events.length;
    await stack.fn('reconcile', {});
    expect((await page(order.orderNo)).events.length).toBe(lines);
  });

  it('OTT Pay "failed-first": the unsigned failure is checked by query and the payment counts', async () => {
    const { order, payment } = await createOrder('ottpay');
    await pay(payment, { delivery: 'failed-first' });
    const after = await until(order.orderNo, (p) => p.order.status === 'PAID');
    expect(after.order.status).toBe('PAID');
    expect(after.events.some((e) => e.type === 'status_changed' && e.detail.to === 'FAILED')).toBe(false);
  });

  describe('OTT Pay callbacks without order_status (the published shape)', () => {
    beforeEach(() => {
      stack.sandboxes.ottpay.callbackShape = 'published';
      stack.sandboxes.ottpay.silentNotifications = true;
    });
    afterEach(() => {
      stack.sandboxes.ottpay.callbackShape = undefined;
      stack.sandboxes.ottpay.silentNotifications = false;
    });

    it('rsp_code flipped to FAIL on a paid order: the query says paid, the order is PAID', async () => {
      const { order, payment } = await createOrder('ottpay');
      await pay(payment);
      const genuine = JSON.parse(stack.sandboxes.ottpay.signedNotification(order.orderNo).body) as Json;
      const flipped = await stack.post('/notify/ottpay', JSON.stringify({ ...genuine, rsp_code: 'FAIL' }), 'application/json');
      expect(flipped.status).toBe(200);
      const after = await page(order.orderNo);
      expect(after.order.status).toBe('PAID');
      expect(after.events.some((e) => e.type === 'status_changed' && e.detail.to === 'FAILED')).toBe(false);
    });

    it('rsp_code flipped to SUCCESS on an unpaid order: the query says pending, nothing changes and it is not acknowledged', async () => {
      const { order, payment } = await createOrder('ottpay');
      await pay(payment);
      // A captured failure callback for this order (encrypted, so only rsp_code can be changed),
      // with the provider's own record still unpaid.
      const sim = stack.sandboxes.ottpay as unknown as { transactions: Map<string, { status: string }> };
      const genuine = JSON.parse(stack.sandboxes.ottpay.signedNotification(order.orderNo, undefined, {}, 'failed').body) as Json;
      sim.transactions.get(order.orderNo)!.status = 'PROCESSING';
      const flipped = await stack.post('/notify/ottpay', JSON.stringify({ ...genuine, rsp_code: 'SUCCESS' }), 'application/json');
      expect(flipped.status).toBe(503);
      expect((await page(order.orderNo)).order.status).toBe('PAYING');
    });
  });

  it('NewPay callbacks in both published shapes ("123.00" LAK with numbers, and the table\'s strings) pay the order', async () => {
    for (const shape of ['example', 'table'] as const) {
      stack.sandboxes.newpay.callbackShape = shape;
      const { order, payment } = await createOrder('newpay', { currency: 'LAK', payCode: stack.code('lak') });
      await pay(payment);
      expect((await until(order.orderNo, (p) => p.order.status === 'PAID')).order.status).toBe('PAID');
    }
    stack.sandboxes.newpay.callbackShape = undefined;
  });

  it('500 forged notifications: nothing changes, the order page stays under 50 KB, and the forgeries are counted', async () => {
    stack.sandboxes.latipay.silentNotifications = true;
    const { order, payment } = await createOrder('latipay');
    await pay(payment);
    const forged = stack.sandboxes.latipay.forgedNotification(order.orderNo);
    for (let i = 0; i < 500; i += 50) {
      const replies = await Promise.all(Array.from({ length: 50 }, () => stack.post('/notify/latipay', forged.body, forged.contentType)));
      for (const r of replies) expect(r.status).toBe(401);
    }
    const after = await page(order.orderNo);
    expect(after.order.status).toBe('PAYING');
    expect(after.order.refusedNotifications).toBe(500);
    expect(after.bytes).toBeLessThan(50 * 1024);
    expect(after.events.filter((e) => e.type === 'notification').length).toBeLessThanOrEqual(5);
    stack.sandboxes.latipay.silentNotifications = false;
  });

  it("Latipay's notification order_id is not signed and is not stored", async () => {
    stack.sandboxes.latipay.silentNotifications = true;
    const { order, payment } = await createOrder('latipay');
    await pay(payment);
    const before = (await page(order.orderNo)).order.providerRef as string;
    const form = new URLSearchParams(stack.sandboxes.latipay.signedNotification(order.orderNo).body);
    form.set('order_id', 'ATTACKER-CHOSEN');
    const res = await stack.post('/notify/latipay', form.toString(), 'application/x-www-form-urlencoded');
    expect(res.text).toBe('sent');
    const after = await page(order.orderNo);
    expect(after.order.status).toBe('PAID');
    expect(after.order.providerRef).toBe(before);
    stack.sandboxes.latipay.silentNotifications = false;
  });

  it('the simulator signs with the developer\'s platform key when given one (SANDBOX_NEWPAY_PLATFORM_PRIVATE_KEY)', async () => {
    const { generateKeyPairSync, createSign } = await import('node:crypto');
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const own = await startTestStack({ SANDBOX_NEWPAY_PLATFORM_PRIVATE_KEY: pem.replace(/\n/g, '\\n') });
    try {
      own.sandboxes.newpay.silentNotifications = true;
      const res = await own.fn('pay', { action: 'createOrder', provider: 'newpay', items: [{ sku: 'tea', quantity: 1 }], code: own.code('dev'), payCode: own.code('dev') });
      expect(res.body.ok).toBe(true);
      const orderNo = res.body.order.orderNo as string;
      await own.requestPayment(res.body.payment, 'pay');
      const sim = own.sandboxes.newpay.find(orderNo);
      // The developer's own tool signs the callback with their key, by the section 8 rule.
      const fields: Json = {
        orderNo, subject: sim.subject, transInfo: 'Transaction Success', orderAmt: sim.orderAmt, newpayOrderNo: sim.newpayOrderNo,
        settlementStatus: 1, payMethod: 5, extra: '', appId: 6, currency: sim.currency, transStatus: 0, timestamp: Date.now(),
      };
      const text = Object.keys(fields).sort().map((k) => `${k}=${String(fields[k])}`).join('&');
      const sign = createSign('RSA-SHA256').update(text).sign(pem, 'base64');
      const reply = await own.post('/notify/newpay', JSON.stringify({ ...fields, sign }), 'application/json');
      expect(JSON.parse(reply.text)).toEqual({ transResult: 'SUCCESS' });
      expect((await own.fn('pay', { action: 'queryOrder', orderNo, code: own.code('dev') })).body.order.status).toBe('PAID');
    } finally {
      await own.close();
    }
  });

  it('a malformed SANDBOX_NEWPAY_PLATFORM_PRIVATE_KEY stops start-up naming the variable', async () => {
    const { ConfigError } = await import('../../server/core/errors');
    const start = startTestStack({ SANDBOX_NEWPAY_PLATFORM_PRIVATE_KEY: 'not a pem' });
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toMatchObject({ field: 'SANDBOX_NEWPAY_PLATFORM_PRIVATE_KEY' });
  });

  it('requestPayment refuses an unknown delivery, naming the field', async () => {
    const { payment } = await createOrder('latipay');
    const res = await pay(payment, { delivery: 'sometimes' });
    expect(res.status).toBe(400);
    expect(res.body.errMsg).toMatch(/delivery must be one of normal, never, twice, failed-first, late/);
  });
});

describe('a provider that cannot be asked', () => {
  it('leaves an unconfirmed order past its TTL open (nothing says it is unpaid), marked for attention, and a later paid report pays it', async () => {
    const { PROVIDERS: DEFAULT } = await import('../../server/providers');
    // NewPay without its v2 query credentials: it cannot be asked.
    const providers = DEFAULT.map((d) => (d.name === 'newpay' ? { ...d, capabilitiesFor: () => ({ ...d.capabilities, query: false }) } : d));
    let offset = 0;
    const stack = await startTestStack({ RECONCILE_AFTER_MINUTES: '0', ORDER_TTL_MINUTES: '1' }, { providers, now: () => Date.now() + offset });
    try {
      stack.sandboxes.newpay.silentNotifications = true;
      const res = await stack.fn('pay', { action: 'createOrder', provider: 'newpay', items: [{ sku: 'tea', quantity: 1 }], code: stack.code('nq'), payCode: stack.code('nq') });
      const orderNo = res.body.order.orderNo as string;
      await stack.requestPayment(res.body.payment, 'pay');
      offset = 2 * 60_000; // past the order's TTL
      expect((await stack.fn('reconcile', {})).body).toMatchObject({ ok: true, closed: 0, failed: 0 });
      const open = (await (await fetch(`${stack.url}/api/orders/${orderNo}`)).json()) as { order: Record<string, any> };
      expect(open.order.status).toBe('PAYING');
      expect(open.order.attention).toMatch(/NewPay cannot be asked/);
      // Out of the automatic queue: the next run asks nothing.
      expect((await stack.fn('reconcile', {})).body).toMatchObject({ ok: true, checked: 0 });
      // NewPay's callback arrives after all: the payment wins.
      const callback = stack.sandboxes.newpay.signedNotification(orderNo);
      expect(JSON.parse((await stack.post('/notify/newpay', callback.body, callback.contentType)).text)).toEqual({ transResult: 'SUCCESS' });
      const paid = (await (await fetch(`${stack.url}/api/orders/${orderNo}`)).json()) as { order: Record<string, any> };
      expect(paid.order.status).toBe('PAID');
    } finally {
      await stack.close();
    }
  });
});

describe('a payment query status the table does not document (next-query)', () => {
  it.each([
    ['ottpay', 'COMPLETE'],
    ['newpay', 'REFUNDING'],
    ['latipay', 'settled'],
  ])('%s "%s" past the TTL never closes the order: it stays open and marked; a documented "not paid" then closes it', async (provider, status) => {
    let offset = 0;
    const stack = await startTestStack({ RECONCILE_AFTER_MINUTES: '0', ORDER_TTL_MINUTES: '1' }, { now: () => Date.now() + offset });
    try {
      const user = `nq-${provider}`;
      const res = await stack.fn('pay', { action: 'createOrder', provider, items: [{ sku: 'tea', quantity: 1 }], code: stack.code(user), ...(provider === 'newpay' ? { payCode: stack.code(user) } : {}) });
      expect(res.body.ok).toBe(true);
      const orderNo = res.body.order.orderNo as string;
      offset = 2 * 60_000; // past the order's TTL, never paid
      const ask = async () => {
        offset += 10 * 60_000; // past the next check's back-off
        const set = await fetch(`${stack.url}/sandbox/${provider}/next-query`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ status }) });
        expect(set.status).toBe(200);
        return (await stack.fn('reconcile', {})).body;
      };
      expect(await ask()).toMatchObject({ ok: true, checked: 1, closed: 0, failed: 0, paid: 0 });
      expect(await ask()).toMatchObject({ ok: true, closed: 0 });
      const view = (await (await fetch(`${stack.url}/api/orders/${orderNo}`)).json()) as { order: Record<string, any>; events: { type: string; detail: Record<string, any>; repeats?: number }[] };
      expect(view.order.status).not.toBe('CLOSED');
      expect(view.order.attention).toMatch(/^unconfirmed past expiry/);
      // Two questions, two uncertain answers (identical lines are counted on one).
      const asked = view.events.filter((e) => e.type === 'provider_query' && e.detail.about === 'payment');
      expect(asked.map((e) => e.detail.outcome)).toEqual(asked.map(() => 'uncertain'));
      expect(asked.reduce((n, e) => n + 1 + (e.repeats ?? 0), 0)).toBe(2);
      // Without next-query the simulator answers its documented "not paid yet": now it is closed as expired.
      offset += 10 * 60_000;
      expect((await stack.fn('reconcile', {})).body).toMatchObject({ ok: true, closed: 1 });
    } finally {
      await stack.close();
    }
  });
});

describe('a signed notification about another provider payment', () => {
  it('NewPay: the right orderNo with another newpayOrderNo is refused and the stored reference stays', async () => {
    const stack = await startTestStack();
    try {
      stack.sandboxes.newpay.silentNotifications = true;
      const res = await stack.fn('pay', { action: 'createOrder', provider: 'newpay', items: [{ sku: 'tea', quantity: 1 }], code: stack.code('ref'), payCode: stack.code('ref') });
      const orderNo = res.body.order.orderNo as string;
      await stack.requestPayment(res.body.payment, 'pay');
      const before = ((await (await fetch(`${stack.url}/api/orders/${orderNo}`)).json()) as { order: Record<string, any> }).order;
      const other = stack.sandboxes.newpay.signedNotification(orderNo, undefined, { newpayOrderNo: '999999999999' });
      const reply = await stack.post('/notify/newpay', other.body, other.contentType);
      expect(reply.status).toBe(400);
      const after = ((await (await fetch(`${stack.url}/api/orders/${orderNo}`)).json()) as { order: Record<string, any> }).order;
      expect(after).toMatchObject({ status: 'PAYING', providerRef: before.providerRef });
      // The genuine one still pays it.
      const genuine = stack.sandboxes.newpay.signedNotification(orderNo);
      expect(JSON.parse((await stack.post('/notify/newpay', genuine.body, genuine.contentType)).text)).toEqual({ transResult: 'SUCCESS' });
    } finally {
      await stack.close();
    }
  });
});
