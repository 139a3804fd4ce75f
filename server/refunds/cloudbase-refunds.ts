/**
 * The refund half of the CloudBase store (CloudBaseOrderStore delegates here), on what the
 * wx-server-sdk database documents as atomic: a single-document `where(...).update(...)`
 * with query commands (`_.in`, `_.gte`) and update commands (`_.inc`), and `add` failing on
 * an existing `_id`. A condition cannot do arithmetic over two fields, so each order document
 * keeps `refundableRemaining` (= amount − refundedAmount − pendingRefundAmount, set at
 * insert, initialised once for documents written before refunds existed):
 *
 * - accept: `add` the refund (`_id` = refundNo: a second add of the same number fails) with
 *   `reserved: false`; then reserve with one conditional update of the order
 *   `where({orderNo, status: _.in([PAID, PARTIALLY_REFUNDED]), refundableRemaining: _.gte(amount)})
 *    .update({refundableRemaining: _.inc(-amount), pendingRefundAmount: _.inc(amount)})`:
 *   of concurrent requests for the remainder exactly one matches. The winner marks its refund
 *   `reserved: true`; a loser removes its own unreserved refund document.
 * - settle: `where({refundNo, status: 'PENDING', reserved: true}).update(...)` decides who
 *   settles (once); only that caller then moves the money on the order with `_.inc`, and moves
 *   the status with a conditional update that only goes forward (PAID → PARTIALLY_REFUNDED →
 *   REFUNDED). The refund document is the truth: a crash between the two writes leaves the
 *   order's sums behind, which the timeline shows (no cross-document transaction is used).
 */
import type { CloudDatabase } from '../orders/cloudbase-store';
import type { TimelineEntry } from '../orders/store';
import type { Order, OrderStatus } from '../orders/types';
import { REFUNDABLE_STATUSES, type AcceptRefundResult, type Refund, type RefundSettlePatch } from './types';

type Doc = Record<string, unknown>;

export const REFUNDS = 'refunds';
const ORDERS = 'orders';
/** An unreserved refund document older than this is a crashed accept, not one in flight. */
const ABANDONED_MS = 60_000;

function toRefund(doc: Doc): Refund {
  const { _id, _openid, reserved, ...rest } = doc;
  void _id;
  void _openid;
  void reserved;
  return rest as unknown as Refund;
}

function withoutUndefined(doc: Doc): Doc {
  return Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined));
}

export class CloudBaseRefunds {
  constructor(
    private readonly db: CloudDatabase,
    private readonly getOrderDoc: (orderNo: string) => Promise<Doc | null>,
    private readonly writeTimeline: (orderNo: string, at: number, timeline: readonly TimelineEntry[]) => Promise<void>,
  ) {}

  private async getDoc(refundNo: string): Promise<Doc | null> {
    const { data } = await this.db.collection(REFUNDS).where({ refundNo }).limit(1).get();
    return data[0] ?? null;
  }

  private same(existing: Doc, refund: Refund): AcceptRefundResult {
    const found = toRefund(existing);
    return found.orderNo === refund.orderNo && found.amount === refund.amount ? { kind: 'existing', refund: found } : { kind: 'conflict', refund: found };
  }

  async accept(refund: Refund, timeline: readonly TimelineEntry[]): Promise<AcceptRefundResult> {
    const _ = this.db.command;
    const existing = await this.getDoc(refund.refundNo);
    if (existing) {
      if (existing.reserved === true) return this.same(existing, refund);
      if (refund.createdAt - Number(existing.createdAt) < ABANDONED_MS) return { kind: 'conflict', refund: toRefund(existing) };
      await this.db.collection(REFUNDS).where({ refundNo: refund.refundNo, reserved: false }).remove();
    }
    const order = await this.getOrderDoc(refund.orderNo);
    if (!order) return { kind: 'not-found' };
    if (!REFUNDABLE_STATUSES.includes(order.status as OrderStatus)) return { kind: 'not-refundable', status: order.status as OrderStatus };
    if (order.refundableRemaining === undefined) {
      // Written before refunds existed: initialise once (only where still absent).
      const remaining = Number(order.amount) - Number(order.refundedAmount ?? 0) - Number(order.pendingRefundAmount ?? 0);
      await this.db.collection(ORDERS).where({ orderNo: refund.orderNo, refundableRemaining: _.exists(false) }).update({ data: { refundableRemaining: remaining } });
    }
    try {
      await this.db.collection(REFUNDS).add({ data: withoutUndefined({ _id: refund.refundNo, ...refund, status: 'PENDING', reserved: false }) });
    } catch (e) {
      const raced = await this.getDoc(refund.refundNo);
      if (!raced) throw e;
      return raced.reserved === true ? this.same(raced, refund) : { kind: 'conflict', refund: toRefund(raced) };
    }
    const reserved = await this.db
      .collection(ORDERS)
      .where({ orderNo: refund.orderNo, status: _.in([...REFUNDABLE_STATUSES]), refundableRemaining: _.gte(refund.amount) })
      .update({ data: { refundableRemaining: _.inc(-refund.amount), pendingRefundAmount: _.inc(refund.amount), updatedAt: refund.createdAt } });
    if (reserved.stats.updated !== 1) {
      await this.db.collection(REFUNDS).where({ refundNo: refund.refundNo, reserved: false }).remove();
      const now = await this.getOrderDoc(refund.orderNo);
      if (!now) return { kind: 'not-found' };
      if (!REFUNDABLE_STATUSES.includes(now.status as OrderStatus)) return { kind: 'not-refundable', status: now.status as OrderStatus };
      return { kind: 'exceeds', remaining: Number(now.refundableRemaining ?? 0) };
    }
    await this.db.collection(REFUNDS).where({ refundNo: refund.refundNo }).update({ data: { reserved: true } });
    await this.writeTimeline(refund.orderNo, refund.createdAt, timeline);
    return { kind: 'accepted', refund: { ...refund, status: 'PENDING' } };
  }

  async settle(refundNo: string, to: 'SUCCEEDED' | 'FAILED', patch: RefundSettlePatch, now: number, timeline: readonly TimelineEntry[]): Promise<boolean> {
    const _ = this.db.command;
    const won = await this.db
      .collection(REFUNDS)
      .where({ refundNo, status: 'PENDING', reserved: true })
      .update({ data: withoutUndefined({ status: to, updatedAt: now, settledAt: now, ...patch }) });
    if (won.stats.updated !== 1) return false;
    const refund = toRefund((await this.getDoc(refundNo)) ?? {});
    const orders = this.db.collection(ORDERS);
    const lines: TimelineEntry[] = [...timeline];
    if (to === 'FAILED') {
      await orders.where({ orderNo: refund.orderNo }).update({ data: { pendingRefundAmount: _.inc(-refund.amount), refundableRemaining: _.inc(refund.amount), updatedAt: now } });
    } else {
      await orders.where({ orderNo: refund.orderNo }).update({ data: { pendingRefundAmount: _.inc(-refund.amount), refundedAmount: _.inc(refund.amount), updatedAt: now } });
      const order = (await this.getOrderDoc(refund.orderNo)) as (Doc & Pick<Order, 'amount' | 'status'>) | null;
      if (order) {
        const full = Number(order.refundedAmount ?? 0) >= order.amount;
        const target: OrderStatus = full ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
        const from: OrderStatus[] = full ? ['PAID', 'PARTIALLY_REFUNDED'] : ['PAID'];
        const moved = await orders.where({ orderNo: refund.orderNo, status: _.in(from) }).update({ data: { status: target, updatedAt: now } });
        if (moved.stats.updated === 1) lines.push({ type: 'status_changed', detail: { from: order.status, to: target, source: 'refund', refundNo } });
      }
    }
    await this.writeTimeline(refund.orderNo, now, lines);
    return true;
  }

  async setProviderRef(refundNo: string, providerRef: string, now: number): Promise<void> {
    await this.db.collection(REFUNDS).where({ refundNo }).update({ data: { providerRef, updatedAt: now } });
  }

  async get(refundNo: string): Promise<Refund | null> {
    const doc = await this.getDoc(refundNo);
    return doc && doc.reserved === true ? toRefund(doc) : null;
  }

  async listByOrder(orderNo: string): Promise<Refund[]> {
    const { data } = await this.db.collection(REFUNDS).where({ orderNo, reserved: true }).orderBy('createdAt', 'asc').orderBy('refundNo', 'asc').limit(1000).get();
    return data.map(toRefund);
  }

  async listPending(updatedBefore: number, limit: number): Promise<Refund[]> {
    const _ = this.db.command;
    const { data } = await this.db
      .collection(REFUNDS)
      .where({ status: 'PENDING', reserved: true, updatedAt: _.lt(updatedBefore) })
      .orderBy('updatedAt', 'asc')
      .limit(limit)
      .get();
    return data.map(toRefund);
  }
}
