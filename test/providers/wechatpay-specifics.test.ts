/**
 * WeChat Pay Global specifics against its simulator over HTTP: the simulator refuses requests
 * as WeChat Pay does, a rotated platform certificate is fetched when its serial first signs,
 * close and query read their codes through the outcome table, and REFUND.ABNORMAL asks for a
 * person. Plus the key store's bounds, on a fake clock.
 */
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { Formatter, Rsa } from 'wechatpay-axios-plugin';
import { providerConfig } from '../../server/config';
import type { Order } from '../../server/domain/order';
import type { WechatPayProvider } from '../../server/providers/wechatpay/adapter';
import type { WechatPayConfig } from '../../server/providers/wechatpay/config';
import { MIN_REFETCH_INTERVAL_MS, PlatformKeys, REFRESH_EVERY_MS } from '../../server/providers/wechatpay/platform-keys';
import { startTestStack, type TestStack } from '../helpers/local-stack';

describe('WeChat Pay Global against its simulator', () => {
  let stack: TestStack;
  let adapter: WechatPayProvider;
  let config: WechatPayConfig;
  beforeAll(async () => {
    stack = await startTestStack({ PAY_PROVIDERS: 'wechatpay' });
    adapter = stack.app.service.deps.providers.require('wechatpay').adapter as WechatPayProvider;
    config = providerConfig<WechatPayConfig>(stack.app.config, 'wechatpay');
    stack.sandboxes.wechatpay.silentNotifications = true;
    stack.sandboxes.wechatpay.refundIntervalMs = 0;
  });
  afterAll(async () => {
    await stack.close();
  });

  let n = 0;
  const order = (createdAt = Date.now()): Order => ({
    orderNo: `${Date.now()}${String(++n).padStart(4, '0')}`,
    openid: 'oSpecifics000000000000000000',
    provider: 'wechatpay',
    status: 'PAYING',
    amount: 3800,
    currency: 'HKD',
    description: 'Flat white',
    items: [],
    createdAt,
    updatedAt: createdAt,
    expiresAt: createdAt + 60_000,
  } as Order);
  const create = (o: Order) => adapter.createMiniPayment({ order: o, openid: o.openid, notifyUrl: `${stack.url}/notify/wechatpay` });

  /** A GET signed by wechatpay-axios-plugin's own formatting (its field order), with tweaks. */
  async function pluginGet(path: string, tweak: { serial?: string; timestamp?: number } = {}) {
    const full = `/sandbox/wechatpay${path}`;
    const ts = String(tweak.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = Formatter.nonce();
    const signature = Rsa.sign(Formatter.request('GET', full, ts, nonce), config.privateKey);
    const auth = Formatter.authorization(config.mchId, nonce, signature, ts, tweak.serial ?? config.certSerial);
    const res = await fetch(stack.url + full, { headers: { Authorization: auth, Accept: 'application/json' } });
    return { status: res.status, json: (await res.json()) as Record<string, unknown>, signed: res.headers.get('wechatpay-signature') !== null };
  }

  it('accepts a request signed by another v3 implementation, and refuses a wrong serial or a 6-minute-old timestamp with an unsigned 401 SIGN_ERROR', async () => {
    expect(await pluginGet('/v3/global/certificates')).toMatchObject({ status: 200, signed: true });
    expect(await pluginGet('/v3/global/certificates', { serial: '1234567890ABCDEF1234567890ABCDEF12345678' })).toMatchObject({ status: 401, json: { code: 'SIGN_ERROR' }, signed: false });
    expect(await pluginGet('/v3/global/certificates', { timestamp: Math.floor(Date.now() / 1000) - 360 })).toMatchObject({ status: 401, json: { code: 'SIGN_ERROR' }, signed: false });
  });

  it('a rotated certificate is listed before it signs; once it signs, the adapter fetches it and goes on', async () => {
    await create(order());
    const before = adapter.keys.serials();
    const later = await (await fetch(`${stack.url}/sandbox/wechatpay/rotate`, { method: 'POST', body: JSON.stringify({ activateInMs: 3_600_000 }) })).json() as { serial: string; previous: string };
    expect(before).toContain(later.previous);
    const listed = (await pluginGet('/v3/global/certificates')).json.data as { serial_no: string }[];
    expect(listed.map((c) => c.serial_no).sort()).toEqual([later.previous, later.serial].sort());
    const now = await (await fetch(`${stack.url}/sandbox/wechatpay/rotate`, { method: 'POST', body: JSON.stringify({ activateInMs: 0 }) })).json() as { serial: string };
    expect(adapter.keys.serials()).not.toContain(now.serial);
    const o = order();
    await create(o);
    expect(adapter.keys.serials()).toContain(now.serial);
    expect((await adapter.queryPayment(o)).outcome).toBe('pending');
  });

  it('query and close read their codes through the table: PAYERROR failed, an unknown state uncertain, close before 5 minutes never asked, ORDERPAID paid', async () => {
    const o = order(Date.now() - 10 * 60_000);
    const created = await create(o);
    for (const [status, outcome] of [['PAYERROR', 'failed'], ['REVOKED', 'closed'], ['SOMETHING_NEW', 'uncertain']] as const) {
      await fetch(`${stack.url}/sandbox/wechatpay/next-query`, { method: 'POST', body: JSON.stringify({ status }) });
      expect(await adapter.queryPayment(o)).toMatchObject({ outcome, code: status });
    }
    const asked = stack.sandboxes.wechatpay.receivedCount;
    expect((await adapter.closePayment(order())).outcome).toBe('uncertain');
    expect(stack.sandboxes.wechatpay.receivedCount).toBe(asked);
    await stack.requestPayment({ ...created.payment }, 'pay');
    expect(await adapter.closePayment(o)).toMatchObject({ outcome: 'paid', code: 'ORDERPAID' });
  });

  it('next-refund: NOT_ENOUGH is uncertain with its reason, refused is a signed refusal, REFUND.ABNORMAL asks for a person; 400 names a bad field', async () => {
    const o = order();
    const created = await create(o);
    await stack.requestPayment({ ...created.payment }, 'pay');
    const refund = (refundNo: string, amount: number) => ({ refundNo, orderNo: o.orderNo, provider: 'wechatpay', amount, currency: 'HKD', status: 'PENDING', createdAt: Date.now(), updatedAt: Date.now() }) as never;
    const input = (r: never) => ({ order: o, refund: r, notifyUrl: `${stack.url}/notify/wechatpay` });
    const bad = await fetch(`${stack.url}/sandbox/wechatpay/next-refund`, { method: 'POST', body: JSON.stringify({ answer: 'maybe' }) });
    expect([bad.status, ((await bad.json()) as { error: { field: string } }).error.field]).toEqual([400, 'answer']);
    await fetch(`${stack.url}/sandbox/wechatpay/next-refund`, { method: 'POST', body: JSON.stringify({ answer: 'NOT_ENOUGH' }) });
    const r1 = refund(`R${randomBytes(6).toString('hex')}`, 1000);
    expect(await adapter.refund(input(r1))).toMatchObject({ outcome: 'uncertain', code: 'NOT_ENOUGH', summary: expect.stringMatching(/pool/) });
    expect(await adapter.refund({ ...input(r1), resend: true })).toMatchObject({ outcome: 'succeeded' });
    await fetch(`${stack.url}/sandbox/wechatpay/next-refund`, { method: 'POST', body: JSON.stringify({ answer: 'refused' }) });
    expect(await adapter.refund(input(refund(`R${randomBytes(6).toString('hex')}`, 500)))).toMatchObject({ outcome: 'refused', code: 'USER_ACCOUNT_ABNORMAL' });
    const abnormal = stack.sandboxes.wechatpay.refundNotification((r1 as { refundNo: string }).refundNo, 'REFUND.ABNORMAL');
    const inbound = { headers: abnormal.headers, rawBody: Buffer.from(abnormal.body), query: {} };
    expect(adapter.isRefundNotification(inbound)).toBe(true);
    expect(adapter.verifyRefundNotification(inbound)).toMatchObject({ outcome: 'uncertain', attention: expect.stringMatching(/by hand/) });
  });
});

describe('platform key store bounds', () => {
  const key = createPublicKey(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey);
  it('fetches on an unknown serial at most once a minute, and again after 12 hours', async () => {
    let now = 1_000_000;
    let downloads = 0;
    const keys = new PlatformKeys({ now: () => now, download: async () => (++downloads, [{ serial: 'AA', publicKey: key, expiresAt: now + 10 * REFRESH_EVERY_MS }]) });
    await keys.ensureFresh();
    expect(keys.keyFor('AA')).toBeDefined();
    // A flood of forged serials within the minute costs nothing more.
    for (let i = 0; i < 100; i++) await keys.ensureSerial(`FORGED${i}`);
    expect(downloads).toBe(2);
    now += MIN_REFETCH_INTERVAL_MS;
    await keys.ensureSerial('FORGED');
    expect(downloads).toBe(3);
    await keys.ensureFresh();
    expect(downloads).toBe(3);
    now += REFRESH_EVERY_MS;
    await keys.ensureFresh();
    expect(downloads).toBe(4);
  });
});
