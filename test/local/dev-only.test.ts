/**
 * A provider whose *_API_BASE is real has no simulator here and the WeChat sandbox does not pay
 * its orders; the console's JSON never holds a full openid or a full signature.
 */
import { paySign } from '../../server/wechat/pay-sign';
import { isSimulated } from '../../local/simulated';
import { startTestStack, type TestStack } from '../helpers/local-stack';

jest.setTimeout(30_000);

describe('a provider pointed at a real endpoint', () => {
  let upstream: TestStack;
  let stack: TestStack;

  beforeAll(async () => {
    // "Real" Latipay for the stack under test: another process's simulator, not its own.
    upstream = await startTestStack();
    stack = await startTestStack({ LATIPAY_API_BASE: `${upstream.url}/sandbox/latipay` });
  });
  afterAll(async () => {
    await stack?.close();
    await upstream?.close();
  });

  it('has no simulator mounted, and the others still are', async () => {
    expect(stack.simulated).toMatchObject({ latipay: false, ottpay: true, newpay: true, wechat: true });
    const res = await fetch(`${stack.url}/sandbox/latipay/v2/transaction/anything`);
    expect(res.status).toBe(404);
    await expect(res.json()).resolves.toMatchObject({ ok: false, error: { message: expect.stringContaining('LATIPAY_API_BASE') } });
    const health = (await (await fetch(`${stack.url}/healthz`)).json()) as { simulators: string[] };
    expect(health.simulators).toEqual(['wechat', 'ottpay', 'newpay', 'wechatpay']);
  });

  it("the WeChat sandbox does not pay that provider's orders, through the console or directly", async () => {
    const created = await stack.fn('pay', { action: 'createOrder', provider: 'latipay', items: [{ sku: 'coffee', quantity: 1 }], code: stack.code('rhea') });
    expect(created.status).toBe(200);
    const orderNo = created.body.order.orderNo as string;
    const shopper = await fetch(`${stack.url}/api/orders/${orderNo}/shopper`, { method: 'POST', body: '{"result":"pay"}' });
    expect(shopper.status).toBeGreaterThanOrEqual(400);
    const direct = await stack.requestPayment(created.body.payment, 'pay');
    expect(direct.status).toBeGreaterThanOrEqual(400);
    expect((await stack.app.store.get(orderNo))?.status).toBe('PAYING');
  });

  it('refuses a prepay that a real provider\'s simulator object registered in this process', () => {
    const wechat = stack.sandboxes.wechat;
    let paid = false;
    wechat.registerPrepay('wx-real-latipay', { provider: 'latipay', signType: 'MD5', key: 'k'.repeat(32), onPaid: () => (paid = true) });
    const params = { appId: stack.app.config.wechat.appId, timeStamp: String(Math.floor(Date.now() / 1000)), nonceStr: 'n1', package: 'prepay_id=wx-real-latipay', signType: 'MD5' as const };
    const reply = wechat.requestPayment({ ...params, paySign: paySign(params, 'k'.repeat(32)), result: 'pay' });
    expect(reply.status).toBe(403);
    expect(paid).toBe(false);
    // The same prepay from a simulated provider is paid: the refusal is about the provider.
    wechat.registerPrepay('wx-sim-ottpay', { provider: 'ottpay', signType: 'MD5', key: 'k'.repeat(32), onPaid: () => (paid = true) });
    const ott = { ...params, package: 'prepay_id=wx-sim-ottpay' };
    expect(wechat.requestPayment({ ...ott, paySign: paySign(ott, 'k'.repeat(32)), result: 'pay' }).status).toBe(200);
    expect(paid).toBe(true);
  });
});

describe('isSimulated', () => {
  const url = 'http://127.0.0.1:8787';
  it.each([
    [undefined, true],
    ['', true],
    ['http://127.0.0.1:8787/sandbox/latipay', true],
    ['http://localhost:8787/sandbox/latipay/', true],
    ['http://127.0.0.1:8788/sandbox/latipay', false],
    ['http://127.0.0.1:8787/sandbox/ottpay', false],
    ['https://api.latipay.net', false],
    ['http://10.0.0.5:8787/sandbox/latipay', false],
    ['not a url', false],
  ])('%s → %s', (base, expected) => {
    expect(isSimulated(base, url, 'latipay')).toBe(expected);
  });
});

describe("the console's JSON", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.close());

  it('holds no full openid and no full paySign, and the console still pays', async () => {
    const created = await stack.fn('pay', { action: 'createOrder', provider: 'latipay', items: [{ sku: 'coffee', quantity: 1 }], code: stack.code('dora') });
    const orderNo = created.body.order.orderNo as string;
    const openid = stack.sandboxes.wechat.openidFor('dora');
    const sign = created.body.payment.paySign as string;
    expect((await stack.app.store.get(orderNo))?.openid).toBe(openid);

    const list = await (await fetch(`${stack.url}/api/orders`)).text();
    const detail = await (await fetch(`${stack.url}/api/orders/${orderNo}`)).text();
    for (const text of [list, detail]) {
      expect(text).toContain(orderNo);
      expect(text).not.toContain(openid);
      expect(text).not.toContain(sign);
    }
    expect(JSON.parse(list).orders[0].openid).toBe(`${openid.slice(0, 4)}…${openid.slice(-4)}`);
    expect(JSON.parse(detail)).toMatchObject({ payable: true, payment: { signType: 'MD5', paySign: `${sign.slice(0, 4)}…${sign.slice(-4)}` } });

    const shopper = await fetch(`${stack.url}/api/orders/${orderNo}/shopper`, { method: 'POST', body: '{"result":"pay"}' });
    await expect(shopper.json()).resolves.toEqual({ errMsg: 'requestPayment:ok' });
    expect((await stack.waitForStatus(orderNo, 'dora', 'PAID')).status).toBe('PAID');
    const paid = await (await fetch(`${stack.url}/api/orders/${orderNo}`)).text();
    expect(paid).not.toContain(openid);
  });

  it.each(['ottpay', 'newpay'])('%s: a paid order\'s timeline holds no full openid or paySign either', async (provider) => {
    const user = `t${provider}`;
    const created = await stack.fn('pay', { action: 'createOrder', provider, items: [{ sku: 'coffee', quantity: 1 }], code: stack.code(user), payCode: stack.code(user) });
    expect(created.status).toBe(200);
    const orderNo = created.body.order.orderNo as string;
    const shopper = await fetch(`${stack.url}/api/orders/${orderNo}/shopper`, { method: 'POST', body: '{"result":"pay"}' });
    await expect(shopper.json()).resolves.toEqual({ errMsg: 'requestPayment:ok' });
    expect((await stack.waitForStatus(orderNo, user, 'PAID')).status).toBe('PAID');
    const text = (await (await fetch(`${stack.url}/api/orders/${orderNo}`)).text()) + (await (await fetch(`${stack.url}/api/orders`)).text());
    expect(text).toContain(orderNo);
    expect(text).not.toContain(stack.sandboxes.wechat.openidFor(user));
    expect(text).not.toContain(created.body.payment.paySign as string);
  });
});
