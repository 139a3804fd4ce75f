import { createPublicKey, createVerify, generateKeyPairSync } from 'node:crypto';
import { loadConfig } from '../../server/app';
import { providerConfig } from '../../server/config';
import { ConfigError, ProviderError, SignatureError, ValidationError } from '../../server/core/errors';
import { createHttpSend, type HttpRequest, type HttpSend } from '../../server/core/http';
import type { Order } from '../../server/domain/order';
import { NEWPAY_ERRORS, NewPayProvider, orderAmt, wxTimeStamp } from '../../server/providers/newpay/adapter';
import type { NewPayConfig } from '../../server/providers/newpay/config';
import { startTestStack, type TestStack } from '../helpers/local-stack';
import { providerContract } from './contract';
import { OTHER_PRIVATE_KEY, newpayHarness, oneUnitMore } from './newpay-harness';

providerContract(newpayHarness);

/** The signing string, rebuilt here from section 8 without the adapter's module. */
function sortedString(params: Record<string, unknown>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== null && params[k] !== undefined)
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
}

describe('NewPay adapter specifics (against its simulator)', () => {
  let stack: TestStack;
  let config: NewPayConfig;
  beforeAll(async () => {
    stack = await startTestStack();
    config = providerConfig<NewPayConfig>(stack.app.config, 'newpay');
  });
  afterAll(async () => {
    await stack.close();
  });

  let n = 0;
  function order(currency: 'LAK' | 'USD' = 'LAK', amount = currency === 'LAK' ? 150000 : 1234): Order {
    n++;
    return {
      orderNo: `${Date.now()}${String(n).padStart(6, '0')}`,
      openid: stack.sandboxes.wechat.openidFor('specifics'),
      provider: 'newpay',
      status: 'CREATED',
      amount,
      currency,
      description: 'Flat white',
      items: [],
      createdAt: Date.now(),
      updatedAt: Date.now(),
      expiresAt: Date.now() + 60_000,
    };
  }

  /** An adapter on the stack's simulator whose outgoing requests are recorded. */
  function adapter(overrides: Partial<NewPayConfig> = {}): { provider: NewPayProvider; sent: HttpRequest[] } {
    const sent: HttpRequest[] = [];
    const real = createHttpSend('newpay');
    const http: HttpSend = (request) => {
      sent.push(request);
      return real(request);
    };
    return { provider: new NewPayProvider({ ...config, ...overrides }, http, 5000), sent };
  }

  /** `payCode: null` leaves it out. */
  const input = (o: Order, payCode: string | null = stack.code('specifics')) => ({
    order: o,
    openid: o.openid,
    notifyUrl: `${stack.url}/notify/newpay`,
    ...(payCode !== null ? { payCode } : {}),
  });

  const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e);

  it('signs createOpenMini as documented: the signature verifies with crypto.createVerify', async () => {
    const { provider, sent } = adapter();
    const payCode = stack.code('specifics');
    const created = await provider.createMiniPayment(input(order('USD'), payCode));
    expect(sent.map((r) => new URL(r.url).pathname)).toEqual([
      '/sandbox/newpay/api/open/converge/pay/v2/createOpenMini',
      '/sandbox/newpay/api/open/converge/pay/v2/getMiniPayment',
    ]);
    const [create, mini] = sent as [HttpRequest, HttpRequest];
    expect(create.headers).toEqual({ 'Content-Type': 'application/json', version: '1.0' });
    const body = JSON.parse(create.body!) as Record<string, unknown>;
    expect(body).toMatchObject({ appId: '6', merchantId: 'M000000001', currency: 'USD', orderAmt: '12.34', envVersion: 'release', subject: 'Flat white' });
    expect(body.callBackUrl).toBe(`${stack.url}/notify/newpay`);
    expect(typeof body.timestamp).toBe('number');
    expect(String(body.timestamp)).toMatch(/^\d{13}$/);
    const publicKey = createPublicKey(config.privateKey);
    const verified = createVerify('RSA-SHA256').update(sortedString(body), 'utf8').verify(publicKey, String(body.sign), 'base64');
    expect(verified).toBe(true);
    expect(String(body.sign)).toHaveLength(344);
    // getMiniPayment carries exactly the documented fields: the payCode, NewPay's order number, a timestamp.
    const miniBody = JSON.parse(mini.body!) as Record<string, unknown>;
    expect(Object.keys(miniBody).sort()).toEqual(['code', 'newpayOrderNo', 'timestamp']);
    expect(miniBody).toMatchObject({ code: payCode, newpayOrderNo: created.providerRef });
    expect(created.payment.signType).toBe('RSA');
  });

  it('formats orderAmt: LAK whole, USD two decimals; LAK with decimals never leaves', async () => {
    expect(orderAmt(75000, 'LAK')).toBe('75000');
    expect(orderAmt(5, 'USD')).toBe('0.05');
    expect(orderAmt(1234, 'USD')).toBe('12.34');
    const before = stack.sandboxes.newpay.receivedCount;
    const { provider, sent } = adapter();
    // Money is integer minor units, so this takes a malformed order: the guard still holds.
    const error = await failure(provider.createMiniPayment(input(order('LAK', 1500.5))));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(/LAK/);
    expect(sent).toHaveLength(0);
    expect(stack.sandboxes.newpay.receivedCount).toBe(before);
  });

  it('needs payCode, checked before anything is created', async () => {
    const before = stack.sandboxes.newpay.receivedCount;
    const { provider } = adapter();
    const error = await failure(provider.createMiniPayment(input(order(), null)));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('payCode');
    expect(stack.sandboxes.newpay.receivedCount).toBe(before);
    // Through the pay function: refused before the login code is spent or an order stored.
    const code = stack.code('nopaycode');
    const res = await stack.fn('pay', { action: 'createOrder', provider: 'newpay', currency: 'LAK', items: [{ sku: 'tea', quantity: 1 }], code });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'payCode' });
    const retry = await stack.fn('pay', {
      action: 'createOrder', provider: 'newpay', currency: 'LAK', items: [{ sku: 'tea', quantity: 1 }], code, payCode: stack.code('nopaycode'),
    });
    expect(retry.body.ok).toBe(true);
  });

  it('turns NewPay business codes into ProviderErrors a shopper can read', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const codeOf = async (p: Promise<unknown>) => {
      const e = await failure(p);
      expect(e).toBeInstanceOf(ProviderError);
      return (e as ProviderError).details.providerCode;
    };
    // Z00007: signed with a key NewPay does not know.
    const z7 = await failure(adapter({ privateKey: other }).provider.createMiniPayment(input(order())));
    expect((z7 as ProviderError).details.providerCode).toBe('Z00007');
    expect((z7 as ProviderError).message).toContain(NEWPAY_ERRORS.Z00007);
    expect(await codeOf(adapter({ merchantId: 'M999' }).provider.createMiniPayment(input(order())))).toBe('Z00007');
    // Z00020: nothing to pay.
    expect(await codeOf(adapter().provider.createMiniPayment(input(order('LAK', 0))))).toBe('Z00020');
    // Z01028: an order number used before.
    const o = order();
    await adapter().provider.createMiniPayment(input(o));
    expect(await codeOf(adapter().provider.createMiniPayment(input(o)))).toBe('Z01028');
    // E9008: an order NewPay does not have; Z01009: an expired one.
    expect(await codeOf(adapter().provider.cashierPayment('202601010000000000', stack.code('x')))).toBe('E9008');
    const expiring = order();
    const created = await adapter().provider.createMiniPayment(input(expiring));
    stack.sandboxes.newpay.expire(expiring.orderNo);
    const z9 = await failure(adapter().provider.cashierPayment(created.providerRef!, stack.code('x')));
    expect((z9 as ProviderError).details.providerCode).toBe('Z01009');
    expect((z9 as ProviderError).message).toMatch(/expired; please place the order again/);
    // A payCode already spent: WeChat's 40163, passed through by getMiniPayment.
    const spent = stack.code('x');
    await adapter().provider.createMiniPayment(input(order(), spent));
    expect(await codeOf(adapter().provider.createMiniPayment(input(order(), spent)))).toBe('40163');
  });

  it('verifies NewPay response signatures with the platform key', async () => {
    const stranger = createPublicKey(OTHER_PRIVATE_KEY).export({ type: 'spki', format: 'pem' }).toString();
    const error = await failure(adapter({ publicKey: stranger }).provider.createMiniPayment(input(order())));
    expect(error).toBeInstanceOf(SignatureError);
  });

  it('uses data.timeStamp when NewPay sends one, else the envelope timestamp in seconds', async () => {
    expect(wxTimeStamp(undefined, 1663738614280)).toBe('1663738614');
    expect(wxTimeStamp('1663738600', 1663738614280)).toBe('1663738600');
    expect(wxTimeStamp(1663738600, undefined)).toBe('1663738600');
    expect(wxTimeStamp(undefined, '1663738614')).toBe('1663738614');
    expect(() => wxTimeStamp(undefined, undefined)).toThrow(ProviderError);
    expect(() => wxTimeStamp('soon', 1663738614280)).toThrow(ProviderError);
    stack.sandboxes.newpay.timeStampInData = true;
    try {
      const { payment } = await adapter().provider.createMiniPayment(input(order()));
      const now = Math.floor(Date.now() / 1000);
      expect(Number(payment.timeStamp)).toBeLessThanOrEqual(now - 6);
      // The simulator signed paySign over data.timeStamp: WeChat accepts it.
      expect((await stack.requestPayment({ ...payment }, 'cancel')).body.errMsg).toBe('requestPayment:fail cancel');
    } finally {
      stack.sandboxes.newpay.timeStampInData = false;
    }
  });

  it('acknowledges with {"transResult":"SUCCESS"} and refuses with another JSON body', () => {
    const { provider } = adapter();
    expect(provider.acknowledge()).toMatchObject({ statusCode: 200, body: '{"transResult":"SUCCESS"}' });
    const refused = provider.refuse(401, 'bad sign');
    expect(refused.statusCode).toBe(401);
    expect((JSON.parse(refused.body) as { transResult: string }).transResult).not.toBe('SUCCESS');
  });

  it('cashierPayment: pays an order opened from NewPay\'s scheme URL', async () => {
    stack.sandboxes.newpay.silentNotifications = false;
    const created = await stack.fn('pay', {
      action: 'createOrder', provider: 'newpay', currency: 'LAK', items: [{ sku: 'cake', quantity: 1 }],
      code: stack.code('cashier'), payCode: stack.code('cashier'),
    });
    const orderNo = created.body.order.orderNo as string;
    const stored = (await (await fetch(`${stack.url}/api/orders/${orderNo}`)).json()) as { order: { providerRef: string } };
    const newpayOrderNo = stored.order.providerRef;
    expect(newpayOrderNo).toMatch(/^\d+$/);
    // Bad requests are refused before any login code is spent.
    const code = stack.code('cashier');
    expect((await stack.fn('pay', { action: 'cashierPayment', newpayOrderNo, code })).body.error).toMatchObject({ field: 'payCode' });
    expect((await stack.fn('pay', { action: 'cashierPayment', newpayOrderNo: 'x y', code, payCode: stack.code('c') })).body.error).toMatchObject({ field: 'newpayOrderNo' });
    const unknown = await stack.fn('pay', { action: 'cashierPayment', newpayOrderNo: '1', code, payCode: stack.code('c') });
    expect(unknown.status).toBe(502);
    expect(unknown.body.error).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: 'E9008' });
    const res = await stack.fn('pay', { action: 'cashierPayment', newpayOrderNo, code: stack.code('cashier'), payCode: stack.code('cashier') });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.payment as object).sort()).toEqual(['nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    // Our own order, for the same shopper: the page gets it to show the amount and poll.
    expect(res.body.order).toMatchObject({ orderNo, amount: created.body.order.amount, currency: 'LAK' });
    expect(res.body.order).not.toHaveProperty('openid');
    // Another shopper holding the same scheme URL gets the payment parameters but not our order.
    const other = await stack.fn('pay', { action: 'cashierPayment', newpayOrderNo, code: stack.code('someone'), payCode: stack.code('someone') });
    expect(other.status).toBe(200);
    expect(other.body.order).toBeUndefined();
    expect((await stack.requestPayment(res.body.payment as Record<string, unknown>, 'pay')).body.errMsg).toBe('requestPayment:ok');
    expect((await stack.waitForStatus(orderNo, 'cashier', 'PAID')).status).toBe('PAID');
  });

  describe('createCashierOrder (Converge)', () => {
    const cart = [{ sku: 'beans', quantity: 1 }];
    const cases = [
      { payMethod: 'newpay', code: 1, channel: 'web' },
      { payMethod: 'visa', code: 3, channel: 'mobile' },
      { payMethod: 'wechat', code: 5, channel: 'web' },
      { payMethod: 'alipay', code: 6, channel: 'mobile', subject: 'Coffee beans', extra: 'IOS' },
    ];
    it.each(cases)('$payMethod ($channel): payUrl, PAYING, then PAID by the callback', async ({ payMethod, code, channel, ...rest }) => {
      stack.sandboxes.newpay.silentNotifications = false;
      const res = await stack.fn('pay', {
        action: 'createCashierOrder', provider: 'newpay', currency: 'USD', payMethod, channel, items: cart, code: stack.code('web'), ...rest,
      });
      expect(res.status).toBe(200);
      expect(res.body.payUrl).toContain(channel === 'mobile' ? '/m/cashier/' : '/cashier/');
      expect(res.body.order).toMatchObject({ status: 'PAYING', currency: 'USD', amount: 1290 });
      const sim = stack.sandboxes.newpay.find(res.body.order.orderNo as string);
      expect(sim).toMatchObject({ payMethod: code, orderAmt: '12.90', kind: 'cashier' });
      stack.sandboxes.newpay.payCashier(sim.newpayOrderNo);
      expect((await stack.waitForStatus(res.body.order.orderNo as string, 'web', 'PAID')).status).toBe('PAID');
    });

    it('a failed cashier payment (transStatus 1) fails the order', async () => {
      const res = await stack.fn('pay', { action: 'createCashierOrder', provider: 'newpay', currency: 'LAK', payMethod: 'visa', items: cart, code: stack.code('web') });
      expect(res.body.order.status).toBe('PAYING');
      stack.sandboxes.newpay.payCashier(stack.sandboxes.newpay.find(res.body.order.orderNo as string).newpayOrderNo, 'fail');
      expect((await stack.waitForStatus(res.body.order.orderNo as string, 'web', 'FAILED')).status).toBe('FAILED');
    });

    it('validates payMethod, channel and Alipay\'s subject and extra before spending the code', async () => {
      const code = stack.code('web');
      const ask = (extra: Record<string, unknown>) =>
        stack.fn('pay', { action: 'createCashierOrder', provider: 'newpay', currency: 'LAK', items: cart, code, ...extra });
      expect((await ask({ payMethod: 'paypal' })).body.error).toMatchObject({ field: 'payMethod' });
      expect((await ask({ payMethod: 'visa', channel: 'tv' })).body.error).toMatchObject({ field: 'channel' });
      expect((await ask({ payMethod: 'alipay', extra: 'ANDROID' })).body.error).toMatchObject({ field: 'subject' });
      expect((await ask({ payMethod: 'alipay', subject: 'Beans' })).body.error).toMatchObject({ field: 'extra' });
      expect((await ask({ payMethod: 'alipay', subject: 'Beans', extra: 'web' })).body.error).toMatchObject({ field: 'extra' });
      const ok = await ask({ payMethod: 'alipay', subject: 'Beans', extra: 'ANDROID' });
      expect(ok.body.ok).toBe(true);
    });

    it('sends the shopper back to NEWPAY_RETURN_URL, or the notify URL\'s origin', () => {
      const pages = adapter({ returnUrl: 'https://shop.example/done' }).provider.returnPages('123', 'https://x.example/payNotify/newpay');
      expect(pages.success).toBe('https://shop.example/done?orderNo=123&result=success');
      const { returnUrl: _, ...withoutReturn } = config;
      const fallback = new NewPayProvider(withoutReturn, createHttpSend('newpay'), 1000).returnPages('123', 'https://x.example/payNotify/newpay');
      expect(fallback.cancel).toBe('https://x.example/?orderNo=123&result=cancel');
    });
  });

  it('a callback signed with another key, or genuinely signed for another orderAmt, leaves the order unpaid', async () => {
    stack.sandboxes.newpay.silentNotifications = true;
    const res = await stack.fn('pay', {
      action: 'createOrder', provider: 'newpay', currency: 'USD', items: [{ sku: 'tea', quantity: 1 }],
      code: stack.code('forge'), payCode: stack.code('forge'),
    });
    const orderNo = res.body.order.orderNo as string;
    await stack.requestPayment(res.body.payment as Record<string, unknown>, 'pay');
    const forged = stack.sandboxes.newpay.signedNotification(orderNo, OTHER_PRIVATE_KEY);
    const r1 = await stack.post('/notify/newpay', forged.body, forged.contentType);
    expect(r1.status).toBe(401);
    const wrong = stack.sandboxes.newpay.signedNotification(orderNo, undefined, { orderAmt: oneUnitMore('3.00', 'USD') });
    const r2 = await stack.post('/notify/newpay', wrong.body, wrong.contentType);
    expect(r2.status).toBe(400);
    // Tampering after signing (orderAmt changed, sign kept) is a signature failure.
    const genuine = JSON.parse(stack.sandboxes.newpay.signedNotification(orderNo).body) as Record<string, unknown>;
    const r3 = await stack.post('/notify/newpay', JSON.stringify({ ...genuine, orderAmt: '0.01' }), 'application/json');
    expect(r3.status).toBe(401);
    for (const r of [r1, r2, r3]) expect(newpayHarness.isAck(r.status, r.text)).toBe(false);
    const now = await stack.fn('pay', { action: 'queryOrder', orderNo, code: stack.code('forge') });
    expect(now.body.order.status).toBe('PAYING');
    // The genuine callback in the published example's shape (numbers as written, "3.00") is accepted.
    stack.sandboxes.newpay.find(orderNo).shape = 'example';
    const example = stack.sandboxes.newpay.signedNotification(orderNo).body;
    expect(example).toMatch(/"appId":6,/);
    expect(example).toMatch(/"orderAmt":"3.00"/);
    const ok = await stack.post('/notify/newpay', example, 'application/json');
    expect(newpayHarness.isAck(ok.status, ok.text)).toBe(true);
  });
});

describe('NewPay configuration', () => {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const GOOD = {
    WECHAT_APPID: 'wx0123456789abcdef',
    WECHAT_APP_SECRET: 'secret',
    NOTIFY_BASE_URL: 'https://example.com/payNotify',
    PAY_PROVIDERS: 'newpay',
    NEWPAY_APP_ID: '3514d69403bc4ce1a8fafb6415a31018',
    NEWPAY_MERCHANT_ID: '876266cdc7154dd08a022fd1f2eace55',
    NEWPAY_PRIVATE_KEY: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().replace(/\n/g, '\\n'),
    NEWPAY_PUBLIC_KEY: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };

  it('reads a complete environment with the documented defaults', () => {
    const config = loadConfig(GOOD, { requireAppSecret: true });
    expect((config.providerConfigs.newpay as NewPayConfig | undefined)).toMatchObject({
      apiBase: 'https://prod-openapi.newpay.la',
      envVersion: 'release',
      currencies: ['LAK', 'USD'],
    });
    expect((config.providerConfigs.newpay as NewPayConfig).privateKey).toContain('\n');
    expect((config.providerConfigs.newpay as NewPayConfig).returnUrl).toBeUndefined();
    expect((loadConfig({ ...GOOD, NEWPAY_CURRENCIES: 'USD' }, { requireAppSecret: true }).providerConfigs.newpay as NewPayConfig).currencies).toEqual(['USD']);
  });

  it('names each missing or malformed variable', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env, { requireAppSecret: true });
        return [];
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).problems.map((p) => p.variable).sort();
      }
    };
    expect(problems({ ...GOOD, NEWPAY_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----' })).toEqual(['NEWPAY_PRIVATE_KEY']);
    expect(problems({ ...GOOD, NEWPAY_PUBLIC_KEY: 'not a key' })).toEqual(['NEWPAY_PUBLIC_KEY']);
    expect(problems({ ...GOOD, NEWPAY_ENV_VERSION: 'beta', NEWPAY_CURRENCIES: 'LAK,THB', NEWPAY_RETURN_URL: 'ftp://x' })).toEqual(
      ['NEWPAY_CURRENCIES', 'NEWPAY_ENV_VERSION', 'NEWPAY_RETURN_URL'],
    );
    const { NEWPAY_APP_ID: _a, NEWPAY_MERCHANT_ID: _m, NEWPAY_PRIVATE_KEY: _k, NEWPAY_PUBLIC_KEY: _p, ...none } = GOOD;
    expect(problems(none)).toEqual(['NEWPAY_APP_ID', 'NEWPAY_MERCHANT_ID', 'NEWPAY_PRIVATE_KEY', 'NEWPAY_PUBLIC_KEY']);
  });
});
