/**
 * A WeChat Pay Global (API v3) simulator at WeChat Pay's real paths below /sandbox/wechatpay,
 * written from WeChat Pay's pages (pay.weixin.qq.com/wiki/doc/api_external/en/: JSAPI order,
 * query, close, refund, refund query, notifications, certificates; the v3 signature and
 * callback-decryption guides) apart from the adapter: its own signing and AES-GCM code on
 * node:crypto, its certificates made with node-forge, nothing from server/providers.
 *
 * - Every request must carry a valid `WECHATPAY2-SHA256-RSA2048` Authorization: the merchant's
 *   mchid, the serial of its API certificate, a timestamp within 5 minutes, a nonce, and a
 *   signature over the five lines with the merchant key. Otherwise 401 `SIGN_ERROR`, unsigned
 *   (WeChat Pay signs only answers to requests it could authenticate).
 * - Every other answer is signed with the active platform key (Wechatpay-Timestamp, -Nonce,
 *   -Signature, -Serial, Request-ID), errors included: `{code, message}` with WeChat's status.
 * - Notifications: JSON envelope, resource AES-256-GCM encrypted with the APIv3 key, signed;
 *   resent (re-signed each time) until HTTP 200/204, on WeChat's schedule 15s, 15s, 30s, 3m,
 *   10m, 20m, 30m, 30m, 30m, 60m, 3h, 3h, 3h, 6h, 6h scaled by `timeScale`.
 * - Platform keys: ./platform-keys.ts; `POST /rotate` adds a new certificate now that signs
 *   after `activateInMs` (default 24 h scaled), the old one valid `overlapMs` longer.
 * - Refund rules: at most 50 per order, one minute apart (scaled); `next-refund` /
 *   `next-query` (./scenarios.ts), with NOT_ENOUGH as WeChat Pay's own answer.
 */
import { createCipheriv, generateKeyPairSync, randomBytes, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import type { SandboxRequest, SimReply } from '../types';
import { runDelivery, type DeliveryMode } from '../delivery';
import { LOST_REPLY } from '../misbehaviour';
import type { WechatSandbox } from '../wechat';
import { BoundedMap } from '../../bounded-map';
import { PlatformKeyRing, newRsaKey, newSerial, platformKey } from './platform-keys';
import { Scenarios, type RefundScenario } from './scenarios';

type Json = Record<string, unknown>;

/** WeChat Pay's published notification retry intervals (after the first delivery), in ms. */
export const RETRY_SCHEDULE_MS = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600].map((s) => s * 1000);

export interface WechatPaySandboxOptions {
  mchId: string;
  merchantSerial: string;
  merchantPublicKey: KeyObject;
  apiV3Key: string;
  appId: string;
  wechat: WechatSandbox;
  keys: PlatformKeyRing;
  /** Real time × timeScale = simulated WeChat time (the first retry after SANDBOX_RETRY_MS). */
  timeScale: number;
  log: (line: string) => void;
  /** The path the simulator is mounted at (`/sandbox/wechatpay`): merchants sign the full URL path. */
  mountPath: string;
}

interface SimTransaction {
  outTradeNo: string;
  transactionId: string;
  prepayId: string;
  appid: string;
  description: string;
  total: number;
  currency: string;
  openid: string;
  notifyUrl: string;
  state: 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';
  createdAt: number;
  successTime?: string;
  silent: boolean;
  refunds: string[];
  lastRefundAt?: number;
  body: string;
}

interface SimRefund {
  outRefundNo: string;
  refundId: string;
  outTradeNo: string;
  amount: number;
  status: 'SUCCESS' | 'PROCESSING' | 'CLOSED';
  createdAt: number;
  scenario: RefundScenario;
  notifyUrl: string;
}

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
const beijing = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');

export class WechatPaySandbox {
  private readonly transactions = new BoundedMap<string, SimTransaction>();
  private readonly refunds = new BoundedMap<string, SimRefund>();
  readonly scenarios = new Scenarios();
  /** Tests: payments made from now on send no notification. */
  silentNotifications = false;
  /** Minimum time between two refunds of one order, ms (60 s scaled); tests of the shared contract set 0. */
  refundIntervalMs: number;
  /** The last 100 request paths and how many in all (tests count what reached the simulator). */
  readonly received: string[] = [];
  receivedCount = 0;

  constructor(readonly o: WechatPaySandboxOptions) {
    this.refundIntervalMs = Math.round(60_000 * o.timeScale);
  }

  get mchId(): string {
    return this.o.mchId;
  }

  handle(req: SandboxRequest): SimReply | Promise<SimReply> {
    this.receivedCount++;
    if (this.received.push(`${req.method} ${req.path}`) > 100) this.received.shift();
    const control = this.scenarios.handle(req.path, req.method, () => req.json());
    if (control) return control;
    if (req.path === '/refunds') return req.method === 'GET' ? this.books(req.query.get('orderNo')) : { status: 405, body: { ok: false, message: '/refunds takes GET' } };
    if (req.path === '/rotate') return req.method === 'POST' ? this.rotate(req.json()) : { status: 405, body: { ok: false, message: '/rotate takes POST' } };
    const refused = this.authenticate(req);
    if (refused) return refused;
    const body = req.rawBody.toString('utf8');
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && req.path === '/v3/global/certificates') return this.certificates();
    if (req.method === 'POST' && req.path === '/v3/global/transactions/jsapi') return this.jsapi(parse(body));
    if (req.method === 'GET' && (m = /^\/v3\/global\/transactions\/(out-trade-no|id)\/([^/]+)$/.exec(req.path))) return this.query(m[1] === 'id' ? 'id' : 'out', decodeURIComponent(m[2]!), req.query);
    if (req.method === 'POST' && (m = /^\/v3\/global\/transactions\/out-trade-no\/([^/]+)\/close$/.exec(req.path))) return this.close(decodeURIComponent(m[1]!), parse(body));
    if (req.method === 'POST' && req.path === '/v3/global/refunds') return this.refund(parse(body));
    if (req.method === 'GET' && (m = /^\/v3\/global\/refunds\/out-refund-no\/([^/]+)$/.exec(req.path))) return this.refundQuery(decodeURIComponent(m[1]!), req.query);
    return this.error(404, 'RESOURCE_NOT_EXISTS', `no WeChat Pay API at ${req.method} ${req.path}`);
  }

  // --- Authentication (the v3 "Signature generation" rule, checked as WeChat Pay does) ---

  private authenticate(req: SandboxRequest): SimReply | undefined {
    const signError = (message: string): SimReply => ({ status: 401, body: { code: 'SIGN_ERROR', message } });
    const header = req.headers.authorization ?? '';
    const match = /^WECHATPAY2-SHA256-RSA2048 (.+)$/.exec(header);
    if (!match) return signError('Authorization is missing or does not use the WECHATPAY2-SHA256-RSA2048 schema');
    const fields: Record<string, string> = {};
    for (const part of match[1]!.matchAll(/(\w+)="([^"]*)"/g)) fields[part[1]!] = part[2]!;
    for (const f of ['mchid', 'nonce_str', 'timestamp', 'serial_no', 'signature']) if (!fields[f]) return signError(`Authorization has no ${f}`);
    if (fields.mchid !== this.o.mchId) return signError('mchid does not match the merchant that signed');
    if (fields.serial_no!.toUpperCase() !== this.o.merchantSerial.toUpperCase()) return signError('serial_no is not the serial of this merchant\'s API certificate');
    if (!/^\d+$/.test(fields.timestamp!) || Math.abs(Date.now() / 1000 - Number(fields.timestamp)) > 300) return signError('timestamp is more than 5 minutes from WeChat Pay\'s clock');
    const query = req.query.toString();
    const path = `${this.o.mountPath}${req.path}${query ? `?${query}` : ''}`;
    const message = `${req.method}\n${path}\n${fields.timestamp}\n${fields.nonce_str}\n${req.rawBody.toString('utf8')}\n`;
    let ok = false;
    try {
      ok = verify('sha256', Buffer.from(message, 'utf8'), this.o.merchantPublicKey, Buffer.from(fields.signature!, 'base64'));
    } catch {
      ok = false;
    }
    return ok ? undefined : signError('the signature does not verify with the merchant API certificate');
  }

  // --- Signed answers ---

  /** Headers signing `text` with the platform key active now: what WeChat Pay sends with every answer and notification. */
  signedHeaders(text: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
    const key = this.o.keys.signing();
    const nonce = randomBytes(16).toString('hex').toUpperCase();
    const signature = sign('sha256', Buffer.from(`${timestamp}\n${nonce}\n${text}\n`, 'utf8'), key.privateKey).toString('base64');
    return {
      'Wechatpay-Timestamp': String(timestamp),
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Signature': signature,
      'Wechatpay-Serial': key.id,
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    };
  }

  private answer(status: number, json: Json | undefined): SimReply {
    const text = json === undefined ? '' : JSON.stringify(json);
    return { status, body: text, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Request-ID': randomUUID(), ...this.signedHeaders(text) } };
  }

  private error(status: number, code: string, message: string): SimReply {
    return this.answer(status, { code, message });
  }

  private certificates(): SimReply {
    const data = this.o.keys.certificates().map((k) => {
      const nonce = randomBytes(6).toString('hex');
      return {
        serial_no: k.id,
        effective_time: beijing(k.activeFrom),
        expire_time: beijing(k.expiresAt),
        encrypt_certificate: { algorithm: 'AEAD_AES_256_GCM', nonce, associated_data: 'certificate', ciphertext: encrypt(k.certificatePem!, this.o.apiV3Key, nonce, 'certificate') },
      };
    });
    return this.answer(200, { data });
  }

  /** Rotation: a new certificate listed now, signing after activateInMs; the others valid overlapMs longer. */
  rotate(body: Json): Promise<SimReply> | SimReply {
    if (this.o.keys.signing().certificatePem === undefined) return { status: 409, body: { ok: false, message: 'the simulator signs with a WeChat Pay public key (PUB_KEY_ID_…): public keys are not rotated by certificate; set another SANDBOX_WECHATPAY_PLATFORM_KEY_ID' } };
    const day = Math.round(24 * 3600_000 * this.o.timeScale);
    const activateInMs = body.activateInMs ?? day;
    const overlapMs = body.overlapMs ?? day;
    for (const [name, v] of [['activateInMs', activateInMs], ['overlapMs', overlapMs]] as const) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 7 * 24 * 3600_000) return { status: 400, body: { ok: false, error: { code: 'INVALID_INPUT', field: name, message: `${name} must be whole milliseconds from 0 to 604800000` } } };
    }
    return newRsaKey().then((privateKey) => {
      const now = Date.now();
      const key = platformKey(privateKey, newSerial(), now, now + (activateInMs as number));
      const previous = this.o.keys.signing(now).id;
      this.o.keys.add(key);
      this.o.keys.retire(key.id, key.activeFrom + (overlapMs as number));
      this.o.log(`wechatpay: rotated platform certificate ${previous} → ${key.id} (signs from ${new Date(key.activeFrom).toISOString()})`);
      return { status: 200, body: { ok: true, serial: key.id, previous, activeFrom: key.activeFrom } };
    });
  }

  /** GET /refunds[?orderNo=]: the simulator's books, as the shared simulators' contract shows them. */
  private books(orderNo: string | null): SimReply {
    const page = (tx: SimTransaction) => {
      const refunds = tx.refunds.map((n) => this.refunds.get(n)).filter((r): r is SimRefund => r !== undefined);
      const truth = (r: SimRefund) => (r.status === 'SUCCESS' ? 'succeeded' : r.status === 'CLOSED' ? 'failed' : 'processing');
      return {
        orderNo: tx.outTradeNo,
        currency: tx.currency,
        paid: tx.total,
        paidOut: refunds.filter((r) => r.status === 'SUCCESS').reduce((s, r) => s + r.amount, 0),
        processing: refunds.filter((r) => r.status === 'PROCESSING').reduce((s, r) => s + r.amount, 0),
        refunds: refunds.map((r) => ({ refundNo: r.outRefundNo, amount: r.amount, truth: truth(r), answer: r.scenario.answer, at: new Date(r.createdAt).toISOString() })),
      };
    };
    if (orderNo === null) return { status: 200, body: { ok: true, provider: 'wechatpay', orders: [...this.transactions.values()].filter((t) => t.refunds.length > 0).map(page) } };
    const tx = this.transactions.get(orderNo);
    return { status: 200, body: { ok: true, provider: 'wechatpay', order: tx ? page(tx) : { orderNo, paidOut: 0, processing: 0, refunds: [] } } };
  }

  // --- Payments ---

  private jsapi(b: Json | undefined): SimReply {
    if (!b) return this.error(400, 'PARAM_ERROR', 'the body is not JSON');
    for (const f of ['appid', 'mchid', 'description', 'out_trade_no', 'notify_url']) if (typeof b[f] !== 'string' || b[f] === '') return this.error(400, 'PARAM_ERROR', `${f} is required`);
    if (b.mchid !== this.o.mchId) return this.error(400, 'PARAM_ERROR', 'mchid does not match the merchant that signed');
    if (b.appid !== this.o.appId) return this.error(400, 'APPID_MCHID_NOT_MATCH', 'appid and mchid do not match');
    const outTradeNo = String(b.out_trade_no);
    if (!/^[0-9A-Za-z_\-|*]{6,32}$/.test(outTradeNo)) return this.error(400, 'PARAM_ERROR', 'out_trade_no must be 6 to 32 letters, digits, _-|*');
    const amount = asObject(b.amount);
    if (typeof amount.total !== 'number' || !Number.isInteger(amount.total) || amount.total <= 0) return this.error(400, 'PARAM_ERROR', 'amount.total must be a whole number of minor units, greater than 0');
    if (typeof amount.currency !== 'string' || !/^[A-Z]{3}$/.test(amount.currency)) return this.error(400, 'PARAM_ERROR', 'amount.currency must be an ISO 4217 code');
    const openid = asObject(b.payer).openid;
    if (typeof openid !== 'string' || openid === '') return this.error(400, 'PARAM_ERROR', 'payer.openid is required for JSAPI');
    try {
      if (!/^https?:$/.test(new URL(String(b.notify_url)).protocol)) throw new Error('scheme');
    } catch {
      return this.error(400, 'PARAM_ERROR', 'notify_url must be a URL');
    }
    const canonical = JSON.stringify([b.appid, b.description, amount.total, amount.currency, openid, b.notify_url]);
    const existing = this.transactions.get(outTradeNo);
    if (existing) {
      if (existing.state === 'SUCCESS' || existing.state === 'REFUND') return this.error(400, 'ORDERPAID', 'the order has been paid');
      if (existing.state === 'CLOSED') return this.error(400, 'ORDER_CLOSED', 'the order is closed');
      // The same order again: the same prepay_id; other parameters under the same number are refused.
      if (existing.body !== canonical) return this.error(400, 'OUT_TRADE_NO_USED', 'out_trade_no was used with other parameters');
      return this.answer(200, { prepay_id: existing.prepayId });
    }
    const tx: SimTransaction = {
      outTradeNo,
      transactionId: `42000${digits(23)}`,
      prepayId: `wx${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}${randomBytes(13).toString('hex')}`,
      appid: String(b.appid),
      description: String(b.description),
      total: amount.total,
      currency: amount.currency,
      openid,
      notifyUrl: String(b.notify_url),
      state: 'NOTPAY',
      createdAt: Date.now(),
      silent: this.silentNotifications,
      refunds: [],
      body: canonical,
    };
    this.transactions.set(outTradeNo, tx);
    // WeChat checks the mini program's paySign with the merchant's public key (the RSA rule).
    this.o.wechat.registerPrepay(tx.prepayId, {
      provider: 'wechatpay',
      signType: 'RSA',
      merchantPublicKeyPem: this.o.merchantPublicKey.export({ type: 'spki', format: 'pem' }).toString(),
      onPaid: (delivery) => this.pay(tx, delivery),
    });
    return this.answer(200, { prepay_id: tx.prepayId });
  }

  /** The transaction as query answers and notifications carry it. */
  transactionResource(tx: SimTransaction, state: string = tx.state): Json {
    const paid = state === 'SUCCESS' || state === 'REFUND';
    return {
      mchid: this.o.mchId,
      appid: tx.appid,
      out_trade_no: tx.outTradeNo,
      ...(paid ? { transaction_id: tx.transactionId, bank_type: 'OTHERS', success_time: tx.successTime ?? beijing(Date.now()) } : {}),
      trade_type: 'JSAPI',
      trade_state: state,
      trade_state_desc: { SUCCESS: 'Payment successful', NOTPAY: 'Not paid', CLOSED: 'Closed', REFUND: 'Transferred to refund' }[state] ?? state,
      attach: '',
      payer: { openid: tx.openid },
      amount: { total: tx.total, currency: tx.currency, ...(paid ? { payer_total: tx.total, payer_currency: 'CNY', exchange_rate: { type: 'SETTLEMENT_RATE', rate: 100000000 } } : {}) },
    };
  }

  private pay(tx: SimTransaction, delivery: DeliveryMode): void {
    tx.state = 'SUCCESS';
    tx.successTime = beijing(Date.now());
    if (tx.silent) return this.o.log(`wechatpay: ${tx.outTradeNo} paid; notification suppressed (silent)`);
    if (delivery.kind === 'failed-first') this.o.log('wechatpay: WeChat Pay sends no notification for a failed payment; "failed-first" delivers the paid one only');
    const mode: DeliveryMode = delivery.kind === 'failed-first' ? { kind: 'normal' } : delivery;
    runDelivery(mode, () => this.deliver(tx.notifyUrl, this.notification('TRANSACTION.SUCCESS', 'transaction', this.transactionResource(tx, 'SUCCESS'), 'Payment successful'), tx.outTradeNo), this.o.log);
  }

  /** A notification body: the envelope with its resource encrypted with the APIv3 key. */
  notification(eventType: string, originalType: 'transaction' | 'refund', resource: Json, summary: string): string {
    const nonce = randomBytes(6).toString('hex');
    return JSON.stringify({
      id: randomUUID(),
      create_time: beijing(Date.now()),
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary,
      resource: { original_type: originalType, algorithm: 'AEAD_AES_256_GCM', ciphertext: encrypt(JSON.stringify(resource), this.o.apiV3Key, nonce, originalType), associated_data: originalType, nonce },
    });
  }

  /** The genuine signed notification for a paid order (tests and tools). */
  signedNotification(orderNo: string, resourceOverrides: Json = {}, eventType = 'TRANSACTION.SUCCESS'): { body: string; contentType: string; headers: Record<string, string> } {
    const tx = this.find(orderNo);
    const body = this.notification(eventType, 'transaction', { ...this.transactionResource(tx, 'SUCCESS'), ...resourceOverrides }, 'Payment successful');
    return { body, contentType: 'application/json', headers: this.signedHeaders(body) };
  }

  /** The same notification signed with a key that is not WeChat Pay's, under the real serial: a forgery. */
  forgedNotification(orderNo: string): { body: string; contentType: string; headers: Record<string, string> } {
    const genuine = this.signedNotification(orderNo);
    this.forger ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const h = genuine.headers;
    const signature = sign('sha256', Buffer.from(`${h['Wechatpay-Timestamp']}\n${h['Wechatpay-Nonce']}\n${genuine.body}\n`, 'utf8'), this.forger).toString('base64');
    return { ...genuine, headers: { ...h, 'Wechatpay-Signature': signature } };
  }

  private forger: KeyObject | undefined;

  find(orderNo: string): SimTransaction {
    const tx = this.transactions.get(orderNo);
    if (!tx) throw new Error(`wechatpay sandbox: no order ${orderNo}`);
    return tx;
  }

  /** POSTs until HTTP 200/204, re-signing each attempt, on WeChat's schedule scaled; 16 attempts at most. */
  deliver(url: string, body: string, label: string): Promise<boolean> {
    return new Promise((resolve) => {
      const attempt = (n: number) => {
        fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...this.signedHeaders(body) }, body, signal: AbortSignal.timeout(5000) })
          .then(async (r) => {
            await r.text();
            return r.status;
          })
          .catch(() => 0)
          .then((status) => {
            this.o.log(`wechatpay: notification ${label} attempt ${n} → ${status || 'no answer'}`);
            if (status === 200 || status === 204) return resolve(true);
            const wait = RETRY_SCHEDULE_MS[n - 1];
            if (wait === undefined) return resolve(false);
            setTimeout(() => attempt(n + 1), Math.max(1, Math.round(wait * this.o.timeScale))).unref();
          });
      };
      attempt(1);
    });
  }

  private query(by: 'out' | 'id', ref: string, query: URLSearchParams): SimReply {
    if (query.get('mchid') !== this.o.mchId) return this.error(400, 'PARAM_ERROR', 'mchid is required in the query and must be the merchant that signed');
    const tx = by === 'out' ? this.transactions.get(ref) : [...this.transactions.values()].find((t) => t.transactionId === ref);
    if (!tx) return this.error(404, 'ORDER_NOT_EXIST', 'the order does not exist');
    const raw = this.scenarios.takeQueryStatus();
    return this.answer(200, this.transactionResource(tx, raw ?? tx.state));
  }

  private close(outTradeNo: string, b: Json | undefined): SimReply {
    if (!b || b.mchid !== this.o.mchId) return this.error(400, 'PARAM_ERROR', 'mchid is required and must be the merchant that signed');
    const tx = this.transactions.get(outTradeNo);
    if (!tx) return this.error(404, 'ORDER_NOT_EXIST', 'the order does not exist');
    if (tx.state === 'SUCCESS' || tx.state === 'REFUND') return this.error(400, 'ORDERPAID', 'the order has been paid');
    if (Date.now() - tx.createdAt < 5 * 60_000 * this.o.timeScale) return this.error(400, 'INVALID_REQUEST', 'an order can be closed only 5 minutes after it was placed');
    tx.state = 'CLOSED';
    return this.answer(204, undefined);
  }

  // --- Refunds ---

  private refundResource(r: SimRefund, status: string = r.status): Json {
    const tx = this.transactions.get(r.outTradeNo);
    return {
      mchid: this.o.mchId,
      out_trade_no: r.outTradeNo,
      transaction_id: tx?.transactionId ?? '',
      out_refund_no: r.outRefundNo,
      refund_id: r.refundId,
      refund_status: status,
      ...(status === 'SUCCESS' ? { success_time: beijing(Date.now()) } : {}),
      recipient_account: 'Payer balance',
      amount: { total: tx?.total ?? 0, refund: r.amount, currency: tx?.currency ?? '', payer_total: tx?.total ?? 0, payer_refund: r.amount },
    };
  }

  private refundAnswerJson(r: SimRefund, status: string): Json {
    const tx = this.transactions.get(r.outTradeNo);
    return {
      id: r.refundId,
      out_refund_no: r.outRefundNo,
      transaction_id: tx?.transactionId ?? '',
      out_trade_no: r.outTradeNo,
      channel: 'ORIGINAL',
      recipient_account: 'Payer balance',
      create_time: beijing(r.createdAt),
      status,
      amount: { refund: r.amount, currency: tx?.currency ?? '', payer_refund: r.amount, payer_currency: 'CNY', exchange_rate: { type: 'SETTLEMENT_RATE', rate: 100000000 } },
    };
  }

  private refund(b: Json | undefined): SimReply {
    if (!b) return this.error(400, 'PARAM_ERROR', 'the body is not JSON');
    for (const f of ['mchid', 'out_trade_no', 'out_refund_no']) if (typeof b[f] !== 'string' || b[f] === '') return this.error(400, 'PARAM_ERROR', `${f} is required`);
    if (b.mchid !== this.o.mchId) return this.error(400, 'PARAM_ERROR', 'mchid does not match the merchant that signed');
    const amount = asObject(b.amount);
    if (typeof amount.refund !== 'number' || !Number.isInteger(amount.refund) || amount.refund <= 0) return this.error(400, 'PARAM_ERROR', 'amount.refund must be a whole number of minor units, greater than 0');
    const tx = this.transactions.get(String(b.out_trade_no));
    if (!tx) return this.error(404, 'RESOURCE_NOT_EXISTS', 'the order does not exist');
    if (amount.total !== tx.total || amount.currency !== tx.currency) return this.error(400, 'PARAM_ERROR', 'amount.total and amount.currency must be those of the order');
    const outRefundNo = String(b.out_refund_no);
    const previous = this.refunds.get(outRefundNo);
    if (previous) {
      // out_refund_no is unique: the same refund sent again is answered, never paid twice.
      if (previous.outTradeNo !== tx.outTradeNo || previous.amount !== amount.refund) return this.error(400, 'INVALID_REQUEST', 'out_refund_no was used for another refund');
      return this.answer(200, this.refundAnswerJson(previous, previous.status));
    }
    if (tx.state !== 'SUCCESS' && tx.state !== 'REFUND') return this.error(400, 'INVALID_REQUEST', 'only a paid order can be refunded');
    if (tx.refunds.length >= 50) return this.error(400, 'INVALID_REQUEST', 'an order can be refunded at most 50 times');
    if (tx.lastRefundAt !== undefined && Date.now() - tx.lastRefundAt < this.refundIntervalMs) return this.error(429, 'FREQUENCY_LIMITED', 'refunds of one order must be 1 minute apart');
    const held = tx.refunds.map((n) => this.refunds.get(n)).filter((r) => r && r.status !== 'CLOSED').reduce((s, r) => s + r!.amount, 0);
    if (held + amount.refund > tx.total) return this.error(400, 'INVALID_REQUEST', 'the refund amount exceeds what remains of the order');

    const scenario = this.scenarios.takeRefund();
    if (scenario.answer === 'NOT_ENOUGH') {
      // Nothing is booked: the same out_refund_no may be sent again later.
      this.o.log(`wechatpay: refund ${outRefundNo} answered NOT_ENOUGH (nothing refunded)`);
      return this.error(403, 'NOT_ENOUGH', 'the cross-border refund balance is insufficient today; try again later');
    }
    const r: SimRefund = {
      outRefundNo,
      refundId: `50300${digits(24)}`,
      outTradeNo: tx.outTradeNo,
      amount: amount.refund,
      status: scenario.truth === 'succeeded' ? 'SUCCESS' : 'CLOSED',
      createdAt: Date.now(),
      scenario,
      notifyUrl: typeof b.notify_url === 'string' ? b.notify_url : tx.notifyUrl,
    };
    this.refunds.set(outRefundNo, r);
    tx.refunds.push(outRefundNo);
    tx.lastRefundAt = Date.now();
    if (r.status === 'SUCCESS') tx.state = 'REFUND';
    this.o.log(`wechatpay: refund ${outRefundNo} of ${r.amount} ${tx.currency} for ${tx.outTradeNo}: ${scenario.truth}, answer ${scenario.answer}`);
    this.refundNotifications(r, scenario);
    switch (scenario.answer) {
      case 'succeeded':
        return this.answer(200, this.refundAnswerJson(r, r.status === 'SUCCESS' ? 'SUCCESS' : 'PROCESSING'));
      case 'refused':
        return this.error(403, 'USER_ACCOUNT_ABNORMAL', 'the refund cannot be made: the payer\'s account is abnormal');
      case 'contradictory':
        // WeChat's own two spellings: the answer says PROCESSING; the notification pairs an event with another status.
        return this.answer(200, this.refundAnswerJson(r, 'PROCESSING'));
      case 'lost':
        // Carried out, and the connection dies before any answer (the stack destroys the socket).
        return LOST_REPLY;
      default:
        switch (scenario.variant) {
          case 'html':
            return { status: 200, body: '<!doctype html><html><body><p>The service is busy. Please try again later.</p></body></html>', headers: { 'Content-Type': 'text/html; charset=utf-8' } };
          case 'empty':
            return { status: 200, body: '{}', headers: { 'Content-Type': 'application/json' } };
          case 'http-500':
            return { status: 500, body: '<html><body><h1>500 Internal Server Error</h1></body></html>', headers: { 'Content-Type': 'text/html' } };
          default:
            return this.error(400, 'BIZERR_UNDOCUMENTED', 'a code WeChat Pay documents nowhere');
        }
    }
  }

  private refundNotifications(r: SimRefund, scenario: RefundScenario): void {
    // A refusal that really refused nothing has no notification; one that paid out anyway (truth
    // succeeded) is told by the notification, as WeChat Pay reports what happened.
    if (scenario.callback === 'never' || (scenario.answer === 'refused' && r.status !== 'SUCCESS')) return;
    const event = r.status === 'SUCCESS' ? 'REFUND.SUCCESS' : 'REFUND.CLOSED';
    // "contradictory": the event says one thing, the encrypted refund_status another.
    const status = scenario.answer === 'contradictory' ? (r.status === 'SUCCESS' ? 'CLOSED' : 'SUCCESS') : r.status;
    const body = this.notification(event, 'refund', this.refundResource(r, status), event === 'REFUND.SUCCESS' ? 'Refund successful' : 'Refund closed');
    const times = scenario.callback === 'twice' ? 2 : 1;
    for (let i = 0; i < times; i++) void this.deliver(r.notifyUrl, body, `${event} ${r.outRefundNo}`);
  }

  /** A signed REFUND.* notification for a refund (tests: ABNORMAL, replays). */
  refundNotification(outRefundNo: string, event: 'REFUND.SUCCESS' | 'REFUND.CLOSED' | 'REFUND.ABNORMAL', status?: string): { body: string; headers: Record<string, string> } {
    const r = this.refunds.get(outRefundNo);
    if (!r) throw new Error(`wechatpay sandbox: no refund ${outRefundNo}`);
    const body = this.notification(event, 'refund', this.refundResource(r, status ?? event.slice('REFUND.'.length)), 'Refund');
    return { body, headers: this.signedHeaders(body) };
  }

  private refundQuery(outRefundNo: string, query: URLSearchParams): SimReply {
    if (query.get('mchid') !== this.o.mchId) return this.error(400, 'PARAM_ERROR', 'mchid is required in the query and must be the merchant that signed');
    const r = this.refunds.get(outRefundNo);
    if (!r) return this.error(404, 'RESOURCE_NOT_EXISTS', 'the refund does not exist');
    // The global pages spell a closed refund REFUNDCLOSE (the notifications say CLOSED).
    return this.answer(200, this.refundAnswerJson(r, r.status === 'CLOSED' ? 'REFUNDCLOSE' : r.status));
  }
}

function parse(text: string): Json | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
}

function asObject(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

/** AEAD_AES_256_GCM: Base64(ciphertext ‖ 16-byte tag), key = the APIv3 key's bytes. */
export function encrypt(plaintext: string, apiV3Key: string, nonce: string, associatedData: string): string {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
}
