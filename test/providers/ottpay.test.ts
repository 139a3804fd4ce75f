import { PUBLISHED_CALLBACK, PUBLISHED_CALLBACK_SIGNKEY } from '../fixtures/ottpay-published';
import CryptoJS from 'crypto-js';
import { ottDecrypt, ottEncrypt } from '../../local/sandboxes/ottpay/sandbox';
import { loadConfig } from '../../server/app';
import { providerConfig } from '../../server/config';
import { ConfigError, ProviderError, SignatureError } from '../../server/core/errors';
import { createHttpSend, type HttpRequest, type HttpSend } from '../../server/core/http';
import type { Order } from '../../server/domain/order';
import { OttpayProvider, readFinishTime } from '../../server/providers/ottpay/adapter';
import type { OttpayConfig } from '../../server/providers/ottpay/config';
import type { InboundNotification } from '../../server/providers/types';
import { startTestStack, type TestStack } from '../helpers/local-stack';
import { providerContract } from './contract';
import { ottpayHarness } from './ottpay-harness';

providerContract(ottpayHarness);

function inbound(body: string): InboundNotification {
  return { headers: { 'content-type': 'application/json' }, rawBody: Buffer.from(body, 'utf8'), query: {} };
}

describe('OTT Pay adapter specifics', () => {
  let stack: TestStack;
  let sent: HttpRequest[];
  let n = 0;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(() => {
    sent = [];
    stack.sandboxes.ottpay.silentNotifications = false;
    stack.sandboxes.ottpay.payInfoWithoutPaySign = false;
  });

  const spy: HttpSend = (request) => {
    sent.push(request);
    return createHttpSend('ottpay')(request);
  };
  function adapter(changes: Partial<OttpayConfig> = {}): OttpayProvider {
    return new OttpayProvider({ ...providerConfig<OttpayConfig>(stack.app.config, 'ottpay'), ...changes }, stack.app.config.wechat.appId, spy, 2000);
  }
  function order(amount = 1234): Order {
    n++;
    return {
      orderNo: `${Date.now()}${String(n).padStart(6, '0')}`,
      openid: stack.sandboxes.wechat.openidFor('ott'),
      provider: 'ottpay',
      status: 'CREATED',
      amount,
      currency: 'CAD',
      description: 'OTT Pay test',
      items: [],
      createdAt: Date.now(),
      updatedAt: Date.now(),
      expiresAt: Date.now() + 60_000,
    };
  }
  const notifyUrl = () => `${stack.url}/notify/ottpay`;
  const envelopeOf = (r: HttpRequest) => JSON.parse(r.body!) as Record<string, string>;
  const secrets = () => [stack.env.SANDBOX_WECHAT_PAY_KEY!, stack.env.OTTPAY_SIGN_KEY!];

  it('sends MAPPPAY 1.1 in the processV2 envelope with the documented encrypted fields', async () => {
    const o = order(1234);
    const created = await adapter().createMiniPayment({ order: o, openid: o.openid, notifyUrl: notifyUrl() });
    expect(sent).toHaveLength(1);
    const request = sent[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`${stack.url}/sandbox/ottpay/processV2`);
    expect(request.retries ?? 0).toBe(0);
    const envelope = envelopeOf(request);
    expect(Object.keys(envelope).sort()).toEqual(['action', 'data', 'md5', 'merchant_id', 'version']);
    expect(envelope).toMatchObject({ action: 'MAPPPAY', version: '1.1', merchant_id: stack.env.OTTPAY_MERCHANT_ID });
    expect(envelope.md5).toMatch(/^[0-9A-F]{32}$/);
    // Decrypted independently (crypto-js), md5 checked.
    expect(ottDecrypt(envelope.data, envelope.md5, stack.env.OTTPAY_SIGN_KEY!)).toEqual({
      order_id: o.orderNo,
      operator_id: stack.env.OTTPAY_OPERATOR_ID,
      amount: '1234',
      tip: '0',
      biz_type: 'WECHATPAY',
      app_id: stack.env.WECHAT_APPID,
      open_id: o.openid,
      call_back_url: notifyUrl(),
    });
    expect(created.providerRef).toMatch(/^\d+$/);
    expect(created.payment.signType).toBe('MD5');
  });

  it('turns Appendix B codes into ProviderErrors with providerCode and a readable message', async () => {
    const o = order();
    const used = await adapter().createMiniPayment({ order: o, openid: o.openid, notifyUrl: notifyUrl() });
    expect(used.payment.paySign).toMatch(/^[0-9A-F]{32}$/);
    const cases: [Promise<unknown>, string, RegExp][] = [
      [adapter().createMiniPayment({ order: { ...o, amount: 999 }, openid: o.openid, notifyUrl: notifyUrl() }), 'ORDER_USED', /already been used/],
      [adapter({ operatorId: '9999999999' }).createMiniPayment({ order: order(), openid: 'o', notifyUrl: notifyUrl() }), 'PARAM_ERROR', /operator_id/],
      [adapter().createMiniPayment({ order: order(0), openid: 'o', notifyUrl: notifyUrl() }), 'PARAM_INVALID', /amount/],
      [adapter({ signKey: 'WrongSignKey0000' }).createMiniPayment({ order: order(), openid: 'o', notifyUrl: notifyUrl() }), 'PARAM_ERROR', /md5/],
    ];
    for (const [promise, code, message] of cases) {
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).details.providerCode).toBe(code);
      expect((error as ProviderError).retryable).toBe(false);
      expect((error as ProviderError).message).toMatch(message);
      expect((error as ProviderError).message).not.toContain(stack.env.OTTPAY_SIGN_KEY!);
    }
  });

  it('signs payInfo itself (v2 MD5) when OTT Pay answers without paySign, and WeChat accepts it', async () => {
    stack.sandboxes.ottpay.payInfoWithoutPaySign = true;
    const o = order();
    await expect(adapter().createMiniPayment({ order: o, openid: o.openid, notifyUrl: notifyUrl() })).rejects.toThrow(/OTTPAY_WECHAT_PAY_KEY/);
    const o2 = order();
    const created = await adapter({ wechatPayKey: stack.env.SANDBOX_WECHAT_PAY_KEY! }).createMiniPayment({ order: o2, openid: o2.openid, notifyUrl: notifyUrl() });
    expect((await stack.requestPayment({ ...created.payment }, 'cancel')).body.errMsg).toBe('requestPayment:fail cancel');
  });

  it('queries with STATUS_QUERY 1.0 {order_id}, retried as idempotent', async () => {
    const o = order();
    await adapter().createMiniPayment({ order: o, openid: o.openid, notifyUrl: notifyUrl() });
    sent = [];
    const report = await adapter().queryPayment(o);
    expect(report).toMatchObject({ orderNo: o.orderNo, outcome: 'pending', amount: { amount: o.amount, currency: 'CAD' } });
    const envelope = envelopeOf(sent[0]!);
    expect(envelope).toMatchObject({ action: 'STATUS_QUERY', version: '1.0' });
    expect(ottDecrypt(envelope.data, envelope.md5, stack.env.OTTPAY_SIGN_KEY!)).toEqual({ order_id: o.orderNo });
    expect(sent[0]!.retries).toBe(2);
  });

  it('reads the published callback example (docs: merchant ON00004652, signkey A8B5FE540E38A5A9)', () => {
    const published = JSON.stringify(PUBLISHED_CALLBACK);
    const docs = adapter({ merchantId: PUBLISHED_CALLBACK.merchant_id, signKey: PUBLISHED_CALLBACK_SIGNKEY });
    expect(docs.verifyNotification(inbound(published))).toMatchObject({
      orderNo: '16795056216014900',
      outcome: 'paid',
      amount: { amount: 3, currency: 'CAD' },
    });
    expect(docs.claimedOrderNo(inbound(published))).toBe('16795056216014900');
    // The same callback is not for our merchant, and our key cannot read it.
    expect(() => adapter().verifyNotification(inbound(published))).toThrow(SignatureError);
    expect(() => adapter({ merchantId: 'ON00004652' }).verifyNotification(inbound(published))).toThrow(SignatureError);
    expect(adapter().claimedOrderNo(inbound(published))).toBeUndefined();
  });

  it('refuses callbacks for another merchant even when they decrypt', async () => {
    const o = order();
    await adapter().createMiniPayment({ order: o, openid: o.openid, notifyUrl: notifyUrl() });
    const other = stack.sandboxes.ottpay.signedNotification(o.orderNo, undefined, { merchant_id: 'QC99999999' });
    expect(() => adapter().verifyNotification(inbound(other.body))).toThrow(SignatureError);
    const envelope = JSON.parse(stack.sandboxes.ottpay.signedNotification(o.orderNo).body) as Record<string, string>;
    expect(() => adapter().verifyNotification(inbound(JSON.stringify({ ...envelope, merchant_id: 'QC99999999' })))).toThrow(SignatureError);
    // A flipped md5 fails the integrity check.
    const flipped = { ...envelope, md5: envelope.md5!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) };
    expect(() => adapter().verifyNotification(inbound(JSON.stringify(flipped)))).toThrow(SignatureError);
  });

  it('applies the callback page\'s order_status values in any case; any other must be confirmed by query', async () => {
    stack.sandboxes.ottpay.callbackShape = 'captured';
    const o = order();
    await adapter().createMiniPayment({ order: o, openid: o.openid, notifyUrl: notifyUrl() });
    stack.sandboxes.ottpay.callbackShape = undefined;
    const report = (order_status: string) =>
      adapter().verifyNotification(inbound(stack.sandboxes.ottpay.signedNotification(o.orderNo, undefined, { order_status }).body));
    const signed = (order_status: string) => {
      const r = report(order_status);
      expect(r.confirm).toBeUndefined();
      return r.outcome;
    };
    // apidocs callback page: captured (money moved), authorised (not yet paid).
    expect(signed('captured')).toBe('paid');
    expect(signed('Captured')).toBe('paid');
    expect(signed('CAPTURED')).toBe('paid');
    expect(signed('authorised')).toBe('pending');
    expect(signed('AUTHORISED')).toBe('pending');
    // Query-page words in a callback: read, but only a query decides.
    for (const [status, outcome] of [['SUCCESS', 'paid'], ['success', 'paid'], ['FAIL', 'failed'], ['ORDERCLOSE', 'closed'], ['REFUND', 'pending']] as const) {
      expect(report(status)).toMatchObject({ outcome, confirm: `order_status "${status}" is not one the callback page documents` });
    }
  });

  it('reads finish_time in all three published formats', () => {
    expect(readFinishTime('20230323012153')).toBe('2023-03-23 01:21:53');
    expect(readFinishTime('2023-03-23 01:21:53')).toBe('2023-03-23 01:21:53');
    expect(readFinishTime('2024-01-08 16:29:03 CST')).toBe('2024-01-08 16:29:03');
    expect(readFinishTime('yesterday')).toBeUndefined();
  });

  it('a callback without order_status (the published shape) reports what rsp_code says, only to be confirmed', async () => {
    stack.sandboxes.ottpay.callbackShape = 'published';
    const o = order();
    await adapter().createMiniPayment({ order: o, openid: o.openid, notifyUrl: notifyUrl() });
    stack.sandboxes.ottpay.callbackShape = undefined;
    const genuine = JSON.parse(stack.sandboxes.ottpay.signedNotification(o.orderNo).body) as Record<string, string>;
    const asSent = adapter().verifyNotification(inbound(JSON.stringify(genuine)));
    expect(asSent).toMatchObject({ outcome: 'paid', confirm: 'the outcome comes from rsp_code, which the md5 does not cover' });
    const flipped = adapter().verifyNotification(inbound(JSON.stringify({ ...genuine, rsp_code: 'FAIL' })));
    expect(flipped).toMatchObject({ outcome: 'failed', confirm: expect.any(String) });
  });

  it('a callback encrypted with the wrong signkey or with a changed amount leaves the order unpaid', async () => {
    stack.sandboxes.ottpay.silentNotifications = true;
    const create = await stack.fn('pay', { action: 'createOrder', provider: 'ottpay', items: [{ sku: 'coffee', quantity: 1 }], code: stack.code('ottneg') });
    expect(create.body.ok).toBe(true);
    const orderNo = create.body.order.orderNo as string;
    expect((await stack.requestPayment(create.body.payment, 'pay')).body.errMsg).toBe('requestPayment:ok');
    const forged = ottpayHarness.forged(stack, orderNo);
    const r1 = await stack.post('/notify/ottpay', forged.body, forged.contentType);
    expect(r1.status).toBe(401);
    expect(JSON.parse(r1.text)).toMatchObject({ rsp_code: 'FAIL' });
    const wrong = ottpayHarness.wrongAmount(stack, orderNo);
    const r2 = await stack.post('/notify/ottpay', wrong.body, wrong.contentType);
    expect(r2.status).toBe(400);
    const now = await stack.fn('pay', { action: 'queryOrder', orderNo, code: stack.code('ottneg') });
    expect(now.body.order.status).toBe('PAYING');
    // The genuine one is acknowledged in OTT Pay's shape and pays the order.
    const genuine = ottpayHarness.notification(stack, orderNo);
    const r3 = await stack.post('/notify/ottpay', genuine.body, genuine.contentType);
    expect(r3.status).toBe(200);
    expect(JSON.parse(r3.text)).toEqual({ rsp_code: 'SUCCESS', rsp_msg: 'success' });
    expect((await stack.waitForStatus(orderNo, 'ottneg', 'PAID')).status).toBe('PAID');
  });

  it('createOrder replies never carry the signkey or the WeChat Pay key', async () => {
    const reply = await stack.fn('pay', { action: 'createOrder', provider: 'ottpay', items: [{ sku: 'coffee', quantity: 1 }], code: stack.code('ottsecret') });
    expect(reply.body.ok).toBe(true);
    for (const secret of secrets()) expect(JSON.stringify(reply.body)).not.toContain(secret);
  });

  describe('in-app payment (createAppPayment)', () => {
    it('calls the in-app action, signs the PayReq itself and never returns wxapikey', async () => {
      const reply = await stack.fn('pay', {
        action: 'createAppPayment',
        provider: 'ottpay',
        items: [{ sku: 'coffee', quantity: 2 }],
        code: stack.code('appuser'),
      });
      expect(reply.status).toBe(200);
      expect(reply.body.ok).toBe(true);
      for (const secret of secrets()) expect(JSON.stringify(reply.body)).not.toContain(secret);
      const p = reply.body.appPayment as Record<string, string>;
      expect(Object.keys(p).sort()).toEqual(['appId', 'nonceStr', 'packageValue', 'partnerId', 'prepayId', 'sign', 'timeStamp']);
      expect(p.appId).toBe(stack.env.OTTPAY_APP_ID);
      expect(p.packageValue).toBe('Sign=WXPay');
      // The WeChat app sign, computed independently with crypto-js.
      const expected = CryptoJS.MD5(
        `appid=${p.appId}&noncestr=${p.nonceStr}&package=${p.packageValue}&partnerid=${p.partnerId}&prepayid=${p.prepayId}&timestamp=${p.timeStamp}&key=${stack.env.SANDBOX_WECHAT_PAY_KEY}`,
      )
        .toString()
        .toUpperCase();
      expect(p.sign).toBe(expected);
      expect(reply.body.order).toMatchObject({ provider: 'ottpay', currency: 'CAD', status: 'PAYING' });
      expect(reply.body.order).not.toHaveProperty('openid');

      // The app pays through the WeChat SDK stand-in; OTT Pay calls back; the order is PAID.
      const paid = await stack.post('/sandbox/ottpay/appPay', JSON.stringify({ ...p, result: 'pay' }), 'application/json');
      expect(JSON.parse(paid.text)).toMatchObject({ errCode: 0 });
      expect((await stack.waitForStatus(reply.body.order.orderNo, 'appuser', 'PAID')).status).toBe('PAID');
    });

    it('sends the seed fields in the envelope with the configured action', async () => {
      const o = order(500);
      const created = await adapter().createAppPayment({ order: o, openid: o.openid, notifyUrl: notifyUrl() });
      const envelope = envelopeOf(sent[0]!);
      expect(envelope).toMatchObject({ action: 'APPPAY', version: '1.0', merchant_id: stack.env.OTTPAY_MERCHANT_ID });
      expect(ottDecrypt(envelope.data, envelope.md5, stack.env.OTTPAY_SIGN_KEY!)).toEqual({
        userId: stack.env.OTTPAY_APP_ID,
        amount: '500',
        bizType: 'WECHATPAY',
        merchant_id: stack.env.OTTPAY_MERCHANT_ID,
        operator_id: stack.env.OTTPAY_OPERATOR_ID,
        order_id: o.orderNo,
        call_back_url: notifyUrl(),
      });
      expect(created.providerRef).toMatch(/^\d+$/);
      expect(JSON.stringify(created)).not.toContain(stack.env.SANDBOX_WECHAT_PAY_KEY!);
    });

    it('needs OTTPAY_APP_ID, and refuses a provider without in-app payments', async () => {
      const o = order();
      const { appId: _unused, ...withoutApp } = providerConfig<OttpayConfig>(stack.app.config, 'ottpay');
      const noApp = new OttpayProvider(withoutApp, stack.app.config.wechat.appId, spy, 2000);
      await expect(noApp.createAppPayment({ order: o, openid: o.openid, notifyUrl: notifyUrl() })).rejects.toBeInstanceOf(ConfigError);
      const latipay = await stack.fn('pay', { action: 'createAppPayment', provider: 'latipay', items: [{ sku: 'coffee', quantity: 1 }], code: stack.code('x') });
      expect(latipay.status).toBe(400);
      expect(latipay.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'provider' });
    });

    it('a tampered app sign is refused by the WeChat SDK stand-in', async () => {
      const reply = await stack.fn('pay', { action: 'createAppPayment', provider: 'ottpay', items: [{ sku: 'coffee', quantity: 1 }], code: stack.code('apptamper') });
      const p = reply.body.appPayment as Record<string, string>;
      const res = await stack.post('/sandbox/ottpay/appPay', JSON.stringify({ ...p, sign: p.sign!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }), 'application/json');
      expect(res.status).toBe(401);
    });
  });

  it('the simulator helpers round-trip (crypto-js side)', () => {
    const e = ottEncrypt({ b: '2', a: '1', payInfo: { x: 'y' } }, 'SignKey123456789');
    expect(ottDecrypt(e.data, e.md5, 'SignKey123456789')).toEqual({ b: '2', a: '1', payInfo: { x: 'y' } });
    expect(ottDecrypt(e.data, e.md5, 'OtherKey12345678')).toBeUndefined();
  });
});

describe('OTT Pay configuration', () => {
  const base = { WECHAT_APPID: 'wx0123456789abcdef', WECHAT_APP_SECRET: 's', NOTIFY_BASE_URL: 'https://example.com/payNotify', PAY_PROVIDERS: 'ottpay' };
  it('names every missing or malformed OTTPAY_ variable', () => {
    let error: unknown;
    try {
      loadConfig({ ...base, OTTPAY_APP_ID: 'not-an-app', OTTPAY_API_BASE: 'ftp://x' }, { requireAppSecret: true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(variables).toEqual(['OTTPAY_API_BASE', 'OTTPAY_APP_ID', 'OTTPAY_MERCHANT_ID', 'OTTPAY_OPERATOR_ID', 'OTTPAY_SIGN_KEY']);
  });
  it('defaults the API base to frontapi.ottpay.com and leaves the in-app id optional', () => {
    const config = loadConfig(
      { ...base, OTTPAY_MERCHANT_ID: 'QC00005496', OTTPAY_OPERATOR_ID: '0000000005', OTTPAY_SIGN_KEY: '6698851A525C9433' },
      { requireAppSecret: true },
    );
    expect(config.providerConfigs.ottpay).toMatchObject({ apiBase: 'https://frontapi.ottpay.com:443', appPayAction: 'APPPAY', signKey: '6698851A525C9433' });
    expect((config.providerConfigs.ottpay as OttpayConfig | undefined)?.appId).toBeUndefined();
    expect(config.providerConfigs.latipay).toBeUndefined();
  });
});
