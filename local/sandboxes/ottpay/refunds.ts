/**
 * OTT Pay's REFUND action in the simulator (docs.ottpay.com `/payment-api/refund-transaction-and-
 * query-api`), written from the docs apart from the adapter: encrypted data `{order_id (a new
 * id for the refund, generated when absent), ori_order_id, refund_amt (cents)}`, answered in the
 * encrypted envelope. STATUS_QUERY on a refund's order_id answers its status (see
 * server/providers/ottpay/refund.ts for why that reading). `processing` (test control) keeps new
 * refunds PROCESSING until `completeRefunds()`.
 *
 * Refusals use Appendix B (docs.ottpay.com `/payment-api/untitled`): PARAM_INVALID (fields),
 * FAIL "failure." (original order unknown or unpaid; more than what remains, for which OTT Pay
 * documents no code of its own; and the refusal a `refused` scenario answers).
 *
 * A repeated order_id: the refund page says order_id is "a new order id (Refund Order ID)" and
 * Appendix B's only word on repeats is ORDER_USED "order number duplicated". So any REFUND whose
 * order_id was already used (by a refund, whatever became of it, or by a payment) answers
 * ORDER_USED and moves no money: a re-send never pays twice, and its answer says nothing about
 * the first refund's fate (STATUS_QUERY on that order_id does). No page documents an idempotent
 * replay answer, so the simulator gives none.
 *
 * Scenarios (../misbehaviour.ts): refused → rsp_code FAIL; uncertain `code` → rsp_code
 * SYSTEM_BUSY (not in Appendix B), or html / empty / http-500; contradictory → the same as
 * uncertain; lost → the socket is destroyed after booking. OTT Pay documents no refund
 * callback: `callback` changes nothing here.
 */
import { randomBytes } from 'node:crypto';
import { BoundedMap } from '../../bounded-map';
import { LOST_REPLY, answerLabel, bookTotals, unreadableReply, type BookedOrder, type Misbehaviour, type RefundAnswer, type RefundScenario } from '../misbehaviour';
import type { SimReply } from '../types';

type Data = Record<string, unknown>;

export interface OttRefundablePayment {
  orderId: string;
  amount: string;
  status: string;
}

interface SimRefund {
  orderId: string;
  oriOrderId: string;
  refundAmt: string;
  /** What OTT Pay did: SUCCESS (money back), FAIL (not), PROCESSING (undecided, amount held). */
  status: 'PROCESSING' | 'SUCCESS' | 'FAIL';
  saleNum: string;
  answer: RefundAnswer | 'default';
  at: string;
}

/** OTT Pay settles in Canadian dollars (server/providers/ottpay takes CAD only). */
const CURRENCY = 'CAD';
export const OTTPAY_UNDOCUMENTED_CODE = 'SYSTEM_BUSY';

export class OttpayRefunds {
  /** Refunds by their order_id (the last 2,000). */
  private readonly refunds = new BoundedMap<string, SimRefund>();
  /** Test control: new refunds stay PROCESSING until completeRefunds(). */
  processing = false;

  constructor(
    private readonly o: {
      merchantId: string;
      findPayment: (orderId: string) => OttRefundablePayment | undefined;
      success: (data: Data) => SimReply;
      error: (code: string, message: string) => SimReply;
      misbehaviour: () => Misbehaviour;
      log: (line: string) => void;
    },
  ) {}

  has(orderId: unknown): boolean {
    return typeof orderId === 'string' && this.refunds.has(orderId);
  }

  /** Test control: every PROCESSING refund succeeds now. */
  completeRefunds(): void {
    for (const r of this.refunds.values()) if (r.status === 'PROCESSING') r.status = 'SUCCESS';
  }

  /** Cents paid back or held (PROCESSING) for a payment: what is no longer refundable. */
  private committedOf(oriOrderId: string): number {
    let total = 0;
    for (const r of this.refunds.values()) if (r.oriOrderId === oriOrderId && r.status !== 'FAIL') total += Number(r.refundAmt);
    return total;
  }

  private view(r: SimRefund, status: SimRefund['status'] = r.status): Data {
    return { order_id: r.orderId, ori_order_id: r.oriOrderId, refund_amt: r.refundAmt, merchant_id: this.o.merchantId, order_status: status, sale_num: r.saleNum };
  }

  refund(d: Data): SimReply {
    if (typeof d.ori_order_id !== 'string' || d.ori_order_id === '') return this.o.error('PARAM_INVALID', 'ori_order_id is required');
    const amt = typeof d.refund_amt === 'string' ? d.refund_amt : '';
    if (!/^[1-9]\d{0,9}$/.test(amt)) return this.o.error('PARAM_INVALID', 'refund_amt must be a positive whole number of cents');
    const orderId = typeof d.order_id === 'string' && d.order_id !== '' ? d.order_id : `${Date.now()}${randomBytes(3).toString('hex')}`;
    if (this.refunds.has(orderId)) return this.o.error('ORDER_USED', 'order number duplicated');
    if (this.o.findPayment(orderId)) return this.o.error('ORDER_USED', 'order number duplicated');
    const paid = this.o.findPayment(d.ori_order_id);
    if (!paid) return this.o.error('FAIL', 'original order not found');
    if (paid.status !== 'SUCCESS') return this.o.error('FAIL', 'original order has not been paid');
    const remaining = Number(paid.amount) - this.committedOf(d.ori_order_id);
    if (Number(amt) > remaining) return this.o.error('FAIL', `refund_amt is more than the refundable amount (${remaining})`);
    const scenario = this.o.misbehaviour().takeRefund();
    const status: SimRefund['status'] = scenario.truth === 'failed' ? 'FAIL' : this.processing ? 'PROCESSING' : 'SUCCESS';
    const r: SimRefund = {
      orderId,
      oriOrderId: d.ori_order_id,
      refundAmt: amt,
      status,
      saleNum: `${Date.now()}${randomBytes(2).toString('hex')}`,
      answer: answerLabel(scenario),
      at: new Date().toISOString(),
    };
    this.refunds.set(orderId, r);
    this.o.log(`ottpay: refund ${orderId} of ${amt} for ${r.oriOrderId} → ${r.status}, answer ${scenario.answer}`);
    return this.reply(r, scenario);
  }

  private reply(r: SimRefund, scenario: RefundScenario): SimReply {
    switch (scenario.answer) {
      case 'succeeded':
        // The documented success shape; a refund that in truth failed is still reported SUCCESS (a lie).
        return this.o.success(this.view(r, r.status === 'FAIL' ? 'SUCCESS' : r.status));
      case 'refused':
        return this.o.error('FAIL', 'failure.');
      case 'lost':
        return LOST_REPLY;
      case 'uncertain':
      case 'contradictory':
        return scenario.variant === 'code' || scenario.variant === undefined ? this.o.error(OTTPAY_UNDOCUMENTED_CODE, 'system busy') : unreadableReply(scenario.variant);
    }
  }

  statusQuery(orderId: string): SimReply {
    const r = this.refunds.get(orderId);
    if (!r) return this.o.error('FAIL', 'order not found');
    return this.o.success(this.view(r));
  }

  /** The books as the portal shows them, by the paid order_id (the merchant's orderNo). */
  bookedOrders(paidAmount: (orderId: string) => number): BookedOrder[] {
    const byOrder = new Map<string, SimRefund[]>();
    for (const r of this.refunds.values()) byOrder.set(r.oriOrderId, [...(byOrder.get(r.oriOrderId) ?? []), r]);
    return [...byOrder.entries()].map(([orderNo, list]) => {
      const refunds = list.map((r) => ({
        refundNo: r.orderId,
        amount: Number(r.refundAmt),
        truth: r.status === 'SUCCESS' ? ('succeeded' as const) : r.status === 'FAIL' ? ('failed' as const) : ('processing' as const),
        answer: r.answer,
        at: r.at,
      }));
      return { orderNo, currency: CURRENCY, paid: paidAmount(orderNo), ...bookTotals(refunds), refunds };
    });
  }
}
