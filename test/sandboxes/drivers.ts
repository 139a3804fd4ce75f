/**
 * Drives each provider simulator over real HTTP the way its provider's merchant would, with
 * the test's own signing code (not the adapters: the simulators are checked on their own,
 * whatever the server does): a paid order placed and paid directly, refunds, refund queries
 * and payment queries, and the simulator's control endpoints. Also a loopback receiver that
 * counts refund callbacks and lets a test wait for them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSign, createVerify, randomBytes } from 'node:crypto';
import CryptoJS from 'crypto-js';
import { ottDecrypt, ottEncrypt } from '../../local/sandboxes/ottpay/sandbox';
import type { TestStack } from '../helpers/local-stack';

export type Json = Record<string, any>;

/** A reply as the merchant sees it, or the connection dying before any answer. */
export type Reply = { lost: false; status: number; contentType: string; text: string; json?: Json } | { lost: true; error: string };

export async function send(url: string, init: RequestInit): Promise<Reply> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, init);
    text = await res.text();
  } catch (e) {
    return { lost: true, error: e instanceof Error ? `${e.message} ${String((e as { cause?: unknown }).cause ?? '')}` : String(e) };
  }
  let json: Json | undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed !== null && typeof parsed === 'object') json = parsed as Json;
  } catch {
    json = undefined;
  }
  return { lost: false, status: res.status, contentType: res.headers.get('content-type') ?? '', text, ...(json ? { json } : {}) };
}

export const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  send(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Counts NewPay refund callbacks per refundOrderNo and answers `{"transResult":"SUCCESS"}`. */
export class CallbackReceiver {
  private server: Server | undefined;
  readonly bodies = new Map<string, Json[]>();
  private waiters: { refundNo: string; count: number; resolve: () => void }[] = [];
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"transResult":"SUCCESS"}');
        if (req.url !== '/refund') return; // payment callbacks: acknowledged, not counted
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json;
        const refundNo = String(body.refundOrderNo);
        this.bodies.set(refundNo, [...(this.bodies.get(refundNo) ?? []), body]);
        this.waiters = this.waiters.filter((w) => {
          if (w.refundNo !== refundNo || this.count(refundNo) < w.count) return true;
          w.resolve();
          return false;
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  count(refundNo: string): number {
    return this.bodies.get(refundNo)?.length ?? 0;
  }

  /** Resolves once `count` callbacks for the refund have arrived. */
  waitFor(refundNo: string, count: number): Promise<void> {
    if (this.count(refundNo) >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ refundNo, count, resolve }));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}

/** A paid order at a simulator: the merchant's orderNo, the provider's own id, its amount in minor units. */
export interface PaidOrder {
  orderNo: string;
  providerRef: string;
  amount: number;
}

export interface ProviderDriver {
  name: 'latipay' | 'ottpay' | 'newpay';
  /** Places and pays an order directly at the simulator (its notifications are dropped). */
  paidOrder(): Promise<PaidOrder>;
  /** Sends one refund of `amount` minor units, numbered `refundNo`. */
  refund(order: PaidOrder, refundNo: string, amount: number): Promise<Reply>;
  /** The provider's documented success shape for that refund. */
  isSuccess(reply: Reply, refundNo: string): boolean;
  /** The documented code the reply carries when it is a refusal, else undefined. */
  refusalCode(reply: Reply): string | undefined;
  /** What the simulator answers for a refund over what remains. */
  overRefundCode: string;
  /** The refusal code a `refused` scenario answers. */
  refusedCode: string;
  /** The undocumented code of an uncertain `code` answer. */
  undocumentedCode: string;
  /** The refund's status as the provider's refund query reports it (none for Latipay). */
  queryRefund?(refundNo: string): Promise<string>;
  /** The raw status the provider's payment query reports, after checking its signature. */
  queryPayment(order: PaidOrder): Promise<string>;
}

const stamp = () => `${Date.now()}${randomBytes(3).toString('hex')}`;

async function payInWechat(stack: TestStack, params: { timeStamp: string; nonceStr: string; package: string; signType: string; paySign: string }): Promise<void> {
  const paid = await postJson(`${stack.url}/sandbox/wechat/requestPayment`, { ...params, result: 'pay', delivery: 'never' });
  if (paid.lost || paid.json?.errMsg !== 'requestPayment:ok') throw new Error(`requestPayment failed: ${JSON.stringify(paid)}`);
}

/** Latipay's sorted-parameter HMAC-SHA256 (doc.latipay.net v2), the test's own code. */
function latipaySign(params: Record<string, string>, apiKey: string): string {
  const message =
    Object.keys(params)
      .filter((k) => params[k] !== '')
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join('&') + apiKey;
  return CryptoJS.HmacSHA256(message, apiKey).toString(CryptoJS.enc.Hex);
}

export function latipayDriver(stack: TestStack, receiver: CallbackReceiver): ProviderDriver {
  const env = stack.env;
  const apiKey = env.LATIPAY_API_KEY ?? '';
  const base = `${stack.url}/sandbox/latipay`;
  const amounts = new Map<string, string>();
  return {
    name: 'latipay',
    async paidOrder() {
      const orderNo = `LT${stamp()}`;
      const fields: Record<string, string> = {
        user_id: env.LATIPAY_USER_ID ?? '',
        wallet_id: env.LATIPAY_WALLET_ID ?? '',
        amount: '11.00',
        notify_url: `${receiver.url}/pay`,
        merchant_reference: orderNo,
        product_name: 'Coffee x2',
        app_id: env.WECHAT_APPID ?? '',
        open_id: 'oTestOpenid0000000000000000',
      };
      const created = await postJson(`${base}/v2/miniapppay`, { ...fields, signature: latipaySign(fields, apiKey) });
      if (created.lost || created.json?.code !== 0) throw new Error(`miniapppay failed: ${JSON.stringify(created)}`);
      const p = created.json.payment as Json;
      await payInWechat(stack, { timeStamp: p.timeStamp, nonceStr: p.nonceStr, package: p.packageStr, signType: p.signType, paySign: p.paySign });
      amounts.set(orderNo, '11.00');
      return { orderNo, providerRef: String(created.json.paydata.order_id), amount: 1100 };
    },
    refund(order, refundNo, amount) {
      const fields: Record<string, string> = { user_id: env.LATIPAY_USER_ID ?? '', order_id: order.providerRef, refund_amount: (amount / 100).toFixed(2), reference: refundNo };
      return postJson(`${base}/refund`, { ...fields, signature: latipaySign(fields, apiKey) });
    },
    isSuccess: (reply) => !reply.lost && reply.status === 200 && reply.json?.code === 0,
    refusalCode: (reply) => (!reply.lost && reply.status === 200 && typeof reply.json?.code === 'number' && reply.json.code !== 0 ? String(reply.json.code) : undefined),
    overRefundCode: '551',
    refusedCode: '559',
    undocumentedCode: '999',
    async queryPayment(order) {
      const userId = env.LATIPAY_USER_ID ?? '';
      const signature = latipaySign({ merchant_reference: order.orderNo, user_id: userId }, apiKey);
      const reply = await send(`${base}/v2/transaction/${order.orderNo}?user_id=${userId}&signature=${signature}`, { method: 'GET' });
      if (reply.lost || !reply.json) throw new Error(`query failed: ${JSON.stringify(reply)}`);
      const q = reply.json;
      // The notify-style signature: merchant_reference + payment_method + status + currency + amount.
      const expected = CryptoJS.HmacSHA256(`${q.merchant_reference}${q.payment_method}${q.status}${q.currency}${amounts.get(order.orderNo)}`, apiKey).toString(CryptoJS.enc.Hex);
      if (expected !== q.signature) throw new Error('Latipay query answer is not signed over its status');
      return String(q.status);
    },
  };
}

export function ottpayDriver(stack: TestStack, receiver: CallbackReceiver): ProviderDriver {
  const env = stack.env;
  const signKey = env.OTTPAY_SIGN_KEY ?? '';
  const merchantId = env.OTTPAY_MERCHANT_ID ?? '';
  const call = (action: string, version: string, data: Json) =>
    postJson(`${stack.url}/sandbox/ottpay/processV2`, { action, version, merchant_id: merchantId, ...ottEncrypt(data, signKey) }, { Accept: 'application/json' });
  const decrypted = (reply: Reply): Json | undefined => (reply.lost || !reply.json ? undefined : ottDecrypt(reply.json.data, reply.json.md5, signKey));
  return {
    name: 'ottpay',
    async paidOrder() {
      const orderNo = `OT${stamp()}`;
      const created = await call('MAPPPAY', '1.1', {
        order_id: orderNo,
        operator_id: env.OTTPAY_OPERATOR_ID ?? '',
        amount: '880',
        tip: '0',
        biz_type: 'WECHATPAY',
        app_id: env.WECHAT_APPID ?? '',
        open_id: 'oTestOpenid0000000000000000',
        call_back_url: `${receiver.url}/pay`,
      });
      const d = decrypted(created);
      if (!d) throw new Error(`MAPPPAY failed: ${JSON.stringify(created)}`);
      const p = d.payInfo as Json;
      await payInWechat(stack, { timeStamp: p.timeStamp, nonceStr: p.nonceStr, package: p.packageStr, signType: p.signType, paySign: p.paySign });
      return { orderNo, providerRef: orderNo, amount: 880 };
    },
    refund: (order, refundNo, amount) => call('REFUND', '1.0', { order_id: refundNo, ori_order_id: order.orderNo, refund_amt: String(amount) }),
    isSuccess(reply, refundNo) {
      const d = decrypted(reply);
      return !reply.lost && reply.status === 200 && reply.json?.rsp_code === 'SUCCESS' && d?.order_id === refundNo && d?.order_status === 'SUCCESS';
    },
    refusalCode: (reply) => (!reply.lost && reply.status === 200 && typeof reply.json?.rsp_code === 'string' && reply.json.rsp_code !== 'SUCCESS' ? reply.json.rsp_code : undefined),
    overRefundCode: 'FAIL',
    refusedCode: 'FAIL',
    undocumentedCode: 'SYSTEM_BUSY',
    async queryRefund(refundNo) {
      const reply = await call('STATUS_QUERY', '1.0', { order_id: refundNo });
      const d = decrypted(reply);
      if (!d) throw new Error(`refund STATUS_QUERY failed: ${JSON.stringify(reply)}`);
      return String(d.order_status);
    },
    async queryPayment(order) {
      const reply = await call('STATUS_QUERY', '1.0', { order_id: order.orderNo });
      const d = decrypted(reply);
      if (!d) throw new Error(`STATUS_QUERY failed (or its md5 does not match): ${JSON.stringify(reply)}`);
      return String(d.order_status);
    },
  };
}

/** NewPay's section 8 signing string, the test's own code: sorted k=v, null dropped, objects as JSON. */
function newpayText(params: Json): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== null && params[k] !== undefined)
    .sort()
    .map((k) => `${k}=${typeof params[k] === 'object' ? JSON.stringify(params[k]) : String(params[k])}`)
    .join('&');
}

export function newpaySigned(fields: Json, privatePem: string): Json {
  return { ...fields, sign: createSign('RSA-SHA256').update(newpayText(fields), 'utf8').sign(privatePem, 'base64') };
}

/** Whether NewPay (the platform key) signed these fields. */
export function newpayVerified(fields: Json | undefined, publicPem: string): boolean {
  if (!fields || typeof fields.sign !== 'string') return false;
  return createVerify('RSA-SHA256').update(newpayText(fields), 'utf8').verify(publicPem, fields.sign, 'base64');
}

export function newpayDriver(stack: TestStack, receiver: CallbackReceiver): ProviderDriver {
  const env = stack.env;
  const privatePem = env.NEWPAY_PRIVATE_KEY ?? '';
  const platformPem = env.NEWPAY_PUBLIC_KEY ?? '';
  const base = `${stack.url}/sandbox/newpay`;
  const v1 = (path: string, fields: Json) => postJson(`${base}${path}`, newpaySigned(fields, privatePem), { version: '1.0' });
  const v2 = (path: string, fields: Json) => postJson(`${base}/beta/pay${path}`, newpaySigned({ appId: env.NEWPAY_QUERY_APP_ID, mchId: env.NEWPAY_QUERY_MCH_ID, ...fields }, privatePem));
  const signedData = (reply: Reply): Json => {
    if (reply.lost || reply.json?.success !== true || !newpayVerified(reply.json.data as Json, platformPem)) throw new Error(`not a signed NewPay answer: ${JSON.stringify(reply)}`);
    return reply.json.data as Json;
  };
  return {
    name: 'newpay',
    async paidOrder() {
      const orderNo = `NP${stamp()}`;
      const created = await v1('/api/open/converge/pay/v2/createOpenMini', {
        appId: env.NEWPAY_APP_ID,
        merchantId: env.NEWPAY_MERCHANT_ID,
        timestamp: Date.now(),
        currency: 'LAK',
        orderAmt: '60000',
        orderNo,
        subject: 'Flat white x2',
        callBackUrl: `${receiver.url}/pay`,
        envVersion: 'release',
      });
      const newpayOrderNo = String(signedData(created).newpayOrderNo);
      const mini = await postJson(`${base}/api/open/converge/pay/v2/getMiniPayment`, { code: `test-np-${randomBytes(6).toString('hex')}`, newpayOrderNo, timestamp: Date.now() }, { version: '1.0' });
      const d = signedData(mini);
      const seconds = String(Math.floor(Number((mini as { json: Json }).json.timestamp) / 1000));
      await payInWechat(stack, { timeStamp: String(d.timeStamp ?? seconds), nonceStr: d.nonceStr, package: d.package, signType: d.signType, paySign: d.paySign });
      return { orderNo, providerRef: newpayOrderNo, amount: 60000 };
    },
    refund: (order, refundNo, amount) =>
      v1('/api/open/converge/pay/v1/refund', {
        appId: env.NEWPAY_APP_ID,
        merchantId: env.NEWPAY_MERCHANT_ID,
        timestamp: Date.now(),
        refundOrderAmt: String(amount),
        orderNo: order.orderNo,
        refundOrderNo: refundNo,
        refundDesc: 'test refund',
        callBackUrl: `${receiver.url}/refund`,
      }),
    isSuccess(reply, refundNo) {
      if (reply.lost || reply.json?.success !== true) return false;
      const d = reply.json.data as Json;
      return newpayVerified(d, platformPem) && d.refundOrderNo === refundNo && d.tranStatus === 1;
    },
    refusalCode: (reply) => (!reply.lost && reply.status === 200 && reply.json?.success === false && typeof reply.json.code === 'string' ? reply.json.code : undefined),
    overRefundCode: 'Z01020',
    refusedCode: 'Z00048',
    undocumentedCode: 'Z99999',
    async queryRefund(refundNo) {
      return String(signedData(await v2('/uniQueryRefund', { mchRefundNo: refundNo })).refundStatus);
    },
    async queryPayment(order) {
      return String(signedData(await v2('/uniQueryPay', { mchOrderNo: order.orderNo })).payStatus);
    },
  };
}
