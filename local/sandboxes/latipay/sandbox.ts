/**
 * A Latipay simulator at the real API paths (the adapter only changes its base URL).
 * Written apart from the adapter, on crypto-js, from the docs (doc.latipay.net/v2): it
 * verifies request signatures, answers like Latipay, rejects what Latipay rejects, and
 * when the shopper pays sends the signed, form-encoded notification until it gets `sent`.
 */
import CryptoJS from 'crypto-js';
import { randomBytes } from 'node:crypto';
import { deliver } from '../notifier';
import { runDelivery, type DeliveryMode } from '../delivery';
import { LatipayRefunds } from './refunds';
import { Misbehaviour } from '../misbehaviour';
import type { WechatSandbox } from '../wechat';

export interface LatipaySandboxOptions {
  userId: string;
  walletId: string;
  apiKey: string;
  currency: string;
  /** The mini program AppID: requests for another app are refused like Latipay would. */
  appId: string;
  /** The WeChat Pay API key Latipay signs the mini program parameters with. */
  wechatPayKey: string;
  wechat: WechatSandbox;
  retryIntervalMs: number;
  log: (line: string) => void;
}

interface Transaction {
  merchantReference: string;
  orderId: string;
  amount: string;
  currency: string;
  status: 'pending' | 'paid';
  notifyUrl: string;
  prepayId: string;
  payTime?: string;
  /** Test control: a provider that never notifies (reconciliation must settle it). */
  silent: boolean;
}

import type { SandboxRequest, SimReply } from '../types';
import { BoundedMap } from '../../bounded-map';

// product_name is optional in the seed but required in Latipay's current docs (latipay-wechat-mini-app.md).
const REQUIRED = ['user_id', 'wallet_id', 'amount', 'notify_url', 'merchant_reference', 'product_name', 'app_id', 'open_id', 'signature'] as const;
const SINGLE_PAYMENT_LIMIT = 5_000_000; // cents

function hmac(message: string, key: string): string {
  return CryptoJS.HmacSHA256(message, key).toString(CryptoJS.enc.Hex);
}

function sortedMessage(params: Record<string, unknown>, key: string): string {
  return (
    Object.keys(params)
      .filter((k) => k !== 'signature' && params[k] !== null && params[k] !== undefined && params[k] !== '')
      .sort()
      .map((k) => `${k}=${String(params[k])}`)
      .join('&') + key
  );
}

function randomDigits(n: number): string {
  return Array.from(randomBytes(n), (b) => String(b % 10)).join('');
}

export class LatipaySandbox {
  private readonly transactions = new BoundedMap<string, Transaction>();
  /** Set by tests: new transactions never send notifications. */
  silentNotifications = false;

  /** POST /refund and /v2/refund (./refunds.ts). */
  readonly refunds: LatipayRefunds;
  /** next-refund, next-query and the refund books (../misbehaviour.ts). */
  readonly misbehaviour: Misbehaviour;

  constructor(private readonly o: LatipaySandboxOptions) {
    this.refunds = new LatipayRefunds(o, (orderId) => [...this.transactions.values()].find((t) => t.orderId === orderId), () => this.misbehaviour);
    this.misbehaviour = new Misbehaviour(
      'latipay',
      {
        orders: () => this.refunds.bookedOrders(),
        order: (orderNo) => this.refunds.bookedOrders().find((b) => b.orderNo === orderNo),
      },
      o.log,
    );
  }

  /** Routes requests under /sandbox/latipay. */
  handle(req: SandboxRequest): SimReply {
    const control = this.misbehaviour.handle(req);
    if (control) return control;
    if (req.path === '/v2/miniapppay' && req.method === 'POST') return this.miniapppay(req.json());
    if ((req.path === '/refund' || req.path === '/v2/refund') && req.method === 'POST') return this.refunds.refund(req.json());
    const tx = /^\/v2\/transaction\/([^/]+)$/.exec(req.path);
    if (tx && req.method === 'GET') return this.transaction(decodeURIComponent(tx[1] as string), req.query);
    return this.error(404, 404, `no Latipay API at ${req.method} ${req.path}`);
  }

  private error(status: number, code: number, message: string): SimReply {
    return { status, body: { code, message } };
  }

  miniapppay(body: Record<string, unknown>): SimReply {
    for (const field of REQUIRED) {
      if (typeof body[field] !== 'string' || body[field] === '') return this.error(400, 204, `${field} is null or empty`);
    }
    const expected = hmac(sortedMessage(body, this.o.apiKey), this.o.apiKey);
    if (expected !== body.signature) return this.error(401, 206, 'signature is wrong');
    // Codes from Latipay's error-code page (src/v2/error-code.md).
    if (body.user_id !== this.o.userId) return this.error(400, 205, 'Cannot find out corresponding key for the user code or user is disabled');
    if (body.wallet_id !== this.o.walletId) return this.error(400, 450, 'Wallet not assign to user');
    if (body.app_id !== this.o.appId) return this.error(400, 207, 'Param is wrong: app_id is not bound to this wallet');
    const amount = String(body.amount);
    if (!/^\d+(\.\d{1,2})?$/.test(amount) || Number(amount.replace('.', '')) === 0) {
      return this.error(400, 207, 'Param is wrong: amount must be a positive decimal with at most 2 decimals');
    }
    const cents = Math.round(Number(amount) * 100);
    if (cents > SINGLE_PAYMENT_LIMIT) return this.error(400, 454, 'amount is over the single-payment limit');
    try {
      const url = new URL(String(body.notify_url));
      if (!/^https?:$/.test(url.protocol)) throw new Error('scheme');
    } catch {
      return this.error(400, 207, 'Param is wrong: notify_url is not a URL');
    }
    const reference = String(body.merchant_reference);
    let tx = this.transactions.get(reference);
    if (tx && tx.status === 'paid') return this.error(400, 207, 'Param is wrong: merchant_reference has already been paid');
    if (tx && tx.amount !== amount) return this.error(400, 207, 'Param is wrong: merchant_reference was used with another amount');
    if (!tx) {
      tx = {
        merchantReference: reference,
        orderId: `${new Date().getFullYear()}${randomDigits(12)}`,
        amount,
        currency: this.o.currency,
        status: 'pending',
        notifyUrl: String(body.notify_url),
        prepayId: `wx${Date.now()}${randomDigits(10)}`,
        silent: this.silentNotifications,
      };
      this.transactions.set(reference, tx);
    }
    // A fresh signed parameter set each time: the shopper may retry after cancelling.
    const payment = {
      timeStamp: String(Math.floor(Date.now() / 1000)),
      nonceStr: randomBytes(12).toString('hex'),
      packageStr: `prepay_id=${tx.prepayId}`,
      signType: 'MD5',
    };
    const paySign = CryptoJS.MD5(
      `appId=${this.o.appId}&nonceStr=${payment.nonceStr}&package=${payment.packageStr}&signType=MD5&timeStamp=${payment.timeStamp}&key=${this.o.wechatPayKey}`,
    )
      .toString()
      .toUpperCase();
    const current = tx;
    this.o.wechat.registerPrepay(tx.prepayId, { provider: 'latipay', signType: 'MD5', key: this.o.wechatPayKey, onPaid: (delivery) => this.paid(current, delivery) });
    return { status: 200, body: { code: 0, message: 'success', payment: { ...payment, paySign }, paydata: { order_id: tx.orderId } } };
  }

  /** `status` may differ from the transaction's: a failed report, or a raw status set by next-query. */
  private resultSignature(tx: Transaction, status: string = tx.status, apiKey = this.o.apiKey): string {
    return hmac(tx.merchantReference + 'wechat' + status + tx.currency + tx.amount, apiKey);
  }

  /**
   * The form-encoded notification Latipay sends for a transaction. `apiKey` lets tests
   * sign it with another merchant's key (a forgery the adapter must refuse).
   */
  /** The same notification signed with a key that is not the merchant's: a forgery. */
  forgedNotification(reference: string): { body: string; contentType: string } {
    return this.signedNotification(reference, 'not-the-merchants-api-key');
  }

  /** The signed notification; `status` overrides the transaction's (a "failed" report before the paid one). */
  signedNotification(reference: string, apiKey = this.o.apiKey, status: string = this.transactions.get(reference)?.status ?? ''): { body: string; contentType: string } {
    const tx = this.transactions.get(reference);
    if (!tx) throw new Error(`latipay sandbox: no transaction ${reference}`);
    const form = new URLSearchParams({
      merchant_reference: tx.merchantReference,
      order_id: tx.orderId,
      currency: tx.currency,
      amount: tx.amount,
      payment_method: 'wechat',
      status,
      pay_time: tx.payTime ?? '',
      signature: this.resultSignature(tx, status, apiKey),
    });
    return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
  }

  private paid(tx: Transaction, delivery: DeliveryMode): void {
    tx.status = 'paid';
    tx.payTime = new Date().toISOString().replace('T', ' ').slice(0, 19);
    if (tx.silent) {
      this.o.log(`latipay: ${tx.merchantReference} paid; notification suppressed (silent mode)`);
      return;
    }
    runDelivery(
      delivery,
      (outcome) => {
        const { body, contentType } = this.signedNotification(tx.merchantReference, this.o.apiKey, outcome);
        return deliver({
          url: tx.notifyUrl,
          body,
          contentType,
          // Latipay resends until the body is exactly "sent" (about every 30 s).
          acknowledged: (status, text) => status === 200 && text.trim() === 'sent',
          intervalMs: this.o.retryIntervalMs,
          maxAttempts: 10,
          onAttempt: (n, status) => this.o.log(`latipay: notify ${tx.merchantReference} (${outcome}) attempt ${n} → ${status}`),
        });
      },
      this.o.log,
    );
  }

  /** GET /v2/transaction/{merchant_reference}?user_id=..&signature=.. */
  transaction(reference: string, query: URLSearchParams): SimReply {
    const userId = query.get('user_id');
    const signature = query.get('signature');
    if (!userId || !signature) return this.error(400, 204, 'user_id and signature are required');
    const expected = hmac(`merchant_reference=${reference}&user_id=${userId}${this.o.apiKey}`, this.o.apiKey);
    if (expected !== signature) return this.error(401, 206, 'signature is wrong');
    if (userId !== this.o.userId) return this.error(400, 207, 'user_id is not valid');
    const tx = this.transactions.get(reference);
    if (!tx) return this.error(404, 201, 'order not found');
    // next-query: this answer reports the raw status set from outside, signed over it as usual.
    const status = this.misbehaviour.takeQueryStatus() ?? tx.status;
    return {
      status: 200,
      body: {
        merchant_reference: tx.merchantReference,
        currency: tx.currency,
        // Latipay's query returns the amount as a JSON number.
        amount: Number(tx.amount),
        payment_method: 'wechat',
        status,
        pay_time: tx.payTime ?? null,
        order_id: tx.orderId,
        signature: this.resultSignature(tx, status),
      },
    };
  }
}

/** A request signed as a merchant signs it (the simulator's own code: the bench's direct baseline). */
export function merchantSignature(params: Record<string, unknown>, apiKey: string): string {
  return hmac(sortedMessage(params, apiKey), apiKey);
}
