/**
 * Settlement: what providers report (verified notifications and queries) applied to orders
 * through conditional transitions, so that duplicates, replays and races change an order at
 * most once.
 */
import { ConflictError, ValidationError } from '../core/errors';
import { sameMoney, toDecimalString } from '../core/money';
import type { TimelineEntry } from '../orders/store';
import type { Order, OrderStatus } from '../orders/types';
import type { PaymentReport } from '../providers/types';
import { addEvent, type PaymentDeps } from './context';

const OUTCOME_STATUS: Record<PaymentReport['outcome'], OrderStatus | undefined> = {
  paid: 'PAID',
  failed: 'FAILED',
  closed: 'CLOSED',
  pending: undefined,
};

/** A verified report whose amount or currency differs from the order: never applied. */
export class AmountMismatchError extends ConflictError {
  constructor(message: string) {
    super('ORDER_NOT_PAYABLE', message);
  }
}

export type ReportSource = 'notification' | 'query';

export class Settlement {
  constructor(private readonly deps: PaymentDeps) {}

  /**
   * Checks a verified report against the order, then applies it at most once. Returns
   * whether this call changed the order. `alsoOnChange` lines are written with the change.
   */
  async apply(order: Order, report: PaymentReport, source: ReportSource, alsoOnChange: readonly TimelineEntry[] = []): Promise<boolean> {
    if (report.orderNo !== order.orderNo) throw new ValidationError('orderNo', 'report is about another order');
    if (report.amount && !sameMoney(report.amount, { amount: order.amount, currency: order.currency })) {
      throw new AmountMismatchError(
        `${source} reports ${toDecimalString(report.amount)} ${report.amount.currency}, order is ${toDecimalString({ amount: order.amount, currency: order.currency })} ${order.currency}`,
      );
    }
    const to = OUTCOME_STATUS[report.outcome];
    if (!to) return false;
    const patch = {
      ...(report.providerRef !== undefined ? { providerRef: report.providerRef } : {}),
      ...(to === 'PAID' ? { paidAt: this.deps.now() } : {}),
      ...(to !== 'PAID' ? { statusReason: report.summary } : {}),
    };
    const changed = await this.deps.store.transition(order.orderNo, to, patch, this.deps.now(), [{ type: 'status_changed', detail: { to, source } }, ...alsoOnChange]);
    if (changed) this.deps.log.info('order status changed', { orderNo: order.orderNo, to, source });
    return changed;
  }

  /**
   * Asks the provider where an unsettled order stands and applies the answer through the
   * same conditional transitions as a notification. Orders past expiry that the provider
   * does not report paid are closed.
   */
  async settleByQuery(order: Order): Promise<Order> {
    const provider = this.deps.providers.get(order.provider);
    let report: PaymentReport | undefined;
    if (provider?.capabilities.query && provider.adapter.queryPayment) {
      try {
        report = await provider.adapter.queryPayment(order);
        await addEvent(this.deps, order.orderNo, 'query', { outcome: report.outcome, summary: report.summary });
      } catch (e) {
        await addEvent(this.deps, order.orderNo, 'query', { error: e instanceof Error ? e.message : String(e) });
        this.deps.log.warn('provider query failed', { orderNo: order.orderNo, provider: order.provider });
      }
    }
    if (report && report.outcome !== 'pending') {
      await this.apply(order, report, 'query');
    } else if (this.deps.now() > order.expiresAt) {
      await this.deps.store.transition(order.orderNo, 'CLOSED', { statusReason: 'expired before payment' }, this.deps.now(), [
        { type: 'status_changed', detail: { from: order.status, to: 'CLOSED', reason: 'expired' } },
      ]);
    }
    return (await this.deps.store.get(order.orderNo)) ?? order;
  }
}
