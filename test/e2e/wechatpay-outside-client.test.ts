/**
 * Issue 17's "Judged by", as an outside client does it, over HTTP only: its own merchant key,
 * APIv3 key and platform key pair in the environment of the local stack (the variables
 * `npm start` reads), PAY_PROVIDERS naming wechatpay. It checks paySign with its own merchant
 * public key, has the WeChat sandbox pay, signs and encrypts notifications itself (node:crypto
 * here, apart from the adapter), and refunds through the admin function. Run in both key modes:
 * a platform certificate the product downloads, and a WeChat Pay public key id.
 */
import { createCipheriv, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { startTestStack, type TestStack } from '../helpers/local-stack';

type Json = Record<string, any>;

const pem = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }).toString();

describe.each([
  ['a platform certificate', '5F3A9C00112233445566778899AABBCCDDEEFF01'],
  ['a WeChat Pay public key', 'PUB_KEY_ID_0114232134912410000000000000'],
])('WeChat Pay Global for an outside client whose platform key is %s', (_mode, platformKeyId) => {
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const platform = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const apiV3Key = randomBytes(16).toString('hex');
  const mchId = '1230000109';
  let stack: TestStack;
  let offset = 0;

  beforeAll(async () => {
    stack = await startTestStack(
      {
        PAY_PROVIDERS: 'wechatpay',
        WECHATPAY_MCH_ID: mchId,
        WECHATPAY_PRIVATE_KEY: pem(merchant).replace(/\n/g, '\\n'),
        WECHATPAY_CERT_SERIAL: '7A1B2C3D4E5F60718293A4B5C6D7E8F901234567',
        WECHATPAY_API_V3_KEY: apiV3Key,
        WECHATPAY_CURRENCY: 'HKD',
        SANDBOX_WECHATPAY_PLATFORM_PRIVATE_KEY: pem(platform),
        SANDBOX_WECHATPAY_PLATFORM_KEY_ID: platformKeyId,
        RECONCILE_AFTER_MINUTES: '1',
      },
      { now: () => Date.now() + offset },
    );
  });
  afterAll(async () => {
    await stack.close();
  });

  async function createOrder(user: string): Promise<{ order: Json; payment: Json }> {
    const res = await stack.fn('pay', { action: 'createOrder', provider: 'wechatpay', items: [{ sku: 'coffee', quantity: 2 }], code: stack.code(user) });
    expect(res.body.ok).toBe(true);
    return res.body as { order: Json; payment: Json };
  }

  const pay = (payment: Json, delivery = 'normal') =>
    fetch(`${stack.url}/sandbox/wechat/requestPayment`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...payment, result: 'pay', delivery }) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));

  async function view(orderNo: string): Promise<{ order: Json; events: Json[] }> {
    return (await (await fetch(`${stack.url}/api/orders/${orderNo}`)).json()) as { order: Json; events: Json[] };
  }
  const paidTransitions = (p: { events: Json[] }) => p.events.filter((e) => e.type === 'status_changed' && e.detail?.to === 'PAID').length;

  /** The notification WeChat Pay would send for a paid order, made by the client itself. */
  function notification(order: Json, o: { key?: KeyObject; serial?: string; timestamp?: number; signature?: string; tamper?: boolean; state?: string } = {}) {
    const resource = {
      mchid: mchId,
      appid: stack.env.WECHATPAY_APPID ?? stack.app.config.wechat.appId,
      out_trade_no: order.orderNo,
      transaction_id: `4200000${Date.now()}${randomBytes(3).toString('hex')}`,
      trade_type: 'JSAPI',
      trade_state: o.state ?? 'SUCCESS',
      trade_state_desc: 'Payment successful',
      bank_type: 'OTHERS',
      success_time: new Date().toISOString(),
      payer: { openid: 'o-client-made' },
      amount: { total: order.amount, currency: order.currency, payer_total: order.amount, payer_currency: 'CNY' },
    };
    const nonce = randomBytes(6).toString('hex');
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(nonce));
    cipher.setAAD(Buffer.from('transaction'));
    const bytes = Buffer.concat([cipher.update(JSON.stringify(resource)), cipher.final(), cipher.getAuthTag()]);
    if (o.tamper) bytes[3] = (bytes[3] ?? 0) ^ 0x01;
    const body = JSON.stringify({
      id: randomUUID(),
      create_time: new Date().toISOString(),
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: 'Payment successful',
      resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext: bytes.toString('base64'), associated_data: 'transaction', nonce },
    });
    const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
    const nonceHeader = randomBytes(16).toString('hex');
    const signature = o.signature ?? sign('sha256', Buffer.from(`${timestamp}\n${nonceHeader}\n${body}\n`), o.key ?? platform).toString('base64');
    return { body, headers: { 'Wechatpay-Timestamp': timestamp, 'Wechatpay-Nonce': nonceHeader, 'Wechatpay-Signature': signature, 'Wechatpay-Serial': o.serial ?? platformKeyId, 'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048' } };
  }
  const deliver = (n: { body: string; headers: Record<string, string> }) => stack.post('/notify/wechatpay', n.body, 'application/json', n.headers);

  it('a mini program order returns an RSA paySign that verifies with the merchant public key; the sandbox pays it and the order turns PAID', async () => {
    const { order, payment } = await createOrder('judge-pay');
    expect(payment.signType).toBe('RSA');
    const message = `${stack.app.config.wechat.appId}\n${payment.timeStamp}\n${payment.nonceStr}\n${payment.package}\n`;
    expect(verify('sha256', Buffer.from(message), createPublicKey(merchant), Buffer.from(payment.paySign, 'base64'))).toBe(true);
    expect((await pay(payment)).body.errMsg).toBe('requestPayment:ok');
    expect((await stack.waitForStatus(order.orderNo, 'judge-pay', 'PAID')).status).toBe('PAID');
  });

  it('its own signed and encrypted notification pays an order; wrong key, wrong serial, 6 minutes old, SIGNTEST and tampered ciphertext change nothing; a replay makes one transition', async () => {
    const { order, payment } = await createOrder('judge-notify');
    expect((await pay(payment, 'never')).body.errMsg).toBe('requestPayment:ok');
    const refusals = [
      notification(order, { key: stranger }),
      notification(order, { serial: '1111111111111111111111111111111111111111' }),
      notification(order, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }),
      notification(order, { signature: `WECHATPAY/SIGNTEST/${randomBytes(64).toString('base64')}` }),
      notification(order, { tamper: true }),
    ];
    for (const forged of refusals) {
      const res = await deliver(forged);
      expect(res.status).toBeGreaterThanOrEqual(400);
    }
    // Missing Wechatpay-* headers (a proxy stripped them) are refused too, saying so.
    const stripped = await stack.post('/notify/wechatpay', notification(order).body, 'application/json');
    expect(stripped.status).toBe(401);
    expect(stripped.text).toMatch(/proxy|CDN/);
    expect((await view(order.orderNo)).order.status).toBe('PAYING');

    const genuine = notification(order);
    const replies = await Promise.all([deliver(genuine), deliver(genuine), deliver(genuine)]);
    for (const r of replies) expect(r.status).toBe(200);
    const after = await view(order.orderNo);
    expect(after.order.status).toBe('PAID');
    expect(paidTransitions(after)).toBe(1);
  });

  it('partial then full refunds succeed; a second refund within a minute is refused before WeChat Pay is asked', async () => {
    const { order, payment } = await createOrder('judge-refund');
    await pay(payment);
    await stack.waitForStatus(order.orderNo, 'judge-refund', 'PAID');
    const admin = (data: Json) => stack.fn('admin', { code: stack.code('operator'), ...data });
    const part = Math.floor(order.amount / 4);
    const first = await admin({ action: 'refund', orderNo: order.orderNo, amount: part });
    expect(first.body.ok).toBe(true);
    const asked = stack.sandboxes.wechatpay.receivedCount;
    const tooSoon = await admin({ action: 'refund', orderNo: order.orderNo, amount: order.amount - part });
    expect(tooSoon.status).toBe(409);
    expect(stack.sandboxes.wechatpay.receivedCount).toBe(asked);
    offset += 61_000;
    // WeChat Pay's own one-minute rule runs on the simulator's scaled clock; the engine's clock moved.
    stack.sandboxes.wechatpay.refundIntervalMs = 0;
    const rest = await admin({ action: 'refund', orderNo: order.orderNo, amount: order.amount - part });
    expect(rest.body.ok).toBe(true);
    const full = await stack.waitForStatus(order.orderNo, 'judge-refund', 'REFUNDED');
    expect(full).toMatchObject({ status: 'REFUNDED', refundedAmount: order.amount });
  });

  it('NOT_ENOUGH leaves the refund pending, the operator sees why, and reconcile sends it again with the same out_refund_no', async () => {
    const { order, payment } = await createOrder('judge-pool');
    await pay(payment);
    await stack.waitForStatus(order.orderNo, 'judge-pool', 'PAID');
    stack.sandboxes.wechatpay.refundIntervalMs = 0;
    const scenario = await fetch(`${stack.url}/sandbox/wechatpay/next-refund`, { method: 'POST', body: JSON.stringify({ answer: 'NOT_ENOUGH' }) });
    expect(await scenario.json()).toEqual({ ok: true });
    const admin = (data: Json) => stack.fn('admin', { code: stack.code('operator'), ...data });
    const res = await admin({ action: 'refund', orderNo: order.orderNo, amount: order.amount });
    expect(res.body.ok).toBe(true);
    expect(res.body.refund.status).toBe('PENDING');
    const refundNo = res.body.refund.refundNo as string;
    const seen = await admin({ action: 'getOrder', orderNo: order.orderNo });
    expect(JSON.stringify(seen.body.timeline)).toMatch(/NOT_ENOUGH/);
    offset += 2 * 3600_000;
    await stack.fn('reconcile', {});
    const done = await stack.waitForStatus(order.orderNo, 'judge-pool', 'REFUNDED');
    expect(done.status).toBe('REFUNDED');
    const refunds = (await admin({ action: 'getOrder', orderNo: order.orderNo })).body.refunds as Json[];
    expect(refunds.map((r) => [r.refundNo, r.status])).toEqual([[refundNo, 'SUCCEEDED']]);
  });
});
