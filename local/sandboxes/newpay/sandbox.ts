/**
 * A NewPay (Laos) simulator at the real API paths (the adapter only changes its base URL),
 * written from the docs (newpay-api-document.gitbook.io section 4, /work/shared seeds) apart
 * from the adapter: its own signing-string and RSA code on node:crypto (crypto-js has no RSA),
 * never server/providers/newpay/*.
 *
 * - It has its own platform key pair, generated at start; the local stack gives the public half
 *   to the adapter as the NEWPAY_PUBLIC_KEY default. It verifies merchant requests with the
 *   merchant public key (the local stack generates the merchant pair too: nothing secret-looking
 *   is committed, and every start has fresh keys).
 * - createOpenMini / getMiniPayment / Converge createOrder (web and mobile) answer the
 *   documented envelope `{success, message, code, timestamp, data}`, `data` signed with the
 *   platform key. Refusals use NewPay's documented codes (Z00005, Z00007, Z00016, Z00018,
 *   Z00020, Z00023, Z01008, Z01009, Z01028, E9008); what the docs give no code for answers
 *   `SIM400` (and WeChat's own errcode for a bad login code).
 * - getMiniPayment spends the wx.login code through the WeChat sandbox's jscode2session (one
 *   used-code set for the whole stack, as in WeChat), returns v3 RSA-signed mini program
 *   parameters WITHOUT `timeStamp` (as documented): paySign signs the envelope `timestamp` in
 *   seconds. `timeStampInData` makes it answer a `data.timeStamp` (different from the envelope)
 *   instead, so both adapter paths are exercised.
 * - On pay it POSTs the signed JSON callback to callBackUrl, then retries (NewPay: every 5
 *   minutes, 3 times; here every SANDBOX_RETRY_MS) until `{"transResult":"SUCCESS"}`.
 */
import { createPublicKey, createSign, createVerify, generateKeyPair, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { deliver } from '../notifier';
import { isTransResultSuccess } from './acknowledgement';
import { NewPayRefunds } from './refunds';
import { Misbehaviour } from '../misbehaviour';
import type { SandboxRequest, SimReply } from '../types';
import { runDelivery, type DeliveryMode } from '../delivery';
import type { WechatSandbox } from '../wechat';
import { BoundedMap } from '../../bounded-map';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface RsaPemPair {
  privatePem: string;
  publicPem: string;
}

export interface NewPayLocalKeys {
  /** NewPay's platform pair: the simulator signs with it; the adapter verifies with its public half. */
  platform: RsaPemPair;
  /** The merchant pair for the local defaults: the adapter signs, the simulator verifies. */
  merchant: RsaPemPair;
}

async function rsaPair(): Promise<RsaPemPair> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

let keysOnce: Promise<NewPayLocalKeys> | undefined;

/** RSA-2048 pairs for the local stack, generated once per process (about 0.2 s). */
export function newpayLocalKeys(): Promise<NewPayLocalKeys> {
  keysOnce ??= Promise.all([rsaPair(), rsaPair()]).then(([platform, merchant]) => ({ platform, merchant }));
  return keysOnce;
}

export interface NewPaySandboxOptions {
  appId: string;
  merchantId: string;
  /** Verifies the merchant's request signatures (PEM or KeyObject). */
  merchantPublicKey: string | KeyObject;
  /** The platform pair the simulator signs responses, callbacks and paySign with. */
  platform: RsaPemPair;
  /** The mini program the scheme URLs open and the login codes belong to. */
  wechatAppId: string;
  wechatAppSecret: string;
  wechat: WechatSandbox;
  /** Where this simulator is reachable (`${stack}/sandbox/newpay`), for cashier payUrls. */
  publicBase: string;
  retryIntervalMs: number;
  log: (line: string) => void;
  /** The v2 credentials uniQueryPay answers to (gitbook 5.2); empty: the v2 query is refused. */
  queryAppId?: string;
  queryMchId?: string;
}

/**
 * The callback shapes NewPay's pages show, used in turn (one per order):
 * - example: the published callback example: `"orderAmt":"123.00"` (LAK written with two
 *   decimals), appId, payMethod, transStatus, settlementStatus and timestamp as JSON numbers;
 * - table: the field table's types: strings for amounts, appId and timestamp, whole LAK.
 */
export const CALLBACK_SHAPES = ['example', 'table'] as const;
export type CallbackShape = (typeof CALLBACK_SHAPES)[number];

export interface NewPaySimOrder {
  newpayOrderNo: string;
  orderNo: string;
  orderAmt: string;
  currency: string;
  subject: string;
  callBackUrl: string;
  /** Callback payMethod: 5 (WeChat) for mini program orders, the requested one for cashier orders. */
  payMethod: number;
  kind: 'mini' | 'cashier';
  extra: string;
  status: 'created' | 'paid' | 'failed' | 'expired';
  prepayId: string;
  silent: boolean;
  shape: CallbackShape;
}

type Json = Record<string, unknown>;

/** Section 8: params except sign, null/absent dropped (empty strings kept), sorted, k=v&... */
function signingText(params: Json): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== null && params[k] !== undefined)
    .sort()
    .map((k) => {
      const v = params[k];
      return `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`;
    })
    .join('&');
}

function rsaSign(text: string, privatePem: string): string {
  return createSign('RSA-SHA256').update(text, 'utf8').sign(privatePem, 'base64');
}

function rsaVerify(text: string, signature: string, publicKey: string | KeyObject): boolean {
  try {
    return createVerify('RSA-SHA256').update(text, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

function digits(n: number): string {
  return Array.from(randomBytes(n), (b) => String(b % 10)).join('');
}

const PAY_METHODS = [1, 3, 5, 6];
const MINI_PATH = '/api/open/converge/pay/v2/createOpenMini';
const MINI_PAYMENT_PATH = '/api/open/converge/pay/v2/getMiniPayment';
const WEB_PATH = '/api/open/converge/pay/v1/createOrder';
const MOBILE_PATH = '/api/open/converge/pay/v1/m/createOrder';
/** v2 query (gitbook 5.2: https://prod-openapi-v2.newpay.la/beta/pay/uniQueryPay), mounted beside v1. */
const UNI_QUERY_PAY_PATH = '/beta/pay/uniQueryPay';
/**
 * v2 refund query (gitbook 5.-apis-v2/5.4-query-refund: POST
 * https://prod-openapi-v2.newpay.la/beta/pay/uniQueryRefund, Content-Type application/json, no
 * version header). Request `{appId, mchId, newpayRefundNo?, mchRefundNo?, sign}`, at least one
 * of the two numbers. Response `{success, message, code, timestamp, data{newpayRefundNo,
 * mchRefundNo, newpayOrderNo, refundAmt{value, currency}, orderAmt{value, currency},
 * refundStatus, sign}}`; refundStatus SUCCESS / FAIL / PROCESSING, typed "int" in the table but
 * written as those strings: the strings are sent.
 */
const UNI_QUERY_REFUND_PATH = '/beta/pay/uniQueryRefund';
const PAY_STATUS: Record<NewPaySimOrder['status'], string> = { created: 'PROCESSING', paid: 'SUCCESS', failed: 'FAIL', expired: 'EXPIRED' };
const REFUND_PATH = '/api/open/converge/pay/v1/refund';

export class NewPaySandbox {
  private readonly orders = new BoundedMap<string, NewPaySimOrder>();
  private readonly byOrderNo = new BoundedMap<string, string>();
  /** The last 100 request paths received, in order, and how many in all (tests count what left the adapter). */
  readonly received: string[] = [];
  receivedCount = 0;
  /** Set by tests: new orders never send callbacks. */
  silentNotifications = false;
  /** Set by tests: getMiniPayment answers a data.timeStamp (7 s before its envelope timestamp). */
  timeStampInData = false;
  /** Set by tests: every new order's callbacks take this shape instead of the next in turn. */
  callbackShape: CallbackShape | undefined;
  private shapes = 0;
  readonly merchantPublicKey: KeyObject;

  /** The v1 refund and its callback (./refunds.ts). */
  readonly refunds: NewPayRefunds;
  /** next-refund, next-query and the refund books (../misbehaviour.ts). */
  readonly misbehaviour: Misbehaviour;

  constructor(private readonly o: NewPaySandboxOptions) {
    this.merchantPublicKey = typeof o.merchantPublicKey === 'string' ? createPublicKey(o.merchantPublicKey) : o.merchantPublicKey;
    this.refunds = new NewPayRefunds({
      appId: o.appId,
      merchantId: o.merchantId,
      findByOrderNo: (orderNo) => this.orders.get(this.byOrderNo.get(orderNo) ?? ''),
      verifyMerchant: (body) => typeof body.sign === 'string' && rsaVerify(signingText(body), body.sign, this.merchantPublicKey),
      signedBody: (fields) => JSON.stringify({ ...fields, sign: rsaSign(signingText(fields), o.platform.privatePem) }),
      ok: (data) => this.ok(data),
      fail: (code, message, status) => this.fail(code, message, status),
      misbehaviour: () => this.misbehaviour,
      retryIntervalMs: o.retryIntervalMs,
      log: o.log,
    });
    const booked = () => this.refunds.bookedOrders((orderNo) => this.orders.get(this.byOrderNo.get(orderNo) ?? ''));
    this.misbehaviour = new Misbehaviour('newpay', { orders: booked, order: (orderNo) => booked().find((b) => b.orderNo === orderNo) }, o.log);
  }

  /** The platform public key (PEM) the merchant verifies NewPay with. */
  get platformPublicKey(): string {
    return this.o.platform.publicPem;
  }

  /** Routes requests under /sandbox/newpay. */
  handle(req: SandboxRequest): SimReply {
    // The controls are not NewPay's API: they are not counted as requests received.
    const control = this.misbehaviour.handle(req);
    if (control) return control;
    this.receivedCount++;
    if (this.received.push(req.path) > 100) this.received.shift();
    // The cashier page a Converge payUrl opens (web or mobile): the shopper's side, not an API.
    const cashier = /^\/(?:m\/)?cashier\/([0-9A-Za-z]{1,64})$/.exec(req.path);
    if (cashier) return this.cashierPage(req, cashier[1] as string);
    if (req.method !== 'POST') return this.fail('SIM400', `NewPay APIs take POST, not ${req.method}`, 405);
    // v2 (gitbook section 5) has no version header.
    if (req.path === UNI_QUERY_PAY_PATH) return this.uniQueryPay(req.json());
    if (req.path === UNI_QUERY_REFUND_PATH) return this.uniQueryRefund(req.json());
    if (req.headers.version !== '1.0') return this.fail('SIM400', 'header version must be 1.0');
    if (req.path === MINI_PATH) return this.createOpenMini(req.json());
    if (req.path === MINI_PAYMENT_PATH) return this.getMiniPayment(req.json());
    if (req.path === REFUND_PATH) return this.refunds.refund(req.json());
    if (req.path === WEB_PATH || req.path === MOBILE_PATH) return this.createOrder(req.json(), req.path === MOBILE_PATH ? 'mobile' : 'web');
    return this.fail('SIM400', `no NewPay API at ${req.method} ${req.path}`, 404);
  }

  private fail(code: string, message: string, status = 200): SimReply {
    return { status, body: { success: false, message, code, timestamp: Date.now(), data: null } };
  }

  private ok(data: Json, timestamp = Date.now()): SimReply {
    return { status: 200, body: { success: true, message: 'success', code: '0', timestamp, data: { ...data, sign: rsaSign(signingText(data), this.o.platform.privatePem) } } };
  }

  /** Checks shared by both order APIs: fields, merchant signature, currency, amount, orderNo. */
  private checkOrderRequest(body: Json, required: readonly string[]): SimReply | undefined {
    if (typeof body.sign !== 'string' || body.sign === '' || !/^[A-Za-z0-9+/=\r\n]+$/.test(body.sign)) return this.fail('Z00005', 'sign is illegal');
    for (const field of required) {
      if (body[field] === undefined || body[field] === null || body[field] === '') return this.fail('SIM400', `${field} is required`);
    }
    // The key is looked up by merchant: another appId / merchantId cannot verify either.
    if (String(body.appId) !== this.o.appId || String(body.merchantId) !== this.o.merchantId) return this.fail('Z00007', 'sign verification failed');
    if (!rsaVerify(signingText(body), body.sign, this.merchantPublicKey)) return this.fail('Z00007', 'sign verification failed');
    if (typeof body.timestamp !== 'number' || Math.abs(Date.now() - body.timestamp) > 10 * 60_000) return this.fail('SIM400', 'timestamp must be the request time in ms');
    if (body.currency !== 'LAK' && body.currency !== 'USD') return this.fail('Z00016', 'currency must be LAK or USD');
    const amt = String(body.orderAmt);
    const pattern = body.currency === 'LAK' ? /^\d+$/ : /^\d+(\.\d{1,2})?$/;
    if (!pattern.test(amt)) return this.fail('Z00018', body.currency === 'LAK' ? 'LAK orderAmt must be an integer' : 'USD orderAmt has at most 2 decimals');
    if (!/[1-9]/.test(amt)) return this.fail('Z00020', 'orderAmt must be greater than 0');
    if (typeof body.orderNo !== 'string' || !/^[0-9A-Za-z_-]{1,32}$/.test(body.orderNo)) return this.fail('Z00023', 'orderNo is invalid');
    try {
      if (!/^https?:$/.test(new URL(String(body.callBackUrl)).protocol)) throw new Error('scheme');
    } catch {
      return this.fail('SIM400', 'callBackUrl is not a URL');
    }
    const existing = this.byOrderNo.get(body.orderNo);
    if (existing !== undefined) {
      return this.orders.get(existing)?.status === 'paid' ? this.fail('Z01008', 'order completed') : this.fail('Z01028', 'order number unavailable');
    }
    return undefined;
  }

  private newOrder(body: Json, kind: 'mini' | 'cashier', payMethod: number): NewPaySimOrder {
    const order: NewPaySimOrder = {
      newpayOrderNo: `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}${digits(10)}`,
      orderNo: String(body.orderNo),
      orderAmt: String(body.orderAmt),
      currency: String(body.currency),
      subject: typeof body.subject === 'string' ? body.subject : '',
      callBackUrl: String(body.callBackUrl),
      payMethod,
      kind,
      extra: typeof body.extra === 'string' ? body.extra : '',
      status: 'created',
      prepayId: `wx${Date.now()}${digits(10)}`,
      silent: this.silentNotifications,
      shape: this.callbackShape ?? (CALLBACK_SHAPES[this.shapes++ % CALLBACK_SHAPES.length] as CallbackShape),
    };
    this.orders.set(order.newpayOrderNo, order);
    this.byOrderNo.set(order.orderNo, order.newpayOrderNo);
    return order;
  }

  private orderData(order: NewPaySimOrder, tranAbbr: string, payUrl: string): Json {
    return {
      appId: this.o.appId,
      currency: order.currency,
      tranAbbr,
      tranNo: digits(20),
      orderAmt: order.orderAmt,
      payUrl,
      orderNo: order.orderNo,
      newpayOrderNo: order.newpayOrderNo,
    };
  }

  /** 4.2.2: places a mini program order; payUrl is a WeChat scheme opening the cashier page. */
  createOpenMini(body: Json): SimReply {
    const refused = this.checkOrderRequest(body, ['appId', 'merchantId', 'timestamp', 'currency', 'orderAmt', 'orderNo', 'callBackUrl']);
    if (refused) return refused;
    if (body.envVersion !== undefined && body.envVersion !== 'release' && body.envVersion !== 'trial') {
      return this.fail('SIM400', 'envVersion must be release or trial');
    }
    const order = this.newOrder(body, 'mini', 5);
    // The scheme's shape is not published; this is WeChat's URL-scheme form (design.md step 7).
    const payUrl =
      `weixin://dl/business/?appid=${this.o.wechatAppId}&path=pages/newpay-cashier/index` +
      `&query=${encodeURIComponent(`newpayOrderNo=${order.newpayOrderNo}`)}&env_version=${String(body.envVersion ?? 'release')}`;
    return this.ok(this.orderData(order, 'OPENMINI', payUrl));
  }

  /** 4.1: Converge cashier order (web or mobile). */
  createOrder(body: Json, channel: 'web' | 'mobile'): SimReply {
    const refused = this.checkOrderRequest(body, [
      'appId', 'merchantId', 'timestamp', 'payMethod', 'currency', 'orderAmt', 'orderNo',
      'callBackUrl', 'successPageUrl', 'failurePageUrl', 'cancelPageUrl',
    ]);
    if (refused) return refused;
    const payMethod = Number(body.payMethod);
    if (!PAY_METHODS.includes(payMethod)) return this.fail('SIM400', 'payMethod must be 1, 3, 5 or 6');
    if (payMethod === 6) {
      if (typeof body.subject !== 'string' || body.subject === '') return this.fail('SIM400', 'subject is required for Alipay');
      if (typeof body.extra !== 'string' || !/ANDROID|IOS/.test(body.extra.toUpperCase())) return this.fail('SIM400', 'extra must include ANDROID or IOS for Alipay');
    }
    const order = this.newOrder(body, 'cashier', payMethod);
    // The AppLink / page shapes are not published: a page under this simulator stands in.
    const payUrl = `${this.o.publicBase}/${channel === 'mobile' ? 'm/' : ''}cashier/${order.newpayOrderNo}?payMethod=${payMethod}`;
    return this.ok(this.orderData(order, 'CONVERGE', payUrl));
  }

  /** 4.2.3: code + newpayOrderNo → RSA-signed wx.requestPayment parameters. */
  getMiniPayment(body: Json): SimReply {
    for (const field of ['code', 'newpayOrderNo', 'timestamp']) {
      if (body[field] === undefined || body[field] === null || body[field] === '') return this.fail('SIM400', `${field} is required`);
    }
    // No sign in the documented request; one that is sent anyway must verify.
    if (body.sign !== undefined && (typeof body.sign !== 'string' || !rsaVerify(signingText(body), body.sign, this.merchantPublicKey))) {
      return this.fail('Z00007', 'sign verification failed');
    }
    const order = this.orders.get(String(body.newpayOrderNo));
    if (!order) return this.fail('E9008', 'order not found');
    if (order.status === 'paid') return this.fail('Z01008', 'order completed');
    if (order.status === 'expired') return this.fail('Z01009', 'order expired');
    if (order.status === 'failed') return this.fail('Z01010', 'order failed');
    // NewPay exchanges the code itself; the WeChat sandbox spends it (single-use, stack-wide).
    const session = this.o.wechat.code2session(
      new URLSearchParams({ appid: this.o.wechatAppId, secret: this.o.wechatAppSecret, js_code: String(body.code), grant_type: 'authorization_code' }),
    ).body;
    if (typeof session.openid !== 'string') return this.fail(String(session.errcode ?? 'SIM400'), String(session.errmsg ?? 'code2session failed'));

    const timestamp = Date.now();
    const envelopeSeconds = Math.floor(timestamp / 1000);
    const timeStamp = String(this.timeStampInData ? envelopeSeconds - 7 : envelopeSeconds);
    const nonceStr = randomBytes(12).toString('hex');
    const pkg = `prepay_id=${order.prepayId}`;
    const paySign = rsaSign(`${this.o.wechatAppId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`, this.o.platform.privatePem);
    const publicPem = this.o.platform.publicPem;
    this.o.wechat.registerPrepay(order.prepayId, {
      provider: 'newpay',
      signType: 'RSA',
      verifyRsa: (message, signature) => rsaVerify(message, signature, publicPem),
      onPaid: (delivery) => this.settle(order, 'paid', delivery),
    });
    const data: Json = { appId: this.o.wechatAppId, paySign, signType: 'RSA', nonceStr, package: pkg };
    if (this.timeStampInData) data.timeStamp = timeStamp;
    return this.ok(data, timestamp);
  }

  /**
   * GET: a minimal cashier page for a Converge order, with Pay and Fail buttons.
   * POST `result=pay|fail` (form or JSON): the shopper's choice; NewPay then sends its callback.
   */
  private cashierPage(req: SandboxRequest, newpayOrderNo: string): SimReply {
    const order = this.orders.get(newpayOrderNo);
    const html = (status: number, body: string): SimReply => ({
      status,
      body: `<!doctype html><html><head><meta charset="utf-8"><title>NewPay cashier (simulator)</title></head><body>${body}</body></html>`,
      headers: { 'Content-Type': 'text/html; charset=utf-8' },
    });
    const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    if (!order || order.kind !== 'cashier') {
      return isForm || req.method === 'GET' ? html(404, '<p>No such NewPay order.</p>') : { status: 404, body: { ok: false, message: 'no such cashier order' } };
    }
    if (req.method === 'GET') {
      const buttons =
        order.status === 'created'
          ? ['pay', 'fail'].map((r) => `<form method="post"><input type="hidden" name="result" value="${r}"><button>${r === 'pay' ? 'Pay' : 'Fail'}</button></form>`).join('')
          : `<p>Status: ${order.status}</p>`;
      return html(200, `<h1>NewPay cashier (simulator)</h1><p>Order ${escape(order.orderNo)}: ${escape(order.orderAmt)} ${escape(order.currency)}, ${escape(order.subject)}</p>${buttons}`);
    }
    if (req.method !== 'POST') return { status: 405, body: { ok: false, message: 'the cashier page takes GET or POST' } };
    const result = isForm ? new URLSearchParams(req.rawBody.toString('utf8')).get('result') : req.json().result;
    if (result !== 'pay' && result !== 'fail') {
      return isForm ? html(400, '<p>result must be pay or fail.</p>') : { status: 400, body: { ok: false, message: 'result: must be "pay" or "fail"' } };
    }
    if (order.status !== 'created') {
      return isForm ? html(409, `<p>This order is already ${order.status}.</p>`) : { status: 409, body: { ok: false, message: `order is already ${order.status}` } };
    }
    this.payCashier(newpayOrderNo, result);
    return isForm ? html(200, `<p>Payment ${order.status}. You can close this page.</p>`) : { status: 200, body: { ok: true, status: order.status } };
  }

  /** The shopper pays (or fails) on the cashier page of a Converge order. */
  payCashier(newpayOrderNo: string, result: 'pay' | 'fail' = 'pay'): void {
    const order = this.orders.get(newpayOrderNo);
    if (!order) throw new Error(`newpay sandbox: no order ${newpayOrderNo}`);
    if (order.status !== 'created') throw new Error(`newpay sandbox: order ${newpayOrderNo} is ${order.status}`);
    this.settle(order, result === 'pay' ? 'paid' : 'failed');
  }

  /** Test control: the order expires (getMiniPayment then answers Z01009). */
  expire(orderNo: string): void {
    const order = this.find(orderNo);
    if (order.status === 'created') order.status = 'expired';
  }

  /** A sandbox order by the merchant's orderNo. */
  find(orderNo: string): NewPaySimOrder {
    const order = this.orders.get(this.byOrderNo.get(orderNo) ?? '');
    if (!order) throw new Error(`newpay sandbox: no order ${orderNo}`);
    return order;
  }

  /**
   * The JSON callback (section 4.4) NewPay sends for an order. `privateKeyPem` signs it with
   * another key (a forgery); `overrides` change fields before signing (e.g. a genuine
   * signature over another orderAmt).
   */
  /** The same callback signed with a key that is not NewPay's: a forgery. */
  forgedNotification(orderNo: string): { body: string; contentType: string } {
    this.forgerKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    return this.signedNotification(orderNo, this.forgerKey);
  }

  private forgerKey: string | undefined;

  signedNotification(
    orderNo: string,
    privateKeyPem = this.o.platform.privatePem,
    overrides: Json = {},
    outcome: 'paid' | 'failed' = this.find(orderNo).status === 'paid' ? 'paid' : 'failed',
  ): { body: string; contentType: string } {
    const order = this.find(orderNo);
    const example = order.shape === 'example';
    const numericAppId = /^\d{1,15}$/.test(this.o.appId);
    const fields: Json = {
      orderNo: order.orderNo,
      subject: order.subject,
      transInfo: outcome === 'paid' ? 'Transaction Success' : 'Transaction Failed',
      orderAmt: example ? withTwoDecimals(order.orderAmt) : order.orderAmt,
      newpayOrderNo: order.newpayOrderNo,
      settlementStatus: 1,
      payMethod: order.payMethod,
      extra: order.extra,
      appId: example && numericAppId ? Number(this.o.appId) : this.o.appId,
      currency: order.currency,
      // Payment callbacks: 0 success, 1 failure (section 4.4).
      transStatus: outcome === 'paid' ? 0 : 1,
      timestamp: example ? Date.now() : String(Date.now()),
      ...overrides,
    };
    return { body: JSON.stringify({ ...fields, sign: rsaSign(signingText(fields), privateKeyPem) }), contentType: 'application/json' };
  }

  private settle(order: NewPaySimOrder, status: 'paid' | 'failed', delivery: DeliveryMode = { kind: 'normal' }): void {
    order.status = status;
    if (order.silent) {
      this.o.log(`newpay: ${order.orderNo} ${status}; callback suppressed (silent mode)`);
      return;
    }
    const send = (outcome: 'paid' | 'failed') => {
      const { body, contentType } = this.signedNotification(order.orderNo, this.o.platform.privatePem, {}, outcome);
      return deliver({
        url: order.callBackUrl,
        body,
        contentType,
        acknowledged: isTransResultSuccess,
        intervalMs: this.o.retryIntervalMs,
        // The first delivery, then NewPay's 3 retries.
        maxAttempts: 4,
        onAttempt: (n, httpStatus) => this.o.log(`newpay: callback ${order.orderNo} (${outcome}) attempt ${n} → ${httpStatus}`),
      });
    };
    if (status === 'failed') void send('failed');
    else runDelivery(delivery, send, this.o.log);
  }

  /** The checks every v2 query makes: fields, one of two numbers, the merchant's signature, v2 credentials. */
  private checkV2Query(body: Json, numbers: readonly [string, string]): SimReply | undefined {
    for (const f of ['appId', 'mchId', 'sign']) {
      if (body[f] === undefined || body[f] === null || body[f] === '') return this.fail('SIM400', `${f} is required`);
    }
    if (body[numbers[0]] === undefined && body[numbers[1]] === undefined) return this.fail('SIM400', `${numbers[0]} or ${numbers[1]} is required`);
    if (!rsaVerify(signingText(body), String(body.sign), this.merchantPublicKey)) return this.fail('Z00007', 'sign verification failed');
    if (!this.o.queryAppId || String(body.appId) !== this.o.queryAppId || String(body.mchId) !== this.o.queryMchId) {
      return this.fail('SIM400', 'appId and mchId are not a v2 merchant');
    }
    return undefined;
  }

  /**
   * v2 uniQueryRefund (gitbook 5.4, see UNI_QUERY_REFUND_PATH): by mchRefundNo (the v1
   * refundOrderNo) and/or newpayRefundNo (the v1 newpayRefundOrderNo). A refund NewPay does
   * not know answers E9008 (NewPay documents no refund-specific "not found" code).
   */
  uniQueryRefund(body: Json): SimReply {
    const refused = this.checkV2Query(body, ['newpayRefundNo', 'mchRefundNo']);
    if (refused) return refused;
    const view = this.refunds.queryView(
      {
        ...(body.mchRefundNo !== undefined ? { mchRefundNo: String(body.mchRefundNo) } : {}),
        ...(body.newpayRefundNo !== undefined ? { newpayRefundNo: String(body.newpayRefundNo) } : {}),
      },
      (orderNo) => this.orders.get(this.byOrderNo.get(orderNo) ?? ''),
    );
    if (!view) return this.fail('E9008', 'refund order not found');
    return this.ok({ ...view });
  }

  /** v2 uniQueryPay (gitbook 5.2): by newpayOrderNo or mchOrderNo, signed both ways. */
  uniQueryPay(body: Json): SimReply {
    const refused = this.checkV2Query(body, ['newpayOrderNo', 'mchOrderNo']);
    if (refused) return refused;
    const order =
      body.newpayOrderNo !== undefined ? this.orders.get(String(body.newpayOrderNo)) : this.orders.get(this.byOrderNo.get(String(body.mchOrderNo)) ?? '');
    if (!order || (body.mchOrderNo !== undefined && order.orderNo !== String(body.mchOrderNo))) return this.fail('E9008', 'order not found');
    const data: Json = {
      appId: this.o.queryAppId,
      // next-query: the raw status set from outside, signed as usual; the order itself is unchanged.
      payStatus: this.misbehaviour.takeQueryStatus() ?? PAY_STATUS[order.status],
      payMethod: 1,
      orderType: order.kind === 'mini' ? 'MINI_APP' : 'ONLINE',
      orderAmt: { value: withTwoDecimals(order.orderAmt), currency: order.currency },
      mchOrderNo: order.orderNo,
      newpayOrderNo: order.newpayOrderNo,
      subject: order.subject,
      settlementStatus: 0,
      ...(order.status === 'paid' ? { paytime: Date.now() } : {}),
    };
    return this.ok(data);
  }
}

/** A request signed as a merchant signs it (the simulator's own code: the bench's direct baseline). */
export function merchantSignature(params: Json, merchantPrivatePem: string): string {
  return rsaSign(signingText(params), merchantPrivatePem);
}

export const NEWPAY_PATHS = { createOpenMini: MINI_PATH, getMiniPayment: MINI_PAYMENT_PATH } as const;

/** "150000" → "150000.00", "3.50" stays: how NewPay's examples write amounts, LAK included. */
function withTwoDecimals(amount: string): string {
  return /\./.test(amount) ? amount : `${amount}.00`;
}
