/**
 * The refund lifecycle, independent of where it runs:
 * 1. accept: the store checks and reserves the amount atomically (see OrderStore.acceptRefund);
 * 2. ask the provider, with the refundNo as its refund reference;
 * 3. settle on a signed fact only: the provider's answer where it is final, its verified
 *    refund callback, or its refund query (queryRefund, reconcile). A refund whose answer was
 *    lost (timeout, 5xx) stays PENDING: it may have happened.
 * Every step is a timeline line on the order.
 */
import { ConflictError, NotFoundError, ProviderError, ValidationError, isPayError } from '../core/errors';
import { parseDecimal, toDecimalString } from '../core/money';
import type { TimelineEntry } from '../orders/store';
import type { Order } from '../orders/types';
import { addEvent, type PaymentDeps } from '../payments/context';
import type { RegisteredProvider } from '../providers/registry';
import type { RefundReport } from '../providers/types';
import { RefundNotificationIngress } from './notifications';
import { REFUNDABLE_STATUSES, newRefundNo, type Refund } from './types';

export interface RefundCommand {
  orderNo: string;
  /** Minor units, an integer > 0 (checked by the command parser). */
  amount: number;
  reason?: string;
  /** The operator's retry key; generated when absent. */
  refundNo?: string;
}

/** A verified report whose amount differs from the refund: never applied. */
export class RefundAmountMismatchError extends ConflictError {
  constructor(message: string) {
    super('REFUND_CONFLICT', message);
  }
}

export type RefundSource = 'answer' | 'notification' | 'query';

export interface RefundReconcileSummary {
  /** PENDING refunds looked at in this run. */
  checked: number;
  succeeded: number;
  failed: number;
  /** Still PENDING (the provider says so, or cannot be asked). */
  pending: number;
  /** Orders newly marked for a person: a refund PENDING too long where nothing can settle it. */
  attention: number;
  errors: number;
}

/** A PENDING refund this old is marked for a person's attention (reconcile). */
export const REFUND_ATTENTION_AFTER_MS = 30 * 60_000;

const GENERATED_ATTEMPTS = 3;

export class RefundService {
  readonly notifications: RefundNotificationIngress;

  constructor(private readonly deps: PaymentDeps) {
    this.notifications = new RefundNotificationIngress(deps, this);
  }

  private money(amount: number, order: Pick<Order, 'currency'>): string {
    return `${toDecimalString({ amount, currency: order.currency })} ${order.currency}`;
  }

  private async order(orderNo: string): Promise<Order> {
    const order = await this.deps.store.get(orderNo);
    if (!order) throw new NotFoundError(`order ${orderNo} was not found`, 'orderNo');
    return order;
  }

  /** The provider that can refund this order, or ORDER_NOT_REFUNDABLE saying why not. */
  private refunder(order: Order): RegisteredProvider {
    const provider = this.deps.providers.get(order.provider);
    if (!provider) throw new ConflictError('ORDER_NOT_REFUNDABLE', `${order.provider} is not enabled here (PAY_PROVIDERS), so its orders cannot be refunded`);
    if (!provider.capabilities.refund || !provider.adapter.refund) {
      throw new ConflictError('ORDER_NOT_REFUNDABLE', `${provider.descriptor.displayName} refunds are not available through this API; refund in the provider's portal`);
    }
    return provider;
  }

  /**
   * A fully REFUNDED order was paid and has nothing left: REFUND_EXCEEDS_REMAINING (so the
   * losers of a race for the remainder all hear the same). Never paid: ORDER_NOT_REFUNDABLE.
   */
  private notRefundable(order: Order, status: Order['status'], amount: number): ConflictError {
    if (status === 'REFUNDED') {
      return new ConflictError('REFUND_EXCEEDS_REMAINING', `${this.money(amount, order)} is more than what remains to refund on order ${order.orderNo} (nothing: it is fully refunded)`);
    }
    return new ConflictError('ORDER_NOT_REFUNDABLE', `order ${order.orderNo} is ${status}; only PAID or PARTIALLY_REFUNDED orders can be refunded`);
  }

  private sameRefund(existing: Refund, command: RefundCommand): Refund {
    if (existing.orderNo === command.orderNo && existing.amount === command.amount) return existing;
    throw new ConflictError(
      'REFUND_CONFLICT',
      `refundNo ${existing.refundNo} is already a refund of ${this.money(existing.amount, existing)} for order ${existing.orderNo}; send a new refundNo for another refund`,
    );
  }

  /** Refunds `command.amount` of a paid order. The same refundNo answers the same refund. */
  async refund(command: RefundCommand, operator: string): Promise<{ refund: Refund; order: Order }> {
    if (command.refundNo !== undefined) {
      const existing = await this.deps.store.getRefund(command.refundNo);
      if (existing) return { refund: this.sameRefund(existing, command), order: await this.order(existing.orderNo) };
    }
    const order = await this.order(command.orderNo);
    const provider = this.refunder(order);
    if (!REFUNDABLE_STATUSES.includes(order.status)) throw this.notRefundable(order, order.status, command.amount);
    for (let attempt = 1; ; attempt++) {
      const now = this.deps.now();
      const refund: Refund = {
        refundNo: command.refundNo ?? newRefundNo(now),
        orderNo: order.orderNo,
        provider: order.provider,
        amount: command.amount,
        currency: order.currency,
        status: 'PENDING',
        operator,
        createdAt: now,
        updatedAt: now,
        ...(command.reason !== undefined ? { reason: command.reason } : {}),
      };
      const requested: TimelineEntry = {
        type: 'refund_requested',
        detail: { refundNo: refund.refundNo, amount: toDecimalString({ amount: refund.amount, currency: refund.currency }), currency: refund.currency, reason: refund.reason ?? null, operator },
      };
      const result = await this.deps.store.acceptRefund(refund, [requested]);
      switch (result.kind) {
        case 'not-found':
          throw new NotFoundError(`order ${order.orderNo} was not found`, 'orderNo');
        case 'not-refundable':
          throw this.notRefundable(order, result.status, command.amount);
        case 'exceeds':
          throw new ConflictError(
            'REFUND_EXCEEDS_REMAINING',
            `${this.money(refund.amount, order)} is more than what remains to refund on order ${order.orderNo} (${this.money(Math.max(0, result.remaining), order)}, counting refunds still pending)`,
          );
        case 'existing':
        case 'conflict':
          // A generated number that is taken: draw another (never merge two refunds).
          if (command.refundNo === undefined && attempt < GENERATED_ATTEMPTS) continue;
          if (result.kind === 'conflict' && result.refund.orderNo === command.orderNo && result.refund.amount === command.amount) {
            throw new ConflictError('REFUND_CONFLICT', `refundNo ${refund.refundNo} is being accepted by another request right now; send it again in a moment`);
          }
          return { refund: this.sameRefund(result.refund, command), order: await this.order(order.orderNo) };
        case 'accepted':
          this.deps.log.info('refund accepted', { orderNo: order.orderNo, refundNo: refund.refundNo, amount: refund.amount });
          await this.ask(provider, order, result.refund);
          return { refund: (await this.deps.store.getRefund(refund.refundNo)) ?? result.refund, order: await this.order(order.orderNo) };
      }
    }
  }

  /** Sends an accepted refund to its provider and applies the answer. */
  private async ask(provider: RegisteredProvider, order: Order, refund: Refund): Promise<void> {
    let report: RefundReport;
    try {
      report = await provider.adapter.refund!({ order, refund, notifyUrl: `${this.deps.config.notifyBaseUrl}/${provider.name}` });
    } catch (e) {
      // Whatever the adapter throws (no answer, a timeout, an unreadable body, a bug) is
      // uncertain: the refund may have happened, so it stays PENDING with its amount held until
      // a callback, a query or a person settles it. Refusals are reports, not throws.
      const message = e instanceof Error ? e.message : String(e);
      const detail = { refundNo: refund.refundNo, error: message, code: isPayError(e) ? e.code : 'INTERNAL', ...(e instanceof ProviderError && e.details.providerCode ? { providerCode: e.details.providerCode } : {}), final: false };
      await addEvent(this.deps, order.orderNo, 'refund_response', { ...detail, note: 'no answer we could read: the refund stays PENDING until the provider confirms it' });
      this.deps.log.warn('refund answer missing; stays PENDING', { orderNo: order.orderNo, refundNo: refund.refundNo });
      return;
    }
    const line: TimelineEntry = { type: 'refund_response', detail: { refundNo: refund.refundNo, outcome: report.outcome, code: report.code ?? null, summary: report.summary, providerRef: report.providerRef ?? null } };
    try {
      if (!(await this.apply(refund, report, 'answer', [line]))) await addEvent(this.deps, order.orderNo, line.type, line.detail);
    } catch (e) {
      await addEvent(this.deps, order.orderNo, line.type, { ...line.detail, refused: e instanceof Error ? e.message : String(e) });
      await this.deps.store.markAttention(order.orderNo, `refund ${refund.refundNo}: ${e instanceof Error ? e.message : String(e)}`, this.deps.now());
    }
  }

  /**
   * Applies a verified report to a refund at most once. Returns whether this call settled it.
   * A report for another amount is never applied (RefundAmountMismatchError).
   */
  async apply(refund: Refund, report: RefundReport, source: RefundSource, alsoOnChange: readonly TimelineEntry[] = []): Promise<boolean> {
    if (report.refundNo !== refund.refundNo) throw new ValidationError('refundNo', 'report is about another refund');
    if (report.decimalAmount !== undefined && !report.amount) report = { ...report, amount: parseDecimal(report.decimalAmount, refund.currency, 'refundAmount') };
    if (report.amount && (report.amount.amount !== refund.amount || report.amount.currency !== refund.currency)) {
      throw new RefundAmountMismatchError(
        `${source} reports a refund of ${toDecimalString(report.amount)} ${report.amount.currency}, refund ${refund.refundNo} is ${toDecimalString({ amount: refund.amount, currency: refund.currency })} ${refund.currency}`,
      );
    }
    const now = this.deps.now();
    // Pending and uncertain hold the amount: only succeeded and refused settle a refund.
    if (report.outcome === 'pending' || report.outcome === 'uncertain') {
      if (report.providerRef !== undefined && report.providerRef !== refund.providerRef) await this.deps.store.setRefundProviderRef(refund.refundNo, report.providerRef, now);
      return false;
    }
    const to = report.outcome === 'succeeded' ? 'SUCCEEDED' : 'FAILED'; // refused: nothing was refunded
    const patch = { ...(report.providerRef !== undefined ? { providerRef: report.providerRef } : {}), ...(to === 'FAILED' ? { statusReason: report.summary } : {}) };
    const settled = await this.deps.store.settleRefund(refund.refundNo, to, patch, now, [
      ...alsoOnChange,
      { type: 'refund_settled', detail: { refundNo: refund.refundNo, to, source, summary: report.summary } },
    ]);
    if (settled) this.deps.log.info('refund settled', { orderNo: refund.orderNo, refundNo: refund.refundNo, to, source });
    return settled;
  }

  /** A refund and its order; while PENDING, the provider is asked where it stands (where it can be). */
  async query(refundNo: string): Promise<{ refund: Refund; order: Order }> {
    const refund = await this.deps.store.getRefund(refundNo);
    if (!refund) throw new NotFoundError(`refund ${refundNo} was not found`, 'refundNo');
    if (refund.status === 'PENDING') await this.askWhere(refund);
    return { refund: (await this.deps.store.getRefund(refundNo)) ?? refund, order: await this.order(refund.orderNo) };
  }

  /** Queries the provider about a PENDING refund; returns false when it cannot be asked. */
  private async askWhere(refund: Refund): Promise<boolean> {
    const provider = this.deps.providers.get(refund.provider);
    if (!provider?.capabilities.refundQuery || !provider.adapter.queryRefund) return false;
    try {
      const report = await provider.adapter.queryRefund(refund);
      const line: TimelineEntry = { type: 'refund_query', detail: { refundNo: refund.refundNo, outcome: report.outcome, code: report.code ?? null, summary: report.summary } };
      if (!(await this.apply(refund, report, 'query', [line]))) await addEvent(this.deps, refund.orderNo, line.type, line.detail);
    } catch (e) {
      await addEvent(this.deps, refund.orderNo, 'refund_query', { refundNo: refund.refundNo, error: e instanceof Error ? e.message : String(e) });
      this.deps.log.warn('refund query failed', { refundNo: refund.refundNo, provider: refund.provider });
    }
    return true;
  }

  /**
   * Reconcile: PENDING refunds last changed before `updatedBefore` are asked about where the
   * provider has a refund query; any still PENDING after REFUND_ATTENTION_AFTER_MS marks its
   * order for a person (once), since nothing else may ever settle it.
   */
  async settlePending(now: number, updatedBefore: number, batch: number): Promise<RefundReconcileSummary> {
    const summary: RefundReconcileSummary = { checked: 0, succeeded: 0, failed: 0, pending: 0, attention: 0, errors: 0 };
    for (const refund of await this.deps.store.listPendingRefunds(updatedBefore, batch)) {
      summary.checked += 1;
      try {
        await this.askWhere(refund);
        const after = (await this.deps.store.getRefund(refund.refundNo)) ?? refund;
        if (after.status === 'SUCCEEDED') summary.succeeded += 1;
        else if (after.status === 'FAILED') summary.failed += 1;
        else {
          summary.pending += 1;
          const order = await this.deps.store.get(refund.orderNo);
          if (order && now - refund.createdAt > REFUND_ATTENTION_AFTER_MS && !(order.attention ?? '').includes(refund.refundNo)) {
            const provider = this.deps.providers.get(refund.provider);
            const why = provider?.capabilities.refundQuery ? 'the provider still reports it pending' : `${provider?.descriptor.displayName ?? refund.provider} publishes no refund query and its callback has not come`;
            await this.deps.store.markAttention(order.orderNo, `refund ${refund.refundNo} (${this.money(refund.amount, refund)}) has been PENDING for over ${Math.round(REFUND_ATTENTION_AFTER_MS / 60_000)} minutes: ${why}; confirm it in the provider's portal`, now);
            await addEvent(this.deps, order.orderNo, 'refund_query', { refundNo: refund.refundNo, attention: true, why });
            summary.attention += 1;
          }
        }
      } catch (e) {
        summary.errors += 1;
        this.deps.log.error('reconcile could not settle a refund', { refundNo: refund.refundNo, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return summary;
  }
}
