/**
 * NewPay's v1 refund in the simulator, written from the docs apart from the adapter
 * (pre-lnp-openapi.newpay.la `413-refund.html`, `8-refund-callback.html`; gitbook 4.3.2):
 * `POST /api/open/converge/pay/v1/refund`, header `version: 1.0`, signed request
 * `{appId, merchantId, timestamp, sign, refundOrderAmt, orderNo, refundOrderNo, refundDesc,
 * callBackUrl}`; answer `data{tranStatus 1, refundOrderAmt, newpayRefundOrderNo, ...}` signed
 * with the platform key; then the signed refund callback to callBackUrl until
 * `{"transResult":"SUCCESS"}`.
 *
 * Rules: the order must be paid; the total refunded never exceeds what was paid; the same
 * refundOrderNo for the same refund answers it again and refunds nothing more, for another
 * one it is Z01028 (order number unavailable). Codes: Z00005 / Z00007 (sign), E9008 (no such
 * order), Z00018 / Z00020 (amount), Z01028; what NewPay publishes no code for answers SIM400.
 *
 * The callback is sent as the docs show it, inconsistencies included: `callbackStyle`
 * 'example' (default) sends the published example's `transStatus: 0` with "Transaction
 * Success"; 'table' sends the table's `transStatus: 1` without transInfo. Test controls:
 * `loseNextAnswer` processes a refund but answers HTTP 502 (the callback still comes);
 * `silentCallbacks` sends none.
 */
import { deliver } from '../notifier';
import { isTransResultSuccess } from './acknowledgement';
import type { SimReply } from '../types';

type Json = Record<string, unknown>;

export interface NewPayRefundableOrder {
  newpayOrderNo: string;
  orderNo: string;
  orderAmt: string;
  currency: string;
  status: string;
}

interface SimRefund {
  refundOrderNo: string;
  orderNo: string;
  refundOrderAmt: string;
  newpayRefundOrderNo: string;
  callBackUrl: string;
}

export interface NewPayRefundsOptions {
  appId: string;
  merchantId: string;
  findByOrderNo(orderNo: string): NewPayRefundableOrder | undefined;
  /** Checks the merchant's request signature (section 8 rule). */
  verifyMerchant(body: Json): boolean;
  /** A signed callback body (section 8 rule, platform key). */
  signedBody(fields: Json): string;
  ok(data: Json): SimReply;
  fail(code: string, message: string, status?: number): SimReply;
  retryIntervalMs: number;
  log: (line: string) => void;
}

/** Minor units of a NewPay amount string: LAK whole, USD with up to 2 decimals. */
function minor(amount: string, currency: string): number {
  const [whole, fraction = ''] = amount.split('.');
  return currency === 'LAK' ? Number(whole) : Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

function digits(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(Math.random() * 10));
  return s;
}

export class NewPayRefunds {
  private readonly refunds = new Map<string, SimRefund>();
  callbackStyle: 'example' | 'table' = 'example';
  loseNextAnswer = false;
  silentCallbacks = false;

  constructor(private readonly o: NewPayRefundsOptions) {}

  private refundedOf(orderNo: string, currency: string): number {
    let total = 0;
    for (const r of this.refunds.values()) if (r.orderNo === orderNo) total += minor(r.refundOrderAmt, currency);
    return total;
  }

  private answer(r: SimRefund, order: NewPayRefundableOrder): Json {
    return {
      appId: this.o.appId,
      orderNo: r.orderNo,
      newpayOrderNo: order.newpayOrderNo,
      refundOrderNo: r.refundOrderNo,
      refundOrderAmt: r.refundOrderAmt,
      newpayRefundOrderNo: r.newpayRefundOrderNo,
      currency: order.currency,
      tranStatus: 1,
    };
  }

  refund(body: Json): SimReply {
    if (typeof body.sign !== 'string' || body.sign === '') return this.o.fail('Z00005', 'sign is illegal');
    for (const f of ['appId', 'merchantId', 'timestamp', 'refundOrderAmt', 'orderNo', 'refundOrderNo', 'callBackUrl']) {
      if (body[f] === undefined || body[f] === null || body[f] === '') return this.o.fail('SIM400', `${f} is required`);
    }
    if (String(body.appId) !== this.o.appId || String(body.merchantId) !== this.o.merchantId || !this.o.verifyMerchant(body)) {
      return this.o.fail('Z00007', 'sign verification failed');
    }
    const order = this.o.findByOrderNo(String(body.orderNo));
    if (!order) return this.o.fail('E9008', 'order not found');
    if (order.status !== 'paid') return this.o.fail('SIM400', 'only a paid order can be refunded');
    const amt = String(body.refundOrderAmt);
    if (!(order.currency === 'LAK' ? /^\d+$/ : /^\d+(\.\d{1,2})?$/).test(amt)) return this.o.fail('Z00018', `refundOrderAmt is not valid for ${order.currency}`);
    if (minor(amt, order.currency) <= 0) return this.o.fail('Z00020', 'refundOrderAmt must be greater than 0');
    const refundOrderNo = String(body.refundOrderNo);
    const previous = this.refunds.get(refundOrderNo);
    if (previous) {
      if (previous.orderNo !== order.orderNo || minor(previous.refundOrderAmt, order.currency) !== minor(amt, order.currency)) {
        return this.o.fail('Z01028', 'refund order number unavailable');
      }
      return this.o.ok(this.answer(previous, order));
    }
    const remaining = minor(order.orderAmt, order.currency) - this.refundedOf(order.orderNo, order.currency);
    if (minor(amt, order.currency) > remaining) return this.o.fail('SIM400', 'refundOrderAmt is more than the refundable amount');
    try {
      if (!/^https?:$/.test(new URL(String(body.callBackUrl)).protocol)) throw new Error('scheme');
    } catch {
      return this.o.fail('SIM400', 'callBackUrl is not a URL');
    }
    const r: SimRefund = {
      refundOrderNo,
      orderNo: order.orderNo,
      refundOrderAmt: amt,
      newpayRefundOrderNo: `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}9${digits(9)}`,
      callBackUrl: String(body.callBackUrl),
    };
    this.refunds.set(refundOrderNo, r);
    this.o.log(`newpay: refund ${refundOrderNo} of ${amt} ${order.currency} for ${order.orderNo}`);
    this.sendCallback(r, order.currency);
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      return { status: 502, body: 'Bad Gateway', headers: { 'Content-Type': 'text/plain' } };
    }
    return this.o.ok(this.answer(r, order));
  }

  /** The signed refund callback for a refund, in the configured style. */
  callbackBody(refundOrderNo: string, currency = 'LAK'): string {
    const r = this.refunds.get(refundOrderNo);
    if (!r) throw new Error(`newpay sandbox: no refund ${refundOrderNo}`);
    // LAK amounts are written "123.00" in NewPay's callbacks.
    const refundOrderAmt = currency === 'LAK' && !r.refundOrderAmt.includes('.') ? `${r.refundOrderAmt}.00` : r.refundOrderAmt;
    const fields: Json =
      this.callbackStyle === 'example'
        ? { refundOrderAmt, newpayRefundOrderNo: r.newpayRefundOrderNo, refundOrderNo: r.refundOrderNo, transStatus: 0, transInfo: 'Transaction Success', timestamp: Date.now() }
        : { refundOrderAmt, newpayRefundOrderNo: r.newpayRefundOrderNo, refundOrderNo: r.refundOrderNo, transStatus: 1, timestamp: Date.now() };
    return this.o.signedBody(fields);
  }

  private sendCallback(r: SimRefund, currency: string): void {
    if (this.silentCallbacks) return;
    const body = this.callbackBody(r.refundOrderNo, currency);
    void deliver({
      url: r.callBackUrl,
      body,
      contentType: 'application/json',
      acknowledged: isTransResultSuccess,
      intervalMs: this.o.retryIntervalMs,
      maxAttempts: 4,
      onAttempt: (n, status) => this.o.log(`newpay: refund callback ${r.refundOrderNo} attempt ${n} → ${status}`),
    });
  }
}
