/**
 * Bad input to every endpoint of the local stack gets a clear error and a 4xx, never a
 * crash, and never a half-written order.
 */
import { startTestStack, type TestStack } from '../helpers/local-stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.close();
});

async function raw(method: string, path: string, body?: string, contentType = 'application/json') {
  const res = await fetch(stack.url + path, { method, headers: { 'Content-Type': contentType }, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

const cart = [{ sku: 'coffee', quantity: 1 }];

describe('pay function: every bad input names its field', () => {
  it.each([
    ['not JSON', 'not json', 400, 'body'],
    ['a JSON array', '[1,2]', 400, 'body'],
    ['no action', '{}', 400, 'action'],
    ['an unknown action', '{"action":"refundEverything"}', 400, 'action'],
    ['an unknown provider', '{"action":"catalog","provider":"paypal"}', 400, 'provider'],
    ['a currency the provider does not take', '{"action":"catalog","provider":"latipay","currency":"LAK"}', 400, 'currency'],
    ['an unknown currency', '{"action":"catalog","provider":"latipay","currency":"XXX"}', 400, 'currency'],
    ['no items', '{"action":"createOrder","provider":"latipay","items":[],"code":"test-a-1"}', 400, 'items'],
    ['an unknown sku', '{"action":"createOrder","provider":"latipay","items":[{"sku":"nope","quantity":1}],"code":"test-a-2"}', 400, 'items[0].sku'],
    ['a fractional quantity', '{"action":"createOrder","provider":"latipay","items":[{"sku":"tea","quantity":0.5}],"code":"test-a-3"}', 400, 'items[0].quantity'],
    ['no login code', `{"action":"createOrder","provider":"latipay","items":${JSON.stringify(cart)}}`, 401, 'code'],
    ['an invalid login code', `{"action":"createOrder","provider":"latipay","items":${JSON.stringify(cart)},"code":"forged"}`, 401, 'code'],
    ['a malformed orderNo', '{"action":"queryOrder","orderNo":"../../etc","code":"test-a-4"}', 400, 'orderNo'],
  ])('%s → %i naming %s', async (_name, body, status, field) => {
    const res = await raw('POST', '/fn/pay', body);
    expect(res.status).toBe(status);
    expect(res.json.ok).toBe(false);
    expect(res.json.error.message).toContain(field);
    expect(res.json.error.message.length).toBeGreaterThan(field.length + 5);
  });

  it('a rejected cart does not spend the login code, and stores nothing', async () => {
    const before = (await raw('GET', '/api/orders')).json.orders.length;
    const code = stack.code('careful');
    const bad = await stack.fn('pay', { action: 'createOrder', provider: 'latipay', items: [{ sku: 'nope', quantity: 1 }], code });
    expect(bad.status).toBe(400);
    expect((await raw('GET', '/api/orders')).json.orders.length).toBe(before);
    const good = await stack.fn('pay', { action: 'createOrder', provider: 'latipay', items: cart, code });
    expect(good.status).toBe(200);
  });

  it('a reused login code is refused as used', async () => {
    const code = stack.code('reuse');
    expect((await stack.fn('pay', { action: 'listOrders', code })).status).toBe(200);
    const again = await stack.fn('pay', { action: 'listOrders', code });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('LOGIN_CODE_USED');
  });

  it("another shopper's order is not found, and listOrders shows only one's own", async () => {
    const mine = await stack.fn('pay', { action: 'createOrder', provider: 'latipay', items: cart, code: stack.code('owner') });
    const theirs = await stack.fn('pay', { action: 'queryOrder', orderNo: mine.body.order.orderNo, code: stack.code('intruder') });
    expect(theirs.status).toBe(404);
    const list = await stack.fn('pay', { action: 'listOrders', code: stack.code('intruder') });
    expect(list.body.orders).toEqual([]);
    const own = await stack.fn('pay', { action: 'listOrders', code: stack.code('owner') });
    expect(own.body.orders.map((o: any) => o.orderNo)).toContain(mine.body.order.orderNo);
  });
});

describe('other endpoints', () => {
  it.each([
    ['GET', '/fn/pay', undefined, 405],
    ['POST', '/fn/noSuchFunction', '{}', 404],
    ['GET', '/nowhere', undefined, 404],
    ['GET', '/notify/latipay', undefined, 405],
    ['POST', '/notify/paypal', 'a=b', 404],
    ['POST', '/notify/latipay', '', 400],
    ['POST', '/notify/latipay', '%%%not-a-form', 400],
    ['POST', '/sandbox/wechat/requestPayment', '{}', 400],
    ['POST', '/sandbox/wechat/requestPayment', '{"timeStamp":"1","nonceStr":"n","package":"prepay_id=x","signType":"MD5","paySign":"X","result":"maybe"}', 400],
    ['POST', '/sandbox/wechat/requestPayment', 'garbage', 400],
    ['POST', '/sandbox/latipay/v2/miniapppay', '{}', 400],
    ['POST', '/sandbox/latipay/v2/miniapppay', '{"user_id":"U000000001"}', 400],
    ['GET', '/sandbox/latipay/v2/transaction/123', undefined, 400],
    ['GET', '/sandbox/nosuch/thing', undefined, 404],
    ['GET', '/api/orders/does-not-exist', undefined, 404],
  ])('%s %s → %i', async (method, path, body, status) => {
    const res = await raw(method, path, body, path.startsWith('/notify') ? 'application/x-www-form-urlencoded' : 'application/json');
    expect(res.status).toBe(status);
    expect(res.text.length).toBeGreaterThan(0);
  });

  it('refuses a body over 1 MB with 413', async () => {
    const res = await raw('POST', '/fn/pay', JSON.stringify({ action: 'catalog', pad: 'x'.repeat(1_100_000) }));
    expect(res.status).toBe(413);
  });

  it('jscode2session refuses a wrong secret and a malformed code like WeChat', async () => {
    const appid = stack.app.config.wechat.appId;
    const wrongSecret = await raw('GET', `/sandbox/wechat/sns/jscode2session?appid=${appid}&secret=nope&js_code=test-a-9&grant_type=authorization_code`);
    expect(wrongSecret.json.errcode).toBe(40125);
    const badCode = await raw('GET', `/sandbox/wechat/sns/jscode2session?appid=${appid}&secret=${stack.env.WECHAT_APP_SECRET}&js_code=hello&grant_type=authorization_code`);
    expect(badCode.json.errcode).toBe(40029);
  });

  it('is still healthy after all of that', async () => {
    expect((await raw('GET', '/healthz')).status).toBe(200);
  });
});
