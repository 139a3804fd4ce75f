/**
 * Settlement: what providers report (verified notifications and queries) applied to orders
 * through conditional transitions, so that duplicates, replays and races change an order at
 * most once. Only signed facts count: a report whose outcome rests on an unsigned field is
 * confirmed by a query first. Paid is final: a verified paid report for a FAILED or CLOSED
 * order pays it and marks it for a person's attention; nothing moves a PAID order back.
 */
import { ConflictError, ValidationError } from '../core/errors';
import { sameMoney, toDecimalString } from '../core/money';
import type { TimelineEntry } from '../orders/store';
import type { Order, OrderStatus } from '../orders/types';
import type { RegisteredProvider } from '../providers/registry';
import type { PaymentReport } from '../providers/types';
import { addEvent, type PaymentDeps } from './context';

const OUTCOME_STATUS: Record<PaymentReport['outcome'], OrderStatus | undefined> = {
  paid: 'PAID',
  failed: 'FAILED',
  closed: 'CLOSED',
  pending: undefined,
  // Not a documented final state: changes nothing (see settleByQuery and confirmByQuery).
  uncertain: undefined,
};

/** The statuses a report moves an order from in the ordinary course (no one must look). */
const ORDINARY_FROM: readonly OrderStatus[] = ['CREATED', 'PAYING'];
/** Statuses a paid report may still overturn: the money moved after we gave up on it. */
const OVERTURNED_BY_PAYMENT: readonly OrderStatus[] = ['FAILED', 'CLOSED'];

/**
 * A verified report that does not match the order (its amount or currency, or the provider's
 * reference we already hold): never applied, and a person can see it in the timeline.
 */
export class AmountMismatchError extends ConflictError {
  constructor(message: string) {
    super('ORDER_NOT_PAYABLE', message);
  }
}

export type ReportSource = 'notification' | 'query';

/** The result of confirming an unsigned report by query. */
export type Confirmation =
  | { kind: 'applied'; changed: boolean; query: PaymentReport }
  /** The provider still reports the payment pending, or could not be asked: nothing changed. */
  | { kind: 'unconfirmed'; reason: string; pending?: boolean };

export class Settlement {
  constructor(private readonly deps: PaymentDeps) {}

  /** The report is about this order, for its amount and currency (else it is never applied). */
  check(order: Order, report: PaymentReport, source: ReportSource): void {
    if (report.orderNo !== order.orderNo) throw new ValidationError('orderNo', 'report is about another order');
    // A notification naming another provider payment than the one we placed for this order
    // (NewPay's newpayOrderNo) is about something else, however well signed.
    if (source === 'notification' && report.providerRef !== undefined && order.providerRef !== undefined && report.providerRef !== order.providerRef) {
      throw new AmountMismatchError(`notification names the provider's payment ${report.providerRef}, the order's is ${order.providerRef}`);
    }
    if (report.amount && !sameMoney(report.amount, { amount: order.amount, currency: order.currency })) {
      throw new AmountMismatchError(
        `${source} reports ${toDecimalString(report.amount)} ${report.amount.currency}, order is ${toDecimalString({ amount: order.amount, currency: order.currency })} ${order.currency}`,
      );
    }
  }

  /**
   * Checks a verified, confirmed report against the order, then applies it at most once.
   * Returns whether this call changed the order. `alsoOnChange` lines are written with the change.
   */
  async apply(order: Order, report: PaymentReport, source: ReportSource, alsoOnChange: readonly TimelineEntry[] = []): Promise<boolean> {
    this.check(order, report, source);
    const to = OUTCOME_STATUS[report.outcome];
    if (!to) return false;
    const now = this.deps.now();
    const patch = {
      // The reference we placed the order with stays; a report only fills one that was lost.
      ...(report.providerRef !== undefined && order.providerRef === undefined ? { providerRef: report.providerRef } : {}),
      ...(to === 'PAID' ? { paidAt: now } : { statusReason: report.summary }),
    };
    const changed = await this.deps.store.transition(order.orderNo, to, { ...patch, from: ORDINARY_FROM }, now, [
      { type: 'status_changed', detail: { to, source } },
      ...alsoOnChange,
    ]);
    if (changed) {
      this.deps.log.info('order status changed', { orderNo: order.orderNo, to, source });
      return true;
    }
    return to === 'PAID' ? this.applyLatePayment(order.orderNo, patch, source, alsoOnChange) : false;
  }

  /** A verified payment for an order we had FAILED or CLOSED: it is paid, and a person must look. */
  private async applyLatePayment(orderNo: string, patch: { providerRef?: string; paidAt?: number }, source: ReportSource, alsoOnChange: readonly TimelineEntry[]): Promise<boolean> {
    const current = await this.deps.store.get(orderNo);
    if (!current || !OVERTURNED_BY_PAYMENT.includes(current.status)) return false;
    const was = current.status;
    const attention = `paid after it was ${was}${current.statusReason ? ` (${current.statusReason})` : ''}: check whether the goods were cancelled, then deliver or refund`;
    const changed = await this.deps.store.transition(orderNo, 'PAID', { ...patch, attention, from: [was] }, this.deps.now(), [
      { type: 'status_changed', detail: { from: was, to: 'PAID', source, late: true, note: `a verified payment arrived for an order that was ${was}` } },
      ...alsoOnChange,
    ]);
    if (changed) this.deps.log.error('late payment: order marked for attention', { orderNo, was, source });
    return changed;
  }

  /**
   * Confirms a notification whose outcome the signature does not cover by asking the
   * provider, and applies what the provider answers (never what the notification said).
   */
  async confirmByQuery(order: Order, claimed: PaymentReport): Promise<Confirmation> {
    const asked = await this.query(order);
    if (!asked) return { kind: 'unconfirmed', reason: `${claimed.confirm ?? 'unsigned outcome'}; ${order.provider} cannot be queried` };
    if ('failed' in asked) return { kind: 'unconfirmed', reason: `query failed: ${asked.failed}` };
    const query = asked.report;
    await addEvent(this.deps, order.orderNo, 'query', { outcome: query.outcome, summary: query.summary, confirming: claimed.summary });
    if (query.outcome === 'pending') return { kind: 'unconfirmed', reason: `${order.provider} still reports the payment pending`, pending: true };
    if (query.outcome === 'uncertain') return { kind: 'unconfirmed', reason: `${order.provider} answered nothing final (${query.summary})` };
    return { kind: 'applied', changed: await this.apply(order, query, 'query'), query };
  }

  /** Asks the provider about an order: its report, or why the query failed; undefined where it cannot be asked. */
  private async query(order: Order): Promise<{ report: PaymentReport } | { failed: string } | undefined> {
    const provider = this.deps.providers.get(order.provider);
    if (!provider?.capabilities.query || !provider.adapter.queryPayment) return undefined;
    try {
      return { report: await provider.adapter.queryPayment(order) };
    } catch (e) {
      return { failed: e instanceof Error ? e.message : String(e) };
    }
  }

  /**
   * Asks the provider where an unsettled order stands and applies the answer. An order past
   * its expiry is closed only with a reason we know: "expired before payment" when the
   * provider says it is unpaid; otherwise "no confirmation from <provider>", marked for a
   * person's attention (a later paid report still pays it).
   */
  async settleByQuery(order: Order): Promise<Order> {
    const provider = this.deps.providers.get(order.provider);
    const asked = await this.query(order);
    let report: PaymentReport | undefined;
    let unknown: string | undefined;
    if (!asked) {
      unknown = `${provider?.descriptor.displayName ?? order.provider} cannot be queried`;
    } else if ('failed' in asked) {
      unknown = `the query failed (${asked.failed})`;
      await addEvent(this.deps, order.orderNo, 'query', { error: asked.failed });
      this.deps.log.warn('provider query failed', { orderNo: order.orderNo, provider: order.provider });
    } else {
      report = asked.report;
      await addEvent(this.deps, order.orderNo, 'query', { outcome: report.outcome, summary: report.summary });
    }
    // An uncertain answer (or a query that failed: the same thing) never closes or fails the
    // order: it stays open, and is marked for a person once past its expiry.
    const uncertain = report?.outcome === 'uncertain' || (asked !== undefined && 'failed' in asked);
    if (report && report.outcome !== 'pending' && report.outcome !== 'uncertain') {
      await this.apply(order, report, 'query');
    } else if (this.deps.now() > order.expiresAt) {
      if (uncertain) await this.markUncertain(order, report ? `${order.provider} answered nothing final (${report.summary})` : (unknown ?? 'unknown'));
      else await this.closeExpired(order, provider, unknown);
    }
    return (await this.deps.store.get(order.orderNo)) ?? order;
  }

  /** An unpaid order past its expiry whose provider answered nothing final: marked once, left open. */
  private async markUncertain(order: Order, why: string): Promise<void> {
    if ((order.attention ?? '').startsWith('unconfirmed past expiry')) return;
    await this.deps.store.markAttention(order.orderNo, `unconfirmed past expiry: ${why}; check the provider's records (the order stays open, a paid report still pays it)`, this.deps.now());
  }

  /**
   * Asks again about an order a provider reported FAILED: a payment that went through after
   * all (its paid notification lost) is applied as a late payment. Writes nothing otherwise,
   * so rechecking on every reconcile run leaves the timeline as it was.
   */
  async recheckFailed(order: Order): Promise<Order> {
    if (order.status !== 'FAILED') return order;
    const asked = await this.query(order);
    if (!asked || 'failed' in asked) return order;
    const report = asked.report;
    if (report.outcome !== 'paid') return order;
    await addEvent(this.deps, order.orderNo, 'query', { outcome: report.outcome, summary: report.summary, recheck: 'after FAILED' });
    await this.apply(order, report, 'query');
    return (await this.deps.store.get(order.orderNo)) ?? order;
  }

  private async closeExpired(order: Order, provider: RegisteredProvider | undefined, unknown: string | undefined): Promise<void> {
    const name = provider?.descriptor.displayName ?? order.provider;
    if (unknown === undefined) {
      // The provider itself says the payment is still not made, past its time: it is over.
      await this.deps.store.transition(order.orderNo, 'CLOSED', { statusReason: 'expired before payment', from: ORDINARY_FROM }, this.deps.now(), [
        { type: 'status_changed', detail: { from: order.status, to: 'CLOSED', reason: 'expired', source: 'query' } },
      ]);
      return;
    }
    const reason = `no confirmation from ${name}`;
    await this.deps.store.transition(
      order.orderNo,
      'CLOSED',
      { statusReason: reason, attention: `closed unconfirmed: ${unknown}; check ${name}'s records (a later paid report still pays it)`, from: ORDINARY_FROM },
      this.deps.now(),
      [{ type: 'status_changed', detail: { from: order.status, to: 'CLOSED', reason, unconfirmed: unknown } }],
    );
  }
}
