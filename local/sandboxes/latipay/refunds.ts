/**
 * Latipay's refund API in the simulator (latipay-hosted-online.md §5–6), written from the docs
 * apart from the adapter: `POST /refund` (documented) and `POST /v2/refund` (the path the
 * omnipay-latipay library uses) answer alike. JSON `{user_id, order_id, refund_amount,
 * reference, signature}`, signed by the sorted rule; answer `{code, message}` with HTTP 200,
 * code 0 = refunded (no notification and no refund query are documented: the answer is the
 * only word Latipay gives).
 *
 * Latipay names 550, 551, 556, 558, 559 and 562 as refund refusals without saying which is
 * which; the simulator's use of them is its own choice, and the adapter depends on none:
 *   550 the order is not paid · 551 more than what remains to refund (the over-refund code) ·
 *   556 malformed amount · 559 the refusal a `refused` scenario answers.
 *   201 / 204 / 206 / 207 as documented.
 * `reference` is "notes about this refund", not an idempotency key: the same reference again
 * is a new refund and pays again while money remains. That is why a Latipay refund whose
 * answer was lost cannot be re-sent safely.
 *
 * Scenarios (../misbehaviour.ts): refused → code 559; uncertain `code` → code 999 (not in any
 * Latipay list), or html / empty / http-500; contradictory → the same as uncertain (Latipay's
 * pages show no contradicting refund answer); lost → the socket is destroyed after booking.
 */
import CryptoJS from 'crypto-js';
import { BoundedMap } from '../../bounded-map';
import { LOST_REPLY, answerLabel, bookTotals, unreadableReply, type BookedOrder, type BookedRefund, type Misbehaviour, type RefundScenario } from '../misbehaviour';
import type { SimReply } from '../types';

export interface LatipayRefundableTransaction {
  orderId: string;
  merchantReference: string;
  amount: string;
  currency: string;
  status: string;
}

function cents(decimal: string): number {
  const [whole, fraction = ''] = decimal.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** The code a `refused` scenario answers, and the undocumented one of an uncertain `code` answer. */
export const LATIPAY_REFUSED_CODE = 559;
export const LATIPAY_UNDOCUMENTED_CODE = 999;

export class LatipayRefunds {
  /** Refunds per Latipay order_id (the last 2,000 orders refunded). */
  private readonly books = new BoundedMap<string, { tx: LatipayRefundableTransaction; refunds: BookedRefund[] }>();
  /** The last 100 refund requests received, in order (tests count what left the adapter). */
  readonly received: Record<string, unknown>[] = [];

  constructor(
    private readonly o: { userId: string; apiKey: string; log: (line: string) => void },
    private readonly findByOrderId: (orderId: string) => LatipayRefundableTransaction | undefined,
    private readonly misbehaviour: () => Misbehaviour,
  ) {}

  private answer(code: number, message: string): SimReply {
    return { status: 200, body: { code, message } };
  }

  private signature(body: Record<string, unknown>): string {
    const message =
      Object.keys(body)
        .filter((k) => k !== 'signature' && body[k] !== null && body[k] !== undefined && body[k] !== '')
        .sort()
        .map((k) => `${k}=${String(body[k])}`)
        .join('&') + this.o.apiKey;
    return CryptoJS.HmacSHA256(message, this.o.apiKey).toString(CryptoJS.enc.Hex);
  }

  /** What Latipay paid back of an order, and holds, in cents. */
  refundedCents(orderId: string): number {
    return bookTotals(this.books.get(orderId)?.refunds ?? []).paidOut;
  }

  /** The books as the portal shows them, by merchant_reference (the merchant's orderNo). */
  bookedOrders(): BookedOrder[] {
    return [...this.books.values()].map(({ tx, refunds }) => ({
      orderNo: tx.merchantReference,
      currency: tx.currency,
      paid: cents(tx.amount),
      ...bookTotals(refunds),
      refunds: refunds.map((r) => ({ ...r })),
    }));
  }

  refund(body: Record<string, unknown>): SimReply {
    if (this.received.push(body) > 100) this.received.shift();
    for (const f of ['user_id', 'order_id', 'refund_amount', 'reference', 'signature']) {
      if (typeof body[f] !== 'string' || body[f] === '') return this.answer(204, `${f} is null or empty`);
    }
    if (this.signature(body) !== body.signature) return this.answer(206, 'signature is wrong');
    if (body.user_id !== this.o.userId) return this.answer(207, 'user_id is not valid');
    const tx = this.findByOrderId(String(body.order_id));
    if (!tx) return this.answer(201, 'order not exist');
    if (tx.status !== 'paid') return this.answer(550, 'the order has not been paid');
    const amount = String(body.refund_amount);
    if (!/^\d+(\.\d{1,2})?$/.test(amount) || cents(amount) === 0) return this.answer(556, 'refund_amount must be a positive amount with at most 2 decimals');
    const remaining = cents(tx.amount) - this.refundedCents(tx.orderId);
    if (cents(amount) > remaining) return this.answer(551, `refund_amount is more than the refundable amount (${(remaining / 100).toFixed(2)})`);
    const scenario = this.misbehaviour().takeRefund();
    this.book(tx, String(body.reference), cents(amount), scenario);
    return this.reply(scenario);
  }

  private book(tx: LatipayRefundableTransaction, reference: string, amount: number, scenario: RefundScenario): void {
    const page = this.books.get(tx.orderId) ?? { tx, refunds: [] };
    page.refunds.push({ refundNo: reference, amount, truth: scenario.truth, answer: answerLabel(scenario), at: new Date().toISOString() });
    this.books.set(tx.orderId, page);
    this.o.log(`latipay: refund of ${(amount / 100).toFixed(2)} for ${tx.merchantReference} (reference ${reference}): ${scenario.truth}, answer ${scenario.answer}`);
  }

  private reply(scenario: RefundScenario): SimReply {
    switch (scenario.answer) {
      case 'succeeded':
        return this.answer(0, 'success');
      case 'refused':
        return this.answer(LATIPAY_REFUSED_CODE, 'the refund was refused');
      case 'lost':
        return LOST_REPLY;
      case 'uncertain':
      case 'contradictory':
        return scenario.variant === 'code' || scenario.variant === undefined ? this.answer(LATIPAY_UNDOCUMENTED_CODE, 'system busy') : unreadableReply(scenario.variant);
    }
  }
}
