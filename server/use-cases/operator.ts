/**
 * What an operator does (the `admin` function, after it has checked ADMIN_OPENIDS): list and
 * read orders, refund, ask about a refund, and settle by hand a refund nothing automatic can.
 * Every action on an order is an `admin` line on its timeline with the operator's masked
 * openid; a page that polls an order writes at most one view line per operator per 10 minutes.
 */
import type { AdminOrderReply, AdminOrdersReply, AdminRefundReply } from '../contract/wire';
import { NotFoundError, isPayError } from '../core/errors';
import { toPublicRefund } from '../domain/refund';
import type { TimelineEntry } from '../domain/timeline';
import type { OrderCursor, OrderFilter } from '../store/types';
import { record, type PaymentDeps } from './context';
import { toAdminOrder, toTimelineLine } from './operator-view';
import type { RefundCommand, RefundSettlement, ResolveCommand } from './settlement/refunds';

/** getOrder writes one view line per operator per this long (pages poll). */
const VIEW_LINE_EVERY_MS = 10 * 60_000;

export interface ListOrdersCommand {
  filter: OrderFilter;
  limit: number;
  after?: OrderCursor;
}

export class Operator {
  constructor(
    private readonly deps: PaymentDeps,
    private readonly refunds: RefundSettlement,
  ) {}

  async listOrders(command: ListOrdersCommand, operator: string, encodeCursor: (c: OrderCursor) => string): Promise<AdminOrdersReply> {
    // A listing concerns no single order: logged, not written to timelines.
    this.deps.log.info('admin listOrders', { operator, ...command.filter });
    const page = await this.deps.store.listOrders(command.filter, command.limit + 1, command.after);
    const shown = page.slice(0, command.limit);
    const last = shown[shown.length - 1];
    return {
      orders: shown.map(toAdminOrder),
      ...(page.length > command.limit && last ? { nextCursor: encodeCursor({ createdAt: last.createdAt, orderNo: last.orderNo }) } : {}),
    };
  }

  async getOrder(orderNo: string, operator: string): Promise<AdminOrderReply> {
    let order = await this.deps.store.get(orderNo);
    if (!order) throw new NotFoundError(`order ${orderNo} was not found`, 'orderNo');
    const lines = order.timeline ?? [];
    const viewed = [...lines].reverse().find((l) => l.type === 'admin' && l.detail.action === 'getOrder' && l.detail.operator === operator);
    if (!viewed || this.deps.now() - (viewed.lastAt ?? viewed.at) >= VIEW_LINE_EVERY_MS) {
      order = (await record(this.deps, orderNo, [{ type: 'admin', detail: { action: 'getOrder', operator } }], order)) ?? order;
    }
    return {
      order: toAdminOrder(order),
      refunds: (order.refunds ?? []).map(toPublicRefund),
      timeline: (order.timeline ?? []).map(toTimelineLine),
      ...(order.olderLines ? { olderLines: order.olderLines } : {}),
    };
  }

  async refund(command: RefundCommand, operator: string): Promise<AdminRefundReply> {
    const detail = { action: 'refund', operator, amount: command.amount, refundNo: command.refundNo ?? null };
    try {
      // A new refund carries the operator's line in its acceptance write (no round trip of its own);
      // a repeated or concurrent request writes it apart, with the status it found.
      const accepted = (refundNo: string): TimelineEntry => ({ type: 'admin', detail: { ...detail, refundNo, ok: true, status: 'accepted' } });
      const { refund, order, recorded } = await this.refunds.refund(command, operator, accepted);
      const after = recorded ? order : ((await record(this.deps, order.orderNo, [{ type: 'admin', detail: { ...detail, refundNo: refund.refundNo, ok: true, status: refund.status } }], order)) ?? order);
      return { refund: toPublicRefund(refund), order: toAdminOrder(after) };
    } catch (e) {
      // The refused attempt is on the order's timeline too (no lines for unknown orders).
      await record(this.deps, command.orderNo, [{ type: 'admin', detail: { ...detail, ok: false, error: isPayError(e) ? e.code : 'INTERNAL' } }]).catch(() => undefined);
      throw e;
    }
  }

  async queryRefund(refundNo: string, operator: string): Promise<AdminRefundReply> {
    const { refund, order } = await this.refunds.query(refundNo);
    const after = (await record(this.deps, order.orderNo, [{ type: 'admin', detail: { action: 'queryRefund', operator, refundNo, status: refund.status } }], order)) ?? order;
    return { refund: toPublicRefund(refund), order: toAdminOrder(after) };
  }

  async resolveRefund(command: ResolveCommand, operator: string): Promise<AdminRefundReply> {
    const { refund, order } = await this.refunds.resolve(command, operator);
    return { refund: toPublicRefund(refund), order: toAdminOrder(order) };
  }
}
