/**
 * NewPay's v1 refund in the simulator, written from the docs apart from the adapter
 * (pre-lnp-openapi.newpay.la `413-refund.html`, `8-refund-callback.html`; gitbook 4.3.2):
 * `POST /api/open/converge/pay/v1/refund`, header `version: 1.0`, signed request
 * `{appId, merchantId, timestamp, sign, refundOrderAmt, orderNo, refundOrderNo, refundDesc,
 * callBackUrl}`; answer `data{tranStatus 1, refundOrderAmt, newpayRefundOrderNo, ...}` signed
 * with the platform key; then the signed refund callback to callBackUrl until
 * `{"transResult":"SUCCESS"}`. The v2 refund query `uniQueryRefund` reads the same books
 * (`queryView`, answered by ./sandbox.ts).
 *
 * Rules: the order must be paid; the total refunded never exceeds what was paid (Z01020, "more
 * than paid", gitbook 9.-business-code); refundOrderNo is unique: the same refundOrderNo again,
 * for whatever amount and whatever became of the first, answers Z01026 (refund number already
 * exists) and moves no money. Other codes: Z00005 / Z00007 (sign), E9008 (no such order),
 * Z00018 / Z00020 (amount); what NewPay publishes no code for answers SIM400.
 *
 * The success callback is sent as the docs show it, inconsistencies included: `callbackStyle`
 * 'example' (default) sends the published example's `transStatus: 0` with "Transaction
 * Success"; 'table' sends the table's `transStatus: 1` without transInfo. A refund that in
 * truth failed calls back `transStatus: 0` with transInfo "Refund not successful" (the table's
 * failure code; transInfo is "the reason for failure") in both styles: only a query tells it
 * from the example's success.
 *
 * Scenarios (../misbehaviour.ts): refused → Z00048 (pay method cannot be refunded);
 * uncertain `code` → an unsigned `{success:false, code:"Z99999"}` envelope (a code NewPay does
 * not document), or html / empty / http-500; contradictory → NewPay's own contradiction: a
 * signed success envelope whose data says `tranStatus: 0`, `tranInfo: "Transaction Success"`
 * (the shape of its refund-callback example); lost → the socket is destroyed after booking.
 * `callback`: normal (one, resent until acknowledged), never, twice (the same signed body
 * delivered twice at once, each resent until acknowledged); callbacks follow every booked
 * refund, a refused one included, and report its truth.
 * Older test controls: `loseNextAnswer` processes a refund but answers HTTP 502 (the callback
 * still comes); `silentCallbacks` sends none.
 */
import { deliver } from '../notifier';
import { isTransResultSuccess } from './acknowledgement';
import { BoundedMap } from '../../bounded-map';
import { LOST_REPLY, answerLabel, bookTotals, unreadableReply, type BookedOrder, type Misbehaviour, type RefundAnswer, type RefundScenario } from '../misbehaviour';
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
  /** What NewPay did: SUCCESS (the money went back) or FAIL. */
  status: 'SUCCESS' | 'FAIL';
  answer: RefundAnswer | 'default';
  at: string;
}

/** What uniQueryRefund reports of one refund (gitbook 5.4 response `data`, before signing). */
export interface RefundQueryView {
  newpayRefundNo: string;
  mchRefundNo: string;
  newpayOrderNo: string;
  refundAmt: { value: string; currency: string };
  orderAmt: { value: string; currency: string };
  refundStatus: 'SUCCESS' | 'FAIL' | 'PROCESSING';
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
  misbehaviour(): Misbehaviour;
  retryIntervalMs: number;
  log: (line: string) => void;
}

/** Minor units of a NewPay amount string: LAK whole, USD with up to 2 decimals. */
function minor(amount: string, currency: string): number {
  const [whole, fraction = ''] = amount.split('.');
  return currency === 'LAK' ? Number(whole) : Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** "150000" → "150000.00": how NewPay's examples write amounts, LAK included. */
function withTwoDecimals(amount: string): string {
  return amount.includes('.') ? amount : `${amount}.00`;
}

function digits(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(Math.random() * 10));
  return s;
}

/** The refusal a `refused` scenario answers, and the undocumented code of an uncertain `code` answer. */
export const NEWPAY_REFUSED_CODE = 'Z00048';
export const NEWPAY_UNDOCUMENTED_CODE = 'Z99999';

export class NewPayRefunds {
  /** Refunds by refundOrderNo (the last 2,000). */
  private readonly refunds = new BoundedMap<string, SimRefund>();
  callbackStyle: 'example' | 'table' = 'example';
  loseNextAnswer = false;
  silentCallbacks = false;

  constructor(private readonly o: NewPayRefundsOptions) {}

  /** What NewPay paid back of an order, in minor units. */
  private refundedOf(orderNo: string, currency: string): number {
    let total = 0;
    for (const r of this.refunds.values()) if (r.orderNo === orderNo && r.status === 'SUCCESS') total += minor(r.refundOrderAmt, currency);
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
    if (this.refunds.has(refundOrderNo)) return this.o.fail('Z01026', 'refund number already exists');
    const remaining = minor(order.orderAmt, order.currency) - this.refundedOf(order.orderNo, order.currency);
    if (minor(amt, order.currency) > remaining) return this.o.fail('Z01020', 'refundOrderAmt is more than the amount paid');
    try {
      if (!/^https?:$/.test(new URL(String(body.callBackUrl)).protocol)) throw new Error('scheme');
    } catch {
      return this.o.fail('SIM400', 'callBackUrl is not a URL');
    }
    const scenario = this.o.misbehaviour().takeRefund();
    const r: SimRefund = {
      refundOrderNo,
      orderNo: order.orderNo,
      refundOrderAmt: amt,
      newpayRefundOrderNo: `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}9${digits(9)}`,
      callBackUrl: String(body.callBackUrl),
      status: scenario.truth === 'succeeded' ? 'SUCCESS' : 'FAIL',
      answer: answerLabel(scenario),
      at: new Date().toISOString(),
    };
    this.refunds.set(refundOrderNo, r);
    this.o.log(`newpay: refund ${refundOrderNo} of ${amt} ${order.currency} for ${order.orderNo}: ${r.status}, answer ${scenario.answer}`);
    this.sendCallbacks(r, order.currency, scenario);
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      return { status: 502, body: 'Bad Gateway', headers: { 'Content-Type': 'text/plain' } };
    }
    return this.reply(r, order, scenario);
  }

  private reply(r: SimRefund, order: NewPayRefundableOrder, scenario: RefundScenario): SimReply {
    switch (scenario.answer) {
      case 'succeeded':
        // The documented success shape, whatever the truth (a refund that failed is then a lie).
        return this.o.ok(this.answer(r, order));
      case 'refused':
        return this.o.fail(NEWPAY_REFUSED_CODE, 'pay method cannot be refunded');
      case 'contradictory':
        return this.o.ok({ ...this.answer(r, order), tranStatus: 0, tranInfo: 'Transaction Success' });
      case 'lost':
        return LOST_REPLY;
      case 'uncertain':
        // The unsigned error envelope, with a code no NewPay page lists.
        return scenario.variant === 'code' || scenario.variant === undefined ? this.o.fail(NEWPAY_UNDOCUMENTED_CODE, 'system busy') : unreadableReply(scenario.variant);
    }
  }

  /** The signed refund callback for a refund: success in the configured style, or the failure shape. */
  callbackBody(refundOrderNo: string, currency = 'LAK'): string {
    const r = this.refunds.get(refundOrderNo);
    if (!r) throw new Error(`newpay sandbox: no refund ${refundOrderNo}`);
    // LAK amounts are written "123.00" in NewPay's callbacks.
    const refundOrderAmt = currency === 'LAK' && !r.refundOrderAmt.includes('.') ? `${r.refundOrderAmt}.00` : r.refundOrderAmt;
    const common = { refundOrderAmt, newpayRefundOrderNo: r.newpayRefundOrderNo, refundOrderNo: r.refundOrderNo, timestamp: Date.now() };
    const fields: Json =
      r.status === 'FAIL'
        ? { ...common, transStatus: 0, transInfo: 'Refund not successful' }
        : this.callbackStyle === 'example'
          ? { ...common, transStatus: 0, transInfo: 'Transaction Success' }
          : { ...common, transStatus: 1 };
    return this.o.signedBody(fields);
  }

  private sendCallbacks(r: SimRefund, currency: string, scenario: RefundScenario): void {
    if (this.silentCallbacks || scenario.callback === 'never') {
      this.o.log(`newpay: refund ${r.refundOrderNo}: no callback (${this.silentCallbacks ? 'silent' : 'callback "never"'})`);
      return;
    }
    const body = this.callbackBody(r.refundOrderNo, currency);
    const send = (copy: number) =>
      void deliver({
        url: r.callBackUrl,
        body,
        contentType: 'application/json',
        acknowledged: isTransResultSuccess,
        intervalMs: this.o.retryIntervalMs,
        maxAttempts: 4,
        onAttempt: (n, status) => this.o.log(`newpay: refund callback ${r.refundOrderNo}${copy > 1 ? ` (copy ${copy})` : ''} attempt ${n} → ${status}`),
      });
    send(1);
    if (scenario.callback === 'twice') send(2);
  }

  /** uniQueryRefund's view of a refund, by mchRefundNo (our refundOrderNo) and/or newpayRefundNo. */
  queryView(by: { mchRefundNo?: string; newpayRefundNo?: string }, findOrder: (orderNo: string) => NewPayRefundableOrder | undefined): RefundQueryView | undefined {
    const r =
      by.mchRefundNo !== undefined
        ? this.refunds.get(by.mchRefundNo)
        : [...this.refunds.values()].find((x) => x.newpayRefundOrderNo === by.newpayRefundNo);
    if (!r || (by.newpayRefundNo !== undefined && r.newpayRefundOrderNo !== by.newpayRefundNo)) return undefined;
    const order = findOrder(r.orderNo);
    if (!order) return undefined;
    return {
      newpayRefundNo: r.newpayRefundOrderNo,
      mchRefundNo: r.refundOrderNo,
      newpayOrderNo: order.newpayOrderNo,
      refundAmt: { value: withTwoDecimals(r.refundOrderAmt), currency: order.currency },
      orderAmt: { value: withTwoDecimals(order.orderAmt), currency: order.currency },
      refundStatus: r.status,
    };
  }

  /** The books as the portal shows them, by the merchant's orderNo. */
  bookedOrders(findOrder: (orderNo: string) => NewPayRefundableOrder | undefined): BookedOrder[] {
    const byOrder = new Map<string, SimRefund[]>();
    for (const r of this.refunds.values()) byOrder.set(r.orderNo, [...(byOrder.get(r.orderNo) ?? []), r]);
    const pages: BookedOrder[] = [];
    for (const [orderNo, list] of byOrder) {
      const order = findOrder(orderNo);
      if (!order) continue;
      const refunds = list.map((r) => ({
        refundNo: r.refundOrderNo,
        amount: minor(r.refundOrderAmt, order.currency),
        truth: r.status === 'SUCCESS' ? ('succeeded' as const) : ('failed' as const),
        answer: r.answer,
        at: r.at,
      }));
      pages.push({ orderNo, currency: order.currency, paid: minor(order.orderAmt, order.currency), ...bookTotals(refunds), refunds });
    }
    return pages;
  }
}
