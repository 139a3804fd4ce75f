/**
 * The provider simulators misbehave on demand, from outside, over HTTP (issue 16 item 8):
 * POST /sandbox/<provider>/next-refund, POST /sandbox/<provider>/next-query and
 * GET /sandbox/<provider>/refunds, for Latipay, OTT Pay and NewPay. Each scenario is set over
 * HTTP, a refund is sent as the provider's merchant sends it (signed by the test's own code),
 * and the test checks the reply's shape, the simulator's books, its refund query, a second
 * refund of the same money, and (NewPay) the refund callbacks counted by a loopback receiver.
 */
import { startTestStack, type TestStack } from '../helpers/local-stack';
import { CallbackReceiver, latipayDriver, newpayDriver, newpaySigned, newpayVerified, ottpayDriver, postJson, send, type Json, type ProviderDriver, type Reply } from './drivers';

const PROVIDERS = ['latipay', 'ottpay', 'newpay'] as const;
type Provider = (typeof PROVIDERS)[number];

/** How a reply looks from the merchant's side. */
function shapeOf(reply: Reply): 'lost' | 'http-500' | 'html' | 'empty' | 'answer' {
  if (reply.lost) return 'lost';
  if (reply.status >= 500 && reply.contentType.startsWith('text/html')) return 'http-500';
  if (reply.status === 200 && reply.contentType.startsWith('text/html')) return 'html';
  if (reply.status === 200 && reply.json && Object.keys(reply.json).length === 0) return 'empty';
  return 'answer';
}

describe('provider simulators misbehave on demand over HTTP', () => {
  let stack: TestStack;
  const receiver = new CallbackReceiver();
  let drivers: Record<Provider, ProviderDriver>;
  let refundSeq = 0;
  const refundNo = () => `R${Date.now()}${String(++refundSeq).padStart(4, '0')}`;

  beforeAll(async () => {
    await receiver.start();
    stack = await startTestStack();
    drivers = { latipay: latipayDriver(stack, receiver), ottpay: ottpayDriver(stack, receiver), newpay: newpayDriver(stack, receiver) };
  });
  afterAll(async () => {
    await stack.close();
    await receiver.stop();
  });

  const control = (provider: Provider, path: 'next-refund' | 'next-query', body: unknown) => postJson(`${stack.url}/sandbox/${provider}/${path}`, body);
  async function scenario(provider: Provider, body: Json): Promise<void> {
    const set = await control(provider, 'next-refund', body);
    expect(set).toMatchObject({ status: 200, json: { ok: true } });
  }
  async function books(provider: Provider, orderNo: string): Promise<Json> {
    const reply = await send(`${stack.url}/sandbox/${provider}/refunds?orderNo=${encodeURIComponent(orderNo)}`, { method: 'GET' });
    expect(reply).toMatchObject({ status: 200, json: { ok: true, provider } });
    return (reply as { json: Json }).json.order as Json;
  }

  describe('control endpoints refuse bad values, naming the field', () => {
    it.each(PROVIDERS)('%s', async (provider) => {
      const bad = async (path: 'next-refund' | 'next-query', body: unknown, field: string, mentions: RegExp) => {
        const reply = await control(provider, path, body);
        expect(reply).toMatchObject({ status: 400, json: { ok: false, error: { field } } });
        expect((reply as { json: Json }).json.error.message).toMatch(mentions);
      };
      await bad('next-refund', { answer: 'maybe' }, 'answer', /succeeded, refused, uncertain, contradictory, lost/);
      await bad('next-refund', { answer: 'lost', truth: 'perhaps' }, 'truth', /succeeded, failed/);
      await bad('next-refund', { callback: 'sometimes' }, 'callback', /normal, never, twice/);
      await bad('next-refund', { answer: 7 }, 'answer', /one of/);
      await bad('next-refund', { answer: 'uncertain', variant: 'xml' }, 'variant', /code, html, empty, http-500/);
      await bad('next-refund', { answer: 'succeeded', variant: 'html' }, 'variant', /only to answer uncertain or contradictory/);
      await bad('next-query', {}, 'status', /status is required/);
      await bad('next-query', { status: 5 }, 'status', /must be a string/);
      const notJson = await send(`${stack.url}/sandbox/${provider}/next-refund`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' });
      expect(notJson).toMatchObject({ status: 400, json: { ok: false, error: { message: expect.stringMatching(/not valid JSON/) } } });
      expect(await send(`${stack.url}/sandbox/${provider}/next-refund`, { method: 'GET' })).toMatchObject({ status: 405 });
      // A bad value left nothing set: the next refund is the default one.
      const d = drivers[provider];
      const order = await d.paidOrder();
      const [plain, defaults] = [refundNo(), refundNo()];
      expect(d.isSuccess(await d.refund(order, plain, 100), plain)).toBe(true);
      // An empty body sets every default explicitly.
      expect(await control(provider, 'next-refund', {})).toMatchObject({ status: 200, json: { ok: true } });
      expect(d.isSuccess(await d.refund(order, defaults, 100), defaults)).toBe(true);
      expect(await books(provider, order.orderNo)).toMatchObject({
        paidOut: 200,
        refunds: [
          { refundNo: plain, truth: 'succeeded', answer: 'default' },
          { refundNo: defaults, truth: 'succeeded', answer: 'succeeded' },
        ],
      });
    });
  });

  describe.each(PROVIDERS)('%s', (provider) => {
    const d = () => drivers[provider];

    // First in this block, so the simulator's turn of uncertain variants starts at the beginning.
    it('cycles uncertain answers deterministically: code, html, empty, http-500, then code again', async () => {
      const shapes: string[] = [];
      for (let i = 0; i < 5; i++) {
        const order = await d().paidOrder();
        await scenario(provider, { answer: 'uncertain' });
        const reply = await d().refund(order, refundNo(), order.amount);
        const shape = shapeOf(reply);
        shapes.push(shape === 'answer' && d().refusalCode(reply) === d().undocumentedCode ? 'code' : shape);
        // Uncertain or not, the provider carried the refund out (truth defaults to succeeded).
        expect(await books(provider, order.orderNo)).toMatchObject({ paidOut: order.amount });
      }
      expect(shapes).toEqual(['code', 'html', 'empty', 'http-500', 'code']);
    });

    const rows: [string, Json][] = [
      ['succeeded / succeeded', { answer: 'succeeded', truth: 'succeeded' }],
      ['succeeded / failed (a lie)', { answer: 'succeeded', truth: 'failed' }],
      ['refused (truth defaults to failed)', { answer: 'refused' }],
      ['refused / succeeded', { answer: 'refused', truth: 'succeeded' }],
      ['uncertain code / failed', { answer: 'uncertain', truth: 'failed', variant: 'code' }],
      ['uncertain html / succeeded', { answer: 'uncertain', variant: 'html' }],
      ['uncertain empty / failed', { answer: 'uncertain', truth: 'failed', variant: 'empty' }],
      ['uncertain http-500 / succeeded', { answer: 'uncertain', variant: 'http-500' }],
      ['contradictory / succeeded', { answer: 'contradictory', variant: 'code' }],
      ['contradictory / failed', { answer: 'contradictory', truth: 'failed', variant: 'html' }],
      ['lost / succeeded', { answer: 'lost' }],
      ['lost / failed', { answer: 'lost', truth: 'failed' }],
    ];

    it.each(rows)('%s: the reply, the books, the refund query, a second refund and the callback', async (_label, set) => {
      const order = await d().paidOrder();
      await scenario(provider, set);
      const no = refundNo();
      const reply = await d().refund(order, no, order.amount);
      const truth = set.truth ?? (set.answer === 'refused' ? 'failed' : 'succeeded');

      const newpayContradiction = provider === 'newpay' && set.answer === 'contradictory';
      if (set.answer === 'succeeded') expect(d().isSuccess(reply, no)).toBe(true);
      if (set.answer === 'refused') expect(d().refusalCode(reply)).toBe(d().refusedCode);
      if (set.answer === 'lost') expect(reply).toMatchObject({ lost: true });
      if (newpayContradiction) {
        // NewPay's own contradiction: a signed success envelope whose data says tranStatus 0, "Transaction Success".
        const data = (reply as { json: Json }).json.data as Json;
        expect(reply).toMatchObject({ status: 200, json: { success: true, code: '0' } });
        expect(data).toMatchObject({ refundOrderNo: no, tranStatus: 0, tranInfo: 'Transaction Success' });
        expect(newpayVerified(data, stack.env.NEWPAY_PUBLIC_KEY ?? '')).toBe(true);
      } else if (set.answer === 'uncertain' || set.answer === 'contradictory') {
        // Elsewhere contradictory is the same as uncertain.
        if (set.variant === 'code') expect([shapeOf(reply), d().refusalCode(reply)]).toEqual(['answer', d().undocumentedCode]);
        else expect(shapeOf(reply)).toBe(set.variant);
        // NewPay's undocumented code comes in its unsigned error envelope.
        if (set.variant === 'code' && provider === 'newpay') expect((reply as { json: Json }).json.data).toBeNull();
      }

      // The books: what the provider paid out, whatever it answered.
      const paidOut = truth === 'succeeded' ? order.amount : 0;
      const page = await books(provider, order.orderNo);
      expect(page).toMatchObject({ orderNo: order.orderNo, paid: order.amount, paidOut, refunds: [{ refundNo: no, amount: order.amount, truth, answer: set.answer }] });
      if (d().queryRefund) expect(await d().queryRefund!(no)).toBe(truth === 'succeeded' ? 'SUCCESS' : 'FAIL');

      // A second refund of the whole amount: refused with the over-refund code if the money went back.
      const again = refundNo();
      const second = await d().refund(order, again, order.amount);
      if (truth === 'succeeded') expect(d().refusalCode(second)).toBe(d().overRefundCode);
      else expect(d().isSuccess(second, again)).toBe(true);
      expect(await books(provider, order.orderNo)).toMatchObject({ paidOut: order.amount });

      if (provider === 'newpay') {
        // One signed refund callback reporting the truth: the table's failure code with its reason, or the example's success.
        await receiver.waitFor(no, 1);
        const [callback] = receiver.bodies.get(no)!;
        expect(newpayVerified(callback, stack.env.NEWPAY_PUBLIC_KEY ?? '')).toBe(true);
        expect(callback).toMatchObject({ refundOrderNo: no, transStatus: 0, transInfo: truth === 'succeeded' ? 'Transaction Success' : 'Refund not successful' });
      }
    });

    it('next-refund is a slot of one: a second call replaces the first, a refused request does not use it up, a refund does', async () => {
      const order = await d().paidOrder();
      await scenario(provider, { answer: 'refused' });
      await scenario(provider, { answer: 'lost', truth: 'failed' });
      // Refused by the provider's own checks (more than was paid): the scenario waits for a real refund.
      expect(d().refusalCode(await d().refund(order, refundNo(), order.amount + 1))).toBe(d().overRefundCode);
      const lost = refundNo();
      expect(await d().refund(order, lost, 100)).toMatchObject({ lost: true });
      const next = refundNo();
      expect(d().isSuccess(await d().refund(order, next, 100), next)).toBe(true);
      expect(await books(provider, order.orderNo)).toMatchObject({
        paidOut: 100,
        refunds: [
          { refundNo: lost, truth: 'failed', answer: 'lost' },
          { refundNo: next, truth: 'succeeded', answer: 'default' },
        ],
      });
    });

    it('next-query: the next payment query reports exactly the raw status, signed as usual, once', async () => {
      const order = await d().paidOrder();
      const normal = await d().queryPayment(order);
      expect(normal).toBe({ latipay: 'paid', ottpay: 'SUCCESS', newpay: 'SUCCESS' }[provider]);
      expect(await control(provider, 'next-query', { status: 'first' })).toMatchObject({ status: 200, json: { ok: true } });
      expect(await control(provider, 'next-query', { status: 'Captured ' })).toMatchObject({ status: 200, json: { ok: true } });
      expect(await d().queryPayment(order)).toBe('Captured ');
      expect(await d().queryPayment(order)).toBe(normal);
    });

    it('GET refunds lists every order with refunds; an order without any shows nothing paid out', async () => {
      const order = await d().paidOrder();
      expect(await books(provider, order.orderNo)).toEqual({ orderNo: order.orderNo, paidOut: 0, processing: 0, refunds: [] });
      await d().refund(order, refundNo(), 300);
      const all = await send(`${stack.url}/sandbox/${provider}/refunds`, { method: 'GET' });
      const listed = ((all as { json: Json }).json.orders as Json[]).find((o) => o.orderNo === order.orderNo);
      expect(listed).toMatchObject({ paid: order.amount, paidOut: 300, processing: 0 });
      const empty = await send(`${stack.url}/sandbox/${provider}/refunds?orderNo=`, { method: 'GET' });
      expect(empty).toMatchObject({ status: 400, json: { error: { field: 'orderNo' } } });
    });
  });

  describe('a refund number sent again', () => {
    it('Latipay: reference is a note, not a key: the same reference pays again while money remains', async () => {
      const d = drivers.latipay;
      const order = await d.paidOrder();
      const no = refundNo();
      expect(d.isSuccess(await d.refund(order, no, 400), no)).toBe(true);
      expect(d.isSuccess(await d.refund(order, no, 400), no)).toBe(true);
      expect(d.refusalCode(await d.refund(order, no, 400))).toBe('551');
      expect(await books('latipay', order.orderNo)).toMatchObject({ paidOut: 800, refunds: [{ refundNo: no }, { refundNo: no }] });
    });

    it('OTT Pay: a used order_id answers ORDER_USED and moves no money; STATUS_QUERY tells what became of it', async () => {
      const d = drivers.ottpay;
      const order = await d.paidOrder();
      await scenario('ottpay', { answer: 'lost' });
      const no = refundNo();
      expect(await d.refund(order, no, 300)).toMatchObject({ lost: true });
      expect(d.refusalCode(await d.refund(order, no, 300))).toBe('ORDER_USED');
      expect(d.refusalCode(await d.refund(order, no, 200))).toBe('ORDER_USED');
      expect(d.refusalCode(await d.refund(order, order.orderNo, 200))).toBe('ORDER_USED');
      expect(await d.queryRefund!(no)).toBe('SUCCESS');
      expect(await books('ottpay', order.orderNo)).toMatchObject({ paidOut: 300, refunds: [{ refundNo: no, answer: 'lost' }] });
    });

    it('NewPay: a used refundOrderNo answers Z01026 and moves no money; uniQueryRefund finds it by either number', async () => {
      const d = drivers.newpay;
      const order = await d.paidOrder();
      const no = refundNo();
      const first = await d.refund(order, no, 10000);
      expect(d.isSuccess(first, no)).toBe(true);
      await scenario('newpay', { answer: 'uncertain', truth: 'failed', variant: 'empty' });
      const failed = refundNo();
      expect(shapeOf(await d.refund(order, failed, 10000))).toBe('empty');
      for (const [n, amount] of [[no, 10000], [no, 5000], [failed, 10000]] as const) expect(d.refusalCode(await d.refund(order, n, amount))).toBe('Z01026');
      expect(await books('newpay', order.orderNo)).toMatchObject({ paidOut: 10000, refunds: [{ refundNo: no, truth: 'succeeded' }, { refundNo: failed, truth: 'failed' }] });

      const newpayRefundNo = String(((first as { json: Json }).json.data as Json).newpayRefundOrderNo);
      const signedQuery = (fields: Json) =>
        postJson(
          `${stack.url}/sandbox/newpay/beta/pay/uniQueryRefund`,
          newpaySigned({ appId: stack.env.NEWPAY_QUERY_APP_ID, mchId: stack.env.NEWPAY_QUERY_MCH_ID, ...fields }, stack.env.NEWPAY_PRIVATE_KEY ?? ''),
        );
      const byNewpay = await signedQuery({ newpayRefundNo });
      const data = (byNewpay as { json: Json }).json.data as Json;
      expect(newpayVerified(data, stack.env.NEWPAY_PUBLIC_KEY ?? '')).toBe(true);
      expect(data).toMatchObject({
        newpayRefundNo,
        mchRefundNo: no,
        newpayOrderNo: order.providerRef,
        refundAmt: { value: '10000.00', currency: 'LAK' },
        orderAmt: { value: '60000.00', currency: 'LAK' },
        refundStatus: 'SUCCESS',
      });
      expect(await signedQuery({ newpayRefundNo, mchRefundNo: failed })).toMatchObject({ json: { success: false, code: 'E9008' } });
      expect(await signedQuery({ mchRefundNo: 'R-never-sent' })).toMatchObject({ json: { success: false, code: 'E9008' } });
      expect(await signedQuery({})).toMatchObject({ json: { success: false, message: 'newpayRefundNo or mchRefundNo is required' } });
      const forged = await postJson(`${stack.url}/sandbox/newpay/beta/pay/uniQueryRefund`, { appId: stack.env.NEWPAY_QUERY_APP_ID, mchId: stack.env.NEWPAY_QUERY_MCH_ID, mchRefundNo: no, sign: 'AAAA' });
      expect(forged).toMatchObject({ json: { success: false, code: 'Z00007' } });
    });
  });

  it('NewPay refund callbacks: never sends none, twice the same signed callback twice, normal once', async () => {
    const d = drivers.newpay;
    const order = await d.paidOrder();
    const [never, twice, normal] = [refundNo(), refundNo(), refundNo()];
    await scenario('newpay', { callback: 'never' });
    expect(d.isSuccess(await d.refund(order, never, 10000), never)).toBe(true);
    await scenario('newpay', { callback: 'twice' });
    expect(d.isSuccess(await d.refund(order, twice, 10000), twice)).toBe(true);
    await scenario('newpay', { callback: 'normal' });
    expect(d.isSuccess(await d.refund(order, normal, 10000), normal)).toBe(true);
    // Callbacks leave in refund order; by the time the later ones have arrived, an earlier one would have too.
    await Promise.all([receiver.waitFor(twice, 2), receiver.waitFor(normal, 1)]);
    expect(receiver.count(never)).toBe(0);
    const [a, b] = receiver.bodies.get(twice)!;
    expect(a).toEqual(b);
    expect(newpayVerified(a, stack.env.NEWPAY_PUBLIC_KEY ?? '')).toBe(true);
    expect(receiver.count(normal)).toBe(1);
  });
});
