/**
 * OTT Pay's REFUND action in the simulator (docs.ottpay.com `/payment-api/refund-transaction-and-
 * query-api`), written from the docs apart from the adapter: encrypted data `{order_id (a new
 * id for the refund, generated when absent), ori_order_id, refund_amt (cents)}`, answered in the
 * encrypted envelope. Refusals use Appendix B codes: PARAM_INVALID (fields), FAIL (original
 * order unknown or unpaid, or more than what remains), ORDER_USED (the refund order_id was used
 * for another refund). The same order_id for the same refund answers it again, refunding nothing
 * more. STATUS_QUERY on a refund's order_id answers its status (see server/providers/ottpay/
 * refund.ts for why that reading). `processing` (test control) keeps new refunds PROCESSING
 * until `completeRefunds()`.
 */
import { randomBytes } from 'node:crypto';
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
  status: 'PROCESSING' | 'SUCCESS';
  saleNum: string;
}

export class OttpayRefunds {
  private readonly refunds = new Map<string, SimRefund>();
  /** Test control: new refunds stay PROCESSING until completeRefunds(). */
  processing = false;

  constructor(
    private readonly o: {
      merchantId: string;
      findPayment: (orderId: string) => OttRefundablePayment | undefined;
      success: (data: Data) => SimReply;
      error: (code: string, message: string) => SimReply;
      log: (line: string) => void;
    },
  ) {}

  has(orderId: unknown): boolean {
    return typeof orderId === 'string' && this.refunds.has(orderId);
  }

  /** Test control: every PROCESSING refund succeeds now. */
  completeRefunds(): void {
    for (const r of this.refunds.values()) r.status = 'SUCCESS';
  }

  private refundedOf(oriOrderId: string): number {
    let total = 0;
    for (const r of this.refunds.values()) if (r.oriOrderId === oriOrderId) total += Number(r.refundAmt);
    return total;
  }

  private view(r: SimRefund): Data {
    return { order_id: r.orderId, ori_order_id: r.oriOrderId, refund_amt: r.refundAmt, merchant_id: this.o.merchantId, order_status: r.status, sale_num: r.saleNum };
  }

  refund(d: Data): SimReply {
    if (typeof d.ori_order_id !== 'string' || d.ori_order_id === '') return this.o.error('PARAM_INVALID', 'ori_order_id is required');
    const amt = typeof d.refund_amt === 'string' ? d.refund_amt : '';
    if (!/^[1-9]\d{0,9}$/.test(amt)) return this.o.error('PARAM_INVALID', 'refund_amt must be a positive whole number of cents');
    const orderId = typeof d.order_id === 'string' && d.order_id !== '' ? d.order_id : `${Date.now()}${randomBytes(3).toString('hex')}`;
    const previous = this.refunds.get(orderId);
    if (previous) {
      if (previous.oriOrderId !== d.ori_order_id || previous.refundAmt !== amt) return this.o.error('ORDER_USED', 'order_id was used for another refund');
      return this.o.success(this.view(previous));
    }
    if (this.o.findPayment(orderId)) return this.o.error('ORDER_USED', 'order_id is already a payment order');
    const paid = this.o.findPayment(d.ori_order_id);
    if (!paid) return this.o.error('FAIL', 'original order not found');
    if (paid.status !== 'SUCCESS') return this.o.error('FAIL', 'original order has not been paid');
    const remaining = Number(paid.amount) - this.refundedOf(d.ori_order_id);
    if (Number(amt) > remaining) return this.o.error('FAIL', `refund_amt is more than the refundable amount (${remaining})`);
    const r: SimRefund = { orderId, oriOrderId: d.ori_order_id, refundAmt: amt, status: this.processing ? 'PROCESSING' : 'SUCCESS', saleNum: `${Date.now()}${randomBytes(2).toString('hex')}` };
    this.refunds.set(orderId, r);
    this.o.log(`ottpay: refund ${orderId} of ${amt} for ${r.oriOrderId} → ${r.status}`);
    return this.o.success(this.view(r));
  }

  statusQuery(orderId: string): SimReply {
    const r = this.refunds.get(orderId);
    if (!r) return this.o.error('FAIL', 'order not found');
    return this.o.success(this.view(r));
  }
}
