/**
 * Settling payments: what providers report (verified notifications, answers to our
 * questions) applied to the order document through the pure state changes of
 * domain/payment-state.ts, once, whatever races it. Only signed, documented outcomes change
 * an order: `uncertain` holds everything and is asked again later (backed off, and marked for
 * a person past its bound); `pending` past the order's expiry closes it as "expired before
 * payment", and a closed order is still asked about for a day, so a late payment wins.
 */
import { ConflictError, ValidationError } from '../../core/errors';
import { formatMoney, sameMoney } from '../../core/money';
import { OPEN_STATUSES, type Order } from '../../domain/order';
import { askedAgain, end, pay, type Change, type ReportSource } from '../../domain/payment-state';
import type { TimelineEntry } from '../../domain/timeline';
import type { PaymentReport } from '../../providers/types';
import type { StoredOrder } from '../../store/types';
import { mutate, type PaymentDeps } from '../context';
import { ask, queryLine, uncertainPayment } from './ask';

/**
 * A verified report that does not match the order (its amount or currency, or the provider's
 * reference we already hold): never applied, and a person can see it in the timeline.
 */
export class AmountMismatchError extends ConflictError {
  constructor(message: string) {
    super('ORDER_NOT_PAYABLE', message);
  }
}

/** A shopper's refresh asks the provider at most once per order per this long. */
export const REFRESH_EVERY_MS = 10_000;

/** The report is about this order, for its amount and currency (else it is never applied). */
export function checkReport(order: Order, report: PaymentReport, source: ReportSource): void {
  if (report.orderNo !== order.orderNo) throw new ValidationError('orderNo', 'report is about another order');
  // A notification naming another provider payment than the one we placed for this order
  // (NewPay's newpayOrderNo) is about something else, however well signed.
  if (source === 'notification' && report.providerRef !== undefined && order.providerRef !== undefined && report.providerRef !== order.providerRef) {
    throw new AmountMismatchError(`notification names the provider's payment ${report.providerRef}, the order's is ${order.providerRef}`);
  }
  if (report.amount && !sameMoney(report.amount, { amount: order.amount, currency: order.currency })) {
    throw new AmountMismatchError(`${source} reports ${formatMoney(report.amount)}, order is ${formatMoney(order)}`);
  }
}

/** The change a checked report makes: paid, failed and closed end the payment; the rest change nothing. */
export function changeFor(order: Order, report: PaymentReport, source: ReportSource, now: number, afterMs: number): Change | null {
  switch (report.outcome) {
    case 'paid':
      return pay(order, now, source, report.providerRef);
    case 'failed':
      return end(order, 'FAILED', report.summary, now, source, afterMs);
    case 'closed':
      return end(order, 'CLOSED', report.summary, now, source, afterMs);
    default:
      return null;
  }
}

export class PaymentSettlement {
  constructor(private readonly deps: PaymentDeps) {}

  /**
   * Applies a verified, checked report at most once; `lines` are written with the change.
   * Returns whether this call changed the order.
   */
  async apply(orderNo: string, report: PaymentReport, source: ReportSource, lines: readonly TimelineEntry[], start?: StoredOrder): Promise<boolean> {
    const now = this.deps.now();
    const done = await mutate(this.deps, orderNo, (o) => {
      checkReport(o, report, source);
      const change = changeFor(o, report, source, now, this.deps.config.reconcileAfterMs);
      return change ? { order: change.order, lines: [...change.lines, ...lines], result: true } : null;
    }, start);
    if (done.changed) this.deps.log.info('order status changed', { orderNo, to: done.order.status, source });
    return done.changed;
  }

  /**
   * Asks the provider where the payment stands and applies the answer, all in one write with
   * its `provider_query` line. Where the provider cannot be asked, an open order past its
   * expiry is marked for a person (never closed: nothing says it is unpaid).
   */
  async settleByQuery(start: StoredOrder, why: string): Promise<StoredOrder> {
    const provider = this.deps.providers.get(start.provider);
    const name = provider?.descriptor.displayName ?? start.provider;
    if (!provider?.capabilities.query || !provider.adapter.queryPayment) {
      const done = await mutate(this.deps, start.orderNo, (o) => this.unaskable(o, name), start);
      return done.order ?? start;
    }
    const adapter = provider.adapter;
    const report = await ask(this.deps.log, 'payment query', { orderNo: start.orderNo, provider: start.provider }, () => adapter.queryPayment!(start), uncertainPayment(start.orderNo));
    const now = this.deps.now();
    const line = queryLine(report, why);
    const done = await mutate(this.deps, start.orderNo, (o) => {
      try {
        checkReport(o, report, 'query');
      } catch (e) {
        const refused = e instanceof Error ? e.message : String(e);
        const later = askedAgain(o, now, refused);
        return { order: { ...later.order, attention: o.attention ?? `the provider's answer does not match the order: ${refused}` }, lines: [{ ...line, detail: { ...line.detail, refused } }, ...later.lines], result: undefined };
      }
      const change = changeFor(o, report, 'query', now, this.deps.config.reconcileAfterMs) ?? this.unsettled(o, report, now);
      return { order: change.order, lines: [line, ...change.lines], result: undefined };
      // From the order the caller just read: if anything wrote since, the compare-and-set reads again.
    }, start);
    return done.order ?? start;
  }

  /** Nothing final: past expiry a documented "not paid yet" closes the order; anything else waits. */
  private unsettled(order: Order, report: PaymentReport, now: number): Change {
    if (report.outcome === 'pending' && OPEN_STATUSES.includes(order.status) && now > order.expiresAt) {
      const closed = end(order, 'CLOSED', 'expired before payment', now, 'query', this.deps.config.reconcileAfterMs);
      if (closed) return closed;
    }
    const why = report.outcome === 'uncertain' ? report.summary : `${report.outcome}${report.code ? ` (${report.code})` : ''}`;
    const later = askedAgain(order, now, why);
    if (report.outcome === 'uncertain' && OPEN_STATUSES.includes(order.status) && now > order.expiresAt && later.order.attention === undefined) {
      // Past its expiry with no answer we can rely on: a person is told (once); it stays open
      // and is still asked about, so a documented answer settles it later.
      return { order: { ...later.order, attention: `unconfirmed past expiry: ${why}; check the provider's records (a later paid report still pays it)` }, lines: [...later.lines, { type: 'attention', detail: { about: 'payment', why } }] };
    }
    return later;
  }

  /** A provider that publishes no query: an open order past expiry goes to a person; nothing else is asked. */
  private unaskable(order: Order, name: string): { order: Order; lines: TimelineEntry[]; result: undefined } | null {
    const now = this.deps.now();
    if (!OPEN_STATUSES.includes(order.status)) {
      if (order.check === undefined) return null;
      const next = { ...order };
      delete next.check;
      return { order: next, lines: [], result: undefined };
    }
    if (now <= order.expiresAt) return { order: { ...order, check: { ...(order.check ?? { attempt: 0, until: order.expiresAt }), at: order.expiresAt + 1 } }, lines: [], result: undefined };
    const next: Order = { ...order, attention: order.attention ?? `expired without a notification, and ${name} cannot be asked: check ${name}'s records (a later paid report still pays it)` };
    delete next.check;
    return { order: next, lines: [{ type: 'attention', detail: { about: 'payment', why: `${name} cannot be queried` } }], result: undefined };
  }

  /**
   * Closes an open order the shopper cancelled: first at the provider where it can close a
   * payment (`closePayment`; an answer that it was paid pays the order, an uncertain one still
   * lets the shopper's cancel stand here), then here, CLOSED from CREATED or PAYING only.
   */
  async cancel(start: StoredOrder): Promise<StoredOrder> {
    if (!OPEN_STATUSES.includes(start.status)) return start;
    const provider = this.deps.providers.get(start.provider);
    let closedAtProvider: string = 'not asked (the provider cannot close a payment)';
    if (provider?.capabilities.close && provider.adapter.closePayment) {
      const adapter = provider.adapter;
      const report = await ask(this.deps.log, 'close', { orderNo: start.orderNo, provider: start.provider }, () => adapter.closePayment!(start), uncertainPayment(start.orderNo));
      if (report.outcome === 'paid') {
        await this.apply(start.orderNo, report, 'query', [queryLine(report, 'closing for the shopper')], start);
        return (await this.deps.store.get(start.orderNo)) ?? start;
      }
      closedAtProvider = `${report.outcome}${report.code ? ` (${report.code})` : ''}`;
    }
    const now = this.deps.now();
    const done = await mutate(this.deps, start.orderNo, (o) => {
      const change = end(o, 'CLOSED', 'cancelled by the shopper', now, 'shopper', this.deps.config.reconcileAfterMs);
      return change ? { order: change.order, lines: [...change.lines, { type: 'provider_request' as const, detail: { action: 'close', closedAtProvider } }], result: undefined } : null;
    }, start);
    return done.order ?? start;
  }

  /**
   * A shopper's "check again": an open order is settled by asking the provider, at most once
   * per order per REFRESH_EVERY_MS (the claim is a compare-and-set, so concurrent calls ask once);
   * other calls answer from the store.
   */
  async refresh(start: StoredOrder): Promise<StoredOrder> {
    if (!OPEN_STATUSES.includes(start.status)) return start;
    const now = this.deps.now();
    const claim = await mutate(this.deps, start.orderNo, (o) => (OPEN_STATUSES.includes(o.status) && now - (o.askedAt ?? 0) >= REFRESH_EVERY_MS ? { order: { ...o, askedAt: now }, lines: [], result: undefined } : null), start);
    if (!claim.changed) return claim.order ?? start;
    return this.settleByQuery(claim.order, 'shopper refresh');
  }
}
