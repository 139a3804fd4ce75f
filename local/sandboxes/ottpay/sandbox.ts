/**
 * An OTT Pay simulator at the real API path (POST /processV2; the adapter only changes its
 * base URL). Written apart from the adapter, on crypto-js, from the docs (docs.ottpay.com,
 * Appendix A): it decrypts every request and checks its md5, merchant, operator and fields,
 * answers in the encrypted envelope, and when the shopper pays sends the encrypted callback
 * until the merchant answers 2xx.
 *
 * Actions: MAPPPAY (mini program; payInfo signed with the sandbox WeChat Pay key and registered
 * with the WeChat sandbox), STATUS_QUERY, and the in-app request (APPPAY unless configured
 * otherwise), which answers with prepay data and a `wxapikey` like OTT Pay does. POST /appPay
 * stands in for the WeChat SDK on the phone: it checks the app sign, then "pays".
 */
import CryptoJS from 'crypto-js';
import { randomBytes } from 'node:crypto';
import { deliver } from '../notifier';
import { OttpayRefunds } from './refunds';
import { Misbehaviour } from '../misbehaviour';
import type { SandboxRequest, SimReply } from '../types';
import { runDelivery, type DeliveryMode } from '../delivery';
import type { WechatSandbox } from '../wechat';
import { BoundedMap } from '../../bounded-map';

export interface OttpaySandboxOptions {
  merchantId: string;
  operatorId: string;
  signKey: string;
  /** The mini program AppID: MAPPPAY for another app_id is refused. */
  appId: string;
  /** The native app's Open Platform AppID for in-app requests; any wx... id when empty. */
  nativeAppId: string;
  /** The action name the in-app request uses (APPPAY by default). */
  appPayAction: string;
  /** The WeChat Pay API key OTT Pay signs payInfo with and hands out as `wxapikey`. */
  wechatPayKey: string;
  wechat: WechatSandbox;
  retryIntervalMs: number;
  log: (line: string) => void;
}

interface Transaction {
  orderId: string;
  amount: string;
  tip: string;
  status: 'PROCESSING' | 'SUCCESS';
  callbackUrl: string;
  prepayId: string;
  saleNum: string;
  bizpayOrderId: string;
  kind: 'mini' | 'app';
  /** Which of the published callback shapes this transaction's callbacks take (CALLBACK_SHAPES). */
  shape: CallbackShape;
  /** When the payment finished, as epoch ms (written in the shape's finish_time format). */
  finishedAt?: number;
  /** Test control: a provider that never calls back (reconciliation must settle it). */
  silent: boolean;
  paid?: boolean;
}

type Data = Record<string, unknown>;

/**
 * The callback shapes OTT Pay's own pages show, used in turn (one per transaction), so every
 * run meets each of them:
 * - published: the published decrypted example: no order_status at all, finish_time
 *   `2023-03-23 01:21:53`, with exchange_rate, remarks and sub_openId;
 * - captured: order_status `captured` (apidocs callback page), finish_time `YYYYMMDDHHMMSS`
 *   Beijing time (the seed);
 * - apidocs: order_status `Captured` in another case, finish_time `2024-01-08 16:29:03 CST`.
 */
export const CALLBACK_SHAPES = ['published', 'captured', 'apidocs'] as const;
export type CallbackShape = (typeof CALLBACK_SHAPES)[number];

function finishTime(at: number, shape: CallbackShape): string {
  const beijing = new Date(at + 8 * 3600_000).toISOString().slice(0, 19);
  if (shape === 'captured') return beijing.replace(/[-T:]/g, '');
  return beijing.replace('T', ' ') + (shape === 'apidocs' ? ' CST' : '');
}

function md5Upper(text: string): string {
  return CryptoJS.MD5(CryptoJS.enc.Utf8.parse(text)).toString(CryptoJS.enc.Hex).toUpperCase();
}

/** Appendix A digest: values in key order, no separators. Nested values as compact JSON. */
function digest(data: Data): string {
  const text = Object.keys(data)
    .sort()
    .filter((k) => data[k] !== null && data[k] !== undefined)
    .map((k) => {
      const v = data[k];
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    })
    .join('');
  return md5Upper(text);
}

function aesKey(md5: string, signKey: string): CryptoJS.lib.WordArray {
  return CryptoJS.enc.Utf8.parse(md5Upper(md5 + signKey).substring(8, 24));
}

const AES_OPTIONS = { mode: CryptoJS.mode.ECB, padding: CryptoJS.pad.Pkcs7 };

export function ottEncrypt(data: Data, signKey: string): { data: string; md5: string } {
  const md5 = digest(data);
  const cipher = CryptoJS.AES.encrypt(CryptoJS.enc.Utf8.parse(JSON.stringify(data)), aesKey(md5, signKey), AES_OPTIONS);
  return { data: cipher.toString(), md5 };
}

/** Decrypts and checks the md5; undefined when either fails. */
export function ottDecrypt(data: unknown, md5: unknown, signKey: string): Data | undefined {
  if (typeof data !== 'string' || typeof md5 !== 'string' || !/^[0-9A-F]{32}$/i.test(md5)) return undefined;
  try {
    const plain = CryptoJS.AES.decrypt(data, aesKey(md5, signKey), AES_OPTIONS).toString(CryptoJS.enc.Utf8);
    const parsed = JSON.parse(plain) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    return digest(parsed as Data) === md5.toUpperCase() ? (parsed as Data) : undefined;
  } catch {
    return undefined;
  }
}

function digits(n: number): string {
  return Array.from(randomBytes(n), (b) => String(b % 10)).join('');
}

export class OttpaySandbox {
  private readonly transactions = new BoundedMap<string, Transaction>();
  /** Set by tests: new transactions never send callbacks. */
  silentNotifications = false;
  /** Set by tests: MAPPPAY answers payInfo without paySign (the backend must sign it). */
  payInfoWithoutPaySign = false;
  /** Set by tests: every new transaction's callbacks take this shape instead of the next in turn. */
  callbackShape: CallbackShape | undefined;
  private shapes = 0;

  /** The shape for a new transaction: the one a test chose, else the next in turn. */
  nextShape(): CallbackShape {
    return this.callbackShape ?? (CALLBACK_SHAPES[this.shapes++ % CALLBACK_SHAPES.length] as CallbackShape);
  }

  /** The REFUND action and refund status queries (./refunds.ts). */
  readonly refunds: OttpayRefunds;
  /** next-refund, next-query and the refund books (../misbehaviour.ts). */
  readonly misbehaviour: Misbehaviour;

  constructor(private readonly o: OttpaySandboxOptions) {
    this.refunds = new OttpayRefunds({
      merchantId: o.merchantId,
      findPayment: (orderId) => this.transactions.get(orderId),
      success: (data) => this.success(data),
      error: (code, message) => this.error(code, message),
      misbehaviour: () => this.misbehaviour,
      log: o.log,
    });
    const booked = () => this.refunds.bookedOrders((orderId) => Number(this.transactions.get(orderId)?.amount ?? 0));
    this.misbehaviour = new Misbehaviour('ottpay', { orders: booked, order: (orderNo) => booked().find((b) => b.orderNo === orderNo) }, o.log);
  }

  /** Routes requests under /sandbox/ottpay. */
  handle(req: SandboxRequest): SimReply {
    const control = this.misbehaviour.handle(req);
    if (control) return control;
    if (req.path === '/processV2' && req.method === 'POST') return this.processV2(req.json());
    if (req.path === '/appPay' && req.method === 'POST') return this.appPay(req.json());
    return { status: 404, body: { rsp_code: 'PARAM_ERROR', rsp_msg: `no OTT Pay API at ${req.method} ${req.path}` } };
  }

  private error(code: string, message: string): SimReply {
    return { status: 200, body: { rsp_code: code, rsp_msg: message } };
  }

  private success(data: Data): SimReply {
    return { status: 200, body: { rsp_code: 'SUCCESS', rsp_msg: 'success', ...ottEncrypt(data, this.o.signKey) } };
  }

  processV2(body: Record<string, unknown>): SimReply {
    for (const f of ['action', 'version', 'merchant_id', 'data', 'md5']) {
      if (typeof body[f] !== 'string' || body[f] === '') return this.error('PARAM_INVALID', `${f} is required`);
    }
    if (body.merchant_id !== this.o.merchantId) return this.error('PARAM_ERROR', 'merchant_id is not valid');
    const data = ottDecrypt(body.data, body.md5, this.o.signKey);
    if (!data) return this.error('PARAM_ERROR', 'data cannot be decrypted or md5 does not match');
    if (body.action === 'MAPPPAY') return this.mapppay(data);
    if (body.action === 'REFUND') return this.refunds.refund(data);
    if (body.action === 'STATUS_QUERY' && this.refunds.has(data.order_id)) return this.refunds.statusQuery(data.order_id as string);
    if (body.action === 'STATUS_QUERY') return this.statusQuery(data);
    if (body.action === this.o.appPayAction) return this.inAppPay(data);
    return this.error('PARAM_INVALID', `unknown action ${String(body.action)}`);
  }

  /** Common checks of a payment request; returns an error reply or the transaction. */
  private place(kind: 'mini' | 'app', f: Record<string, unknown>, orderId: string): SimReply | Transaction {
    if (f.operator_id !== this.o.operatorId) return this.error('PARAM_ERROR', 'operator_id is not valid');
    const amount = typeof f.amount === 'string' ? f.amount : '';
    if (!/^[1-9]\d{0,9}$/.test(amount)) return this.error('PARAM_INVALID', 'amount must be a positive whole number of cents');
    const tip = f.tip === undefined || f.tip === '' ? '0' : f.tip;
    if (typeof tip !== 'string' || !/^\d{1,10}$/.test(tip)) return this.error('PARAM_INVALID', 'tip must be a whole number of cents');
    try {
      const url = new URL(String(f.call_back_url));
      if (!/^https?:$/.test(url.protocol)) throw new Error('scheme');
    } catch {
      return this.error('PARAM_INVALID', 'call_back_url is not a URL');
    }
    let tx = this.transactions.get(orderId);
    if (tx && tx.status === 'SUCCESS') return this.error('ORDER_PAID', 'order has been paid');
    if (tx && (tx.amount !== amount || tx.kind !== kind)) return this.error('ORDER_USED', 'order_id was used for another payment');
    if (!tx) {
      tx = {
        orderId,
        amount,
        tip,
        status: 'PROCESSING',
        callbackUrl: String(f.call_back_url),
        prepayId: `wx${Date.now()}${digits(10)}`,
        saleNum: `${Date.now()}${digits(3)}`,
        bizpayOrderId: `42000${digits(23)}`,
        kind,
        silent: this.silentNotifications,
        shape: this.nextShape(),
      };
      this.transactions.set(orderId, tx);
    }
    return tx;
  }

  private mapppay(d: Data): SimReply {
    for (const f of ['operator_id', 'amount', 'biz_type', 'app_id', 'open_id', 'call_back_url']) {
      if (typeof d[f] !== 'string' || d[f] === '') return this.error('PARAM_INVALID', `${f} is required`);
    }
    if (d.biz_type !== 'WECHATPAY') return this.error('PARAM_INVALID', 'biz_type must be WECHATPAY');
    if (d.app_id !== this.o.appId) return this.error('PARAM_INVALID', 'app_id is not bound to this merchant');
    const orderId = typeof d.order_id === 'string' && d.order_id !== '' ? d.order_id : `${Date.now()}${digits(6)}`;
    const tx = this.place('mini', d, orderId);
    if (!('orderId' in tx)) return tx;
    const payInfo: Record<string, string> = {
      appId: this.o.appId,
      timeStamp: String(Math.floor(Date.now() / 1000)),
      nonceStr: randomBytes(12).toString('hex'),
      packageStr: `prepay_id=${tx.prepayId}`,
      signType: 'MD5',
    };
    if (!this.payInfoWithoutPaySign) {
      payInfo.paySign = md5Upper(
        `appId=${payInfo.appId}&nonceStr=${payInfo.nonceStr}&package=${payInfo.packageStr}&signType=MD5&timeStamp=${payInfo.timeStamp}&key=${this.o.wechatPayKey}`,
      );
    }
    this.o.wechat.registerPrepay(tx.prepayId, { provider: 'ottpay', signType: 'MD5', key: this.o.wechatPayKey, onPaid: (delivery) => this.paid(tx, delivery) });
    return this.success({ payInfo, merchant_id: this.o.merchantId, order_id: tx.orderId, amount: tx.amount, sale_num: tx.saleNum });
  }

  private inAppPay(d: Data): SimReply {
    for (const f of ['userId', 'amount', 'bizType', 'merchant_id', 'operator_id', 'call_back_url']) {
      if (typeof d[f] !== 'string' || d[f] === '') return this.error('PARAM_INVALID', `${f} is required`);
    }
    if (d.bizType !== 'WECHATPAY') return this.error('PARAM_INVALID', 'bizType must be WECHATPAY');
    if (d.merchant_id !== this.o.merchantId) return this.error('PARAM_ERROR', 'merchant_id in data does not match');
    const userId = String(d.userId);
    if (this.o.nativeAppId ? userId !== this.o.nativeAppId : !/^wx[0-9a-zA-Z]{14,18}$/.test(userId)) {
      return this.error('PARAM_INVALID', 'userId is not an app registered for this merchant');
    }
    const orderId = typeof d.order_id === 'string' && d.order_id !== '' ? d.order_id : `${Date.now()}${digits(6)}`;
    const tx = this.place('app', d, orderId);
    if (!('orderId' in tx)) return tx;
    const answer: Record<string, string> = {
      appId: userId,
      bizType: 'WECHATPAY',
      nonceStr: randomBytes(8).toString('hex'),
      package_: 'Sign=WXPay',
      partnerId: '1900000109',
      paySign: md5Upper(tx.orderId + this.o.signKey),
      prepayId: tx.prepayId,
      reAmount: tx.amount,
      timeStamp: String(Math.floor(Date.now() / 1000)),
      tradeNo: tx.saleNum,
      // OTT Pay really hands the merchant its WeChat Pay API key here.
      wxapikey: this.o.wechatPayKey,
      order_id: tx.orderId,
      merchant_id: this.o.merchantId,
      amount: tx.amount,
    };
    return this.success(answer);
  }

  /**
   * Stands in for the WeChat SDK on the phone (PayReq): checks the app sign like WeChat,
   * then reports the shopper's choice. errCode 0 paid, -2 cancelled, -1 failed (BaseResp).
   */
  appPay(body: Record<string, unknown>): SimReply {
    const p: Record<string, string> = {};
    for (const f of ['appId', 'partnerId', 'prepayId', 'packageValue', 'nonceStr', 'timeStamp', 'sign']) {
      if (typeof body[f] !== 'string' || body[f] === '') return { status: 400, body: { errCode: -1, errStr: `${f} is required` } };
      p[f] = body[f] as string;
    }
    const tx = [...this.transactions.values()].find((t) => t.kind === 'app' && t.prepayId === p.prepayId);
    if (!tx) return { status: 404, body: { errCode: -1, errStr: 'prepayId is unknown or expired' } };
    const expected = md5Upper(
      `appid=${p.appId}&noncestr=${p.nonceStr}&package=${p.packageValue}&partnerid=${p.partnerId}&prepayid=${p.prepayId}&timestamp=${p.timeStamp}&key=${this.o.wechatPayKey}`,
    );
    if (expected !== p.sign) return { status: 401, body: { errCode: -1, errStr: 'sign is invalid' } };
    if (tx.paid) return { status: 409, body: { errCode: -1, errStr: 'this order has been paid' } };
    const result = body.result ?? 'pay';
    if (result === 'cancel') return { status: 200, body: { errCode: -2, errStr: 'user cancelled' } };
    if (result === 'fail') return { status: 200, body: { errCode: -1, errStr: 'payment declined by the simulated bank' } };
    tx.paid = true;
    this.paid(tx, { kind: 'normal' });
    return { status: 200, body: { errCode: 0, errStr: '' } };
  }

  private statusQuery(d: Data): SimReply {
    if (typeof d.order_id !== 'string' || d.order_id === '') return this.error('PARAM_INVALID', 'order_id is required');
    const tx = this.transactions.get(d.order_id);
    if (!tx) return this.error('FAIL', 'order not found');
    return this.success({
      order_id: tx.orderId,
      merchant_id: this.o.merchantId,
      amount: tx.amount,
      tip: tx.tip,
      // next-query: the raw status set from outside, encrypted as usual; the order itself is unchanged.
      order_status: this.misbehaviour.takeQueryStatus() ?? tx.status,
      sale_num: tx.saleNum,
      ...(tx.finishedAt !== undefined ? { finish_time: finishTime(tx.finishedAt, 'captured'), bizpay_order_id: tx.bizpayOrderId } : {}),
    });
  }

  /**
   * The callback OTT Pay sends for a transaction. `signKey` lets tests encrypt it with another
   * merchant's signkey (a forgery); `changes` alters the data before encryption (e.g. a
   * different amount, correctly encrypted: the merchant must still refuse it).
   */
  /** The same callback encrypted with a signkey that is not the merchant's: a forgery. */
  forgedNotification(orderId: string): { body: string; contentType: string } {
    return this.signedNotification(orderId, 'N0TTHEMERCHANTS1');
  }

  /**
   * `outcome` failed: a failure report. No OTT Pay page documents a failed order_status in a
   * callback, so it is the published shape with rsp_code FAIL (which the md5 does not cover).
   */
  signedNotification(
    orderId: string,
    signKey = this.o.signKey,
    changes: Record<string, string> = {},
    outcome: 'paid' | 'failed' = 'paid',
  ): { body: string; contentType: string } {
    const tx = this.transactions.get(orderId);
    if (!tx) throw new Error(`ottpay sandbox: no transaction ${orderId}`);
    const shape: CallbackShape = outcome === 'failed' ? 'published' : tx.shape;
    const finished = finishTime(tx.finishedAt ?? Date.now(), shape);
    const data: Data =
      shape === 'published'
        ? {
            amount: tx.amount,
            bizpay_order_id: tx.bizpayOrderId,
            exchange_rate: '1.000000',
            tip: tx.tip,
            merchant_id: this.o.merchantId,
            order_id: tx.orderId,
            finish_time: finished,
            remarks: '',
            sub_openId: 'o' + tx.saleNum,
            ...changes,
          }
        : {
            amount: tx.amount,
            bizpay_order_id: tx.bizpayOrderId,
            tip: tx.tip,
            merchant_id: this.o.merchantId,
            order_id: tx.orderId,
            order_status: shape === 'captured' ? 'captured' : 'Captured',
            sale_num: tx.saleNum,
            finish_time: finished,
            ...changes,
          };
    const encrypted = ottEncrypt(data, signKey);
    const rsp = outcome === 'failed' ? { rsp_code: 'FAIL', rsp_msg: 'payment failed' } : { rsp_code: 'SUCCESS', rsp_msg: 'success' };
    return { body: JSON.stringify({ ...rsp, merchant_id: this.o.merchantId, ...encrypted }), contentType: 'application/json' };
  }

  private paid(tx: Transaction, delivery: DeliveryMode): void {
    tx.status = 'SUCCESS';
    tx.finishedAt = Date.now();
    if (tx.silent) {
      this.o.log(`ottpay: ${tx.orderId} paid; callback suppressed (silent mode)`);
      return;
    }
    runDelivery(
      delivery,
      (outcome) => {
        const { body, contentType } = this.signedNotification(tx.orderId, this.o.signKey, {}, outcome);
        return deliver({
          url: tx.callbackUrl,
          body,
          contentType,
          // OTT Pay does not publish its expected reply; the simulator takes any 2xx.
          acknowledged: (status) => status >= 200 && status < 300,
          intervalMs: this.o.retryIntervalMs,
          maxAttempts: 10,
          onAttempt: (n, status) => this.o.log(`ottpay: callback ${tx.orderId} (${outcome}) attempt ${n} → ${status}`),
        });
      },
      this.o.log,
    );
  }
}
