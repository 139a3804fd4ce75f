/**
 * Latipay's refund API in the simulator (latipay-hosted-online.md §5–6), written from the docs
 * apart from the adapter: `POST /refund` (documented) and `POST /v2/refund` (the path the
 * omnipay-latipay library uses) answer alike. JSON `{user_id, order_id, refund_amount,
 * reference, signature}`, signed by the sorted rule; answer `{code, message}` with HTTP 200,
 * code 0 = refunded (no notification: the answer is the result).
 *
 * Latipay names 550, 551, 556, 558, 559 and 562 as refund refusals without saying which is
 * which; the simulator's use of them is its own choice, and the adapter depends on none:
 *   550 the order is not paid · 551 more than what remains to refund · 556 malformed amount ·
 *   558 the reference was used for another refund amount. 201 / 204 / 206 / 207 as documented.
 * The same reference with the same amount answers code 0 again and refunds nothing more.
 */
import CryptoJS from 'crypto-js';
import type { SimReply } from '../types';

export interface LatipayRefundableTransaction {
  orderId: string;
  merchantReference: string;
  amount: string;
  status: string;
}

interface SimRefund {
  reference: string;
  orderId: string;
  cents: number;
}

function cents(decimal: string): number {
  const [whole, fraction = ''] = decimal.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

export class LatipayRefunds {
  private readonly refunds = new Map<string, SimRefund>();
  /** Every refund request received, in order (tests count what left the adapter). */
  readonly received: Record<string, unknown>[] = [];

  constructor(
    private readonly o: { userId: string; apiKey: string; log: (line: string) => void },
    private readonly findByOrderId: (orderId: string) => LatipayRefundableTransaction | undefined,
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

  /** What has been refunded of a Latipay order, in cents. */
  refundedCents(orderId: string): number {
    let total = 0;
    for (const r of this.refunds.values()) if (r.orderId === orderId) total += r.cents;
    return total;
  }

  refund(body: Record<string, unknown>): SimReply {
    this.received.push(body);
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
    const reference = String(body.reference);
    const key = `${tx.orderId}:${reference}`;
    const previous = this.refunds.get(key);
    if (previous) {
      if (previous.cents !== cents(amount)) return this.answer(558, 'reference was already used for a refund of another amount');
      return this.answer(0, 'success');
    }
    const remaining = cents(tx.amount) - this.refundedCents(tx.orderId);
    if (cents(amount) > remaining) return this.answer(551, `refund_amount is more than the refundable amount (${(remaining / 100).toFixed(2)})`);
    this.refunds.set(key, { reference, orderId: tx.orderId, cents: cents(amount) });
    this.o.log(`latipay: refunded ${amount} of ${tx.merchantReference} (reference ${reference})`);
    return this.answer(0, 'success');
  }
}
