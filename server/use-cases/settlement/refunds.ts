/**
 * The refund lifecycle, on the settlement engine:
 * 1. accept: the amount is checked against what remains and held, in the same write that
 *    records the refund and claims its first send (domain/refund-state.ts accept);
 * 2. send it to the provider with the refundNo as its reference, and read the answer through
 *    the provider's outcome table: succeeded and refused settle it; pending and uncertain hold
 *    the money (server/providers/outcomes.ts);
 * 3. a PENDING refund is settled later by a signed callback, a refund query, a re-send with the
 *    same number where the provider documents that number as unique (`refundResend`), or a
 *    person (resolveRefund) where none of these is possible. Never two sends at once: a send
 *    is claimed in the document (`sendingSince`) before it leaves.
 */
import { ConflictError, NotFoundError } from '../../core/errors';
import { formatMoney, parseDecimal, toDecimalString } from '../../core/money';
import type { Order } from '../../domain/order';
import { newRefundNo, type Refund } from '../../domain/refund';
import { accept, findRefund, hold, patchRefund, settle, type SettleSource } from '../../domain/refund-state';
import { backOff, firstCheck } from '../../domain/schedule';
import type { TimelineEntry } from '../../domain/timeline';
import type { RegisteredProvider } from '../../providers/registry';
import type { RefundReport } from '../../providers/types';
import type { StoredOrder } from '../../store/types';
import { mutate, type PaymentDeps } from '../context';
import { ask, queryLine, uncertainRefund } from './ask';

export interface RefundCommand {
  orderNo: string;
  /** Minor units, an integer > 0 (checked by the command parser). */
  amount: number;
  reason?: string;
  /** The operator's retry key; generated when absent. */
  refundNo?: string;
}

export interface ResolveCommand {
  refundNo: string;
  outcome: 'succeeded' | 'failed';
  note: string;
}

/** A verified report whose amount differs from the refund: never applied. */
export class RefundAmountMismatchError extends ConflictError {
  constructor(message: string) {
    super('REFUND_CONFLICT', message);
  }
}

const GENERATED_ATTEMPTS = 3;

function money(amount: number, currency: string): string {
  return formatMoney({ amount, currency: currency as Order['currency'] });
}

/** The amount a report names, in the refund's currency (some callbacks carry only a decimal). */
function reportedAmount(refund: Refund, report: RefundReport): { amount: number; currency: string } | undefined {
  if (report.amount) return report.amount;
  if (report.decimalAmount !== undefined) return parseDecimal(report.decimalAmount, refund.currency, 'refundAmount');
  return undefined;
}

export function checkRefundReport(refund: Refund, report: RefundReport, source: SettleSource): void {
  const amount = reportedAmount(refund, report);
  if (amount && (amount.amount !== refund.amount || amount.currency !== refund.currency)) {
    throw new RefundAmountMismatchError(`${source} reports a refund of ${money(amount.amount, amount.currency)}, refund ${refund.refundNo} is ${money(refund.amount, refund.currency)}`);
  }
}

export class RefundSettlement {
  constructor(private readonly deps: PaymentDeps) {}

  /**
   * How long a claimed send is presumed in flight: a refund request is never retried by the
   * HTTP client (it is not idempotent), so it ends within the provider timeout; after that the
   * send may have died with its process.
   */
  private get leaseMs(): number {
    return this.deps.config.providerTimeoutMs + 2_000;
  }

  private get afterMs(): number {
    return this.deps.config.reconcileAfterMs;
  }

  private async order(orderNo: string): Promise<StoredOrder> {
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

  private notRefundable(order: Order, status: Order['status'], amount: number): ConflictError {
    if (status === 'REFUNDED') {
      return new ConflictError('REFUND_EXCEEDS_REMAINING', `${money(amount, order.currency)} is more than what remains to refund on order ${order.orderNo} (nothing: it is fully refunded)`);
    }
    return new ConflictError('ORDER_NOT_REFUNDABLE', `order ${order.orderNo} is ${status}; only PAID or PARTIALLY_REFUNDED orders can be refunded`);
  }

  private conflict(existing: Refund): ConflictError {
    return new ConflictError('REFUND_CONFLICT', `refundNo ${existing.refundNo} is already a refund of ${money(existing.amount, existing.currency)} for order ${existing.orderNo}; send a new refundNo for another refund`);
  }

  /**
   * Refunds `command.amount` of a paid order. The same refundNo answers the same refund (moved
   * along if it can be). On CloudBase the critical path is three calls besides the provider:
   * claim the number and read the order (side by side), accept (one compare-and-set, with
   * `also`'s line where given), and record the answer (one compare-and-set starting from the
   * order as accepted). `recorded` says whether `also`'s line was written.
   */
  async refund(command: RefundCommand, operator: string, also?: (refundNo: string) => TimelineEntry): Promise<{ refund: Refund; order: StoredOrder; recorded: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const now = this.deps.now();
      const refundNo = command.refundNo ?? newRefundNo(now);
      // The number first (unique across orders), with a fresh read of the order beside it.
      const [claimed, order] = await Promise.all([this.deps.store.claimRefundNumber(refundNo, command.orderNo), this.deps.store.get(command.orderNo)]);
      if (!order) throw new NotFoundError(`order ${command.orderNo} was not found`, 'orderNo');
      if (!claimed) {
        // A generated number another order holds: draw another (never merge two refunds).
        if (command.refundNo === undefined && attempt < GENERATED_ATTEMPTS) continue;
        const holder = await this.deps.store.findByRefundNo(refundNo);
        const other = holder && findRefund(holder, refundNo);
        if (other) throw this.conflict(other);
        throw new ConflictError('REFUND_CONFLICT', `refundNo ${refundNo} belongs to another order; send a new refundNo for this refund`);
      }
      const mine = findRefund(order, refundNo);
      if (mine) {
        if (command.refundNo === undefined && attempt < GENERATED_ATTEMPTS) continue;
        if (mine.amount !== command.amount) throw this.conflict(mine);
        return { ...(mine.status === 'PENDING' ? await this.check(order, refundNo, 'operator retry') : { refund: mine, order }), recorded: false };
      }
      const provider = this.refunder(order);
      const refund: Refund = {
        refundNo,
        orderNo: order.orderNo,
        provider: order.provider,
        amount: command.amount,
        currency: order.currency,
        status: 'PENDING',
        operator,
        createdAt: now,
        updatedAt: now,
        // The first send is claimed with the acceptance: one write.
        delivery: 'sending',
        sendingSince: now,
        sends: 1,
        check: firstCheck(now, Math.max(this.afterMs, this.leaseMs)),
        ...(command.reason !== undefined ? { reason: command.reason } : {}),
      };
      const line: TimelineEntry = { type: 'refund_requested', detail: { refundNo, amount: toDecimalString({ amount: refund.amount, currency: refund.currency }), currency: refund.currency, reason: refund.reason ?? null, operator } };
      let verdict: ReturnType<typeof accept> | undefined;
      const done = await mutate(this.deps, order.orderNo, (o) => {
        verdict = accept(o, refund, provider.descriptor.refundRules ?? {}, line);
        // The caller's own line (the operator's admin line) rides on the acceptance: no write of its own.
        return verdict.kind === 'accepted' ? { order: verdict.change.order, lines: also ? [...verdict.change.lines, also(refundNo)] : verdict.change.lines, result: verdict.refund } : null;
      }, order);
      if (done.changed) {
        this.deps.log.info('refund accepted', { orderNo: order.orderNo, refundNo, amount: refund.amount });
        return { ...(await this.send(provider, done.order, done.result, false)), recorded: also !== undefined };
      }
      const v = verdict;
      if (!v || !done.order) throw new NotFoundError(`order ${order.orderNo} was not found`, 'orderNo');
      switch (v.kind) {
        case 'not-refundable':
          throw this.notRefundable(order, v.status, command.amount);
        case 'exceeds':
          throw new ConflictError('REFUND_EXCEEDS_REMAINING', `${money(refund.amount, order.currency)} is more than what remains to refund on order ${order.orderNo} (${money(Math.max(0, v.remaining), order.currency)}, counting refunds still pending)`);
        case 'limit':
          throw new ConflictError('REFUND_LIMIT_REACHED', v.why);
        case 'existing':
          // Accepted by a concurrent request with the same number a moment ago.
          return { refund: v.refund, order: done.order, recorded: false };
        case 'conflict':
          throw this.conflict(v.refund);
        default:
          throw new ConflictError('REFUND_CONFLICT', `refund ${refundNo} could not be accepted; try again`);
      }
    }
  }

  /** Sends a refund whose send is claimed, and applies the answer. */
  private async send(provider: RegisteredProvider, order: StoredOrder, refund: Refund, resend: boolean): Promise<{ refund: Refund; order: StoredOrder }> {
    const adapter = provider.adapter;
    const report = await ask(this.deps.log, resend ? 'refund re-send' : 'refund', { orderNo: order.orderNo, refundNo: refund.refundNo, provider: provider.name }, () =>
      adapter.refund!({ order, refund, notifyUrl: `${this.deps.config.notifyBaseUrl}/${provider.name}`, ...(resend ? { resend: true } : {}) }),
      uncertainRefund(refund.refundNo),
    );
    const line: TimelineEntry = { type: 'refund_response', detail: { refundNo: refund.refundNo, ...(resend ? { resend: true } : {}), outcome: report.outcome, ...(report.code !== undefined ? { code: report.code } : {}), summary: report.summary } };
    // `order` is as our own claim wrote it: still current unless a callback raced the answer,
    // which the compare-and-set detects (then it reads again). Saves a read on the critical path.
    if ((report.outcome === 'succeeded' || report.outcome === 'refused') && provider.capabilities.refundQuery && adapter.queryRefund) {
      return this.confirm(provider, order, refund, report, line);
    }
    return this.applyReport(order.orderNo, refund.refundNo, report, 'answer', line, provider, [], order);
  }

  /**
   * Where the provider has a refund query, its final answer is confirmed by it before any money
   * is counted or freed: the two agree (settled), the query has nothing final yet (held: the
   * provider has the request), or they contradict each other (the query, which reports what the
   * provider did, decides, and a person is told).
   */
  private async confirm(provider: RegisteredProvider, order: StoredOrder, refund: Refund, answer: RefundReport, line: TimelineEntry): Promise<{ refund: Refund; order: StoredOrder }> {
    const adapter = provider.adapter;
    const orderNo = order.orderNo;
    const query = await ask(this.deps.log, 'refund confirmation', { refundNo: refund.refundNo, provider: provider.name }, () => adapter.queryRefund!(refund), uncertainRefund(refund.refundNo));
    const asked = queryLine(query, 'confirming the answer');
    if (query.outcome === answer.outcome) return this.applyReport(orderNo, refund.refundNo, { ...answer, ...(query.providerRef !== undefined ? { providerRef: query.providerRef } : {}) }, 'answer', line, provider, [asked], order);
    if (query.outcome === 'succeeded' || query.outcome === 'refused') {
      const why = `the provider answered ${answer.outcome} (${answer.summary}), its refund query says ${query.outcome} (${query.summary})`;
      return this.applyReport(orderNo, refund.refundNo, { ...query, attention: `refund ${refund.refundNo}: ${why}; the query decided: check the provider's records` }, 'query', line, provider, [asked], order);
    }
    // Nothing final from the query yet: the provider has the request; the next check asks again.
    return this.applyReport(orderNo, refund.refundNo, { ...answer, outcome: 'pending', summary: `${answer.summary}; not confirmed by the refund query yet (${query.summary})` }, 'answer', line, provider, [asked], order);
  }

  /**
   * Applies what the provider said about a refund, with `line`, in one write: succeeded and
   * refused settle it; anything else holds it (a documented pending as `received`, the rest as
   * `unconfirmed`) and schedules its next check, or marks it for a person where nothing
   * automatic can settle it.
   */
  async applyReport(orderNo: string, refundNo: string, report: RefundReport, source: SettleSource, line: TimelineEntry, provider: RegisteredProvider, moreLines: readonly TimelineEntry[] = [], start?: StoredOrder): Promise<{ refund: Refund; order: StoredOrder }> {
    const now = this.deps.now();
    const done = await mutate(this.deps, orderNo, (o) => {
      const refund = findRefund(o, refundNo);
      if (!refund) return null;
      let outcome = report.outcome;
      let mismatch: string | undefined;
      try {
        checkRefundReport(refund, report, source);
      } catch (e) {
        mismatch = e instanceof Error ? e.message : String(e);
        outcome = 'uncertain';
      }
      const lines: TimelineEntry[] = [mismatch ? { ...line, detail: { ...line.detail, refused: mismatch } } : line, ...moreLines];
      if (outcome === 'succeeded' || outcome === 'refused') {
        const to = outcome === 'succeeded' ? 'SUCCEEDED' : 'FAILED';
        // A refusal only settles a PENDING refund; a success also overturns a FAILED one (the money moved).
        const change = settle(o, refundNo, to, now, source, { reason: report.summary, ...(report.providerRef !== undefined ? { providerRef: report.providerRef } : {}), ...(report.code !== undefined ? { extra: { code: report.code } } : {}) });
        if (change && report.attention !== undefined) {
          // Settled, but a person must know why (the provider contradicted itself, REFUND.ABNORMAL...).
          return { order: { ...change.order, attention: report.attention }, lines: [...lines, ...change.lines, { type: 'attention', detail: { about: 'refund', refundNo, why: report.attention } }], result: undefined };
        }
        if (change) return { order: change.order, lines: [...lines, ...change.lines], result: undefined };
        if (refund.status !== 'PENDING') return { order: o, lines, result: undefined };
      }
      if (refund.status !== 'PENDING') return { order: o, lines, result: undefined };
      return this.hold(o, refund, outcome === 'pending' && !mismatch ? 'received' : 'unconfirmed', report, lines, now, provider, source, mismatch);
    }, start);
    const order = done.order ?? (await this.order(orderNo));
    const refund = findRefund(order, refundNo);
    if (!refund) throw new NotFoundError(`refund ${refundNo} was not found`, 'refundNo');
    if (refund.status !== 'PENDING') this.deps.log.info('refund settled', { orderNo, refundNo, to: refund.status, source });
    return { refund, order };
  }

  /** A refund nothing settled this time: domain/refund-state.ts `hold`, with what the provider can do. */
  private hold(o: Order, refund: Refund, delivery: 'received' | 'unconfirmed', report: RefundReport | undefined, lines: TimelineEntry[], now: number, provider: RegisteredProvider | undefined, source: SettleSource | 'check', mismatch?: string) {
    const attention = report?.attention ?? mismatch;
    const change = hold(o, refund, now, {
      providerName: provider?.descriptor.displayName ?? refund.provider,
      canQuery: !!provider?.capabilities.refundQuery && !!provider.adapter.queryRefund,
      canResend: !!provider?.capabilities.refundResend,
      delivery,
      source,
      afterMs: this.afterMs,
      money,
      ...(attention !== undefined ? { attention } : {}),
      ...(report?.providerRef !== undefined ? { providerRef: report.providerRef } : {}),
    });
    return { order: change.order, lines: [...lines, ...change.lines], result: undefined };
  }

  /**
   * Moves a PENDING refund along (reconcile, an operator's query or retry): asks the provider
   * where it stands where it can; sends it again with the same number where it may not have
   * arrived and the provider documents the number as unique; else leaves it to a person.
   */
  async check(start: StoredOrder, refundNo: string, why: string): Promise<{ refund: Refund; order: StoredOrder }> {
    const refund = findRefund(start, refundNo);
    if (!refund) throw new NotFoundError(`refund ${refundNo} was not found`, 'refundNo');
    if (refund.status !== 'PENDING') return { refund, order: start };
    const provider = this.deps.providers.get(refund.provider);
    const now = this.deps.now();
    if (refund.delivery === 'sending' && refund.sendingSince !== undefined && now - refund.sendingSince < this.leaseMs) {
      // Its send is in flight: ask after it has had its time.
      const later = await mutate(this.deps, start.orderNo, (o) => ({ order: patchRefund(o, refundNo, (r) => ({ ...r, check: { ...(r.check ?? firstCheck(now, 0)), at: (r.sendingSince ?? now) + this.leaseMs } })), lines: [], result: undefined }), start);
      const order = later.order ?? start;
      return { refund: findRefund(order, refundNo) ?? refund, order };
    }
    if (provider?.capabilities.refundQuery && provider.adapter.queryRefund) {
      const adapter = provider.adapter;
      const report = await ask(this.deps.log, 'refund query', { refundNo, provider: provider.name }, () => adapter.queryRefund!(refund), uncertainRefund(refundNo));
      const line = queryLine(report, why);
      if (report.outcome === 'uncertain' && provider.capabilities.refundResend && refund.delivery !== 'received') {
        // The provider may never have had it (or said something we can't read): send it again.
        const claimed = await this.claimResend(start, refundNo, line);
        if (claimed) return this.send(provider, claimed.order, claimed.refund, true);
        const order = await this.order(start.orderNo);
        return { refund: findRefund(order, refundNo) ?? refund, order };
      }
      // From the order as read: a write since then makes the compare-and-set read again.
      return this.applyReport(start.orderNo, refundNo, report, 'query', line, provider, [], start);
    }
    if (provider?.capabilities.refundResend && provider.adapter.refund && refund.delivery !== 'received') {
      const claimed = await this.claimResend(start, refundNo, { type: 'refund_query', detail: { refundNo, why, note: 'sent again with the same number: the first request may not have arrived' } });
      if (claimed) return this.send(provider, claimed.order, claimed.refund, true);
    }
    // Nothing automatic can settle it: a person must.
    const done = await mutate(this.deps, start.orderNo, (o) => {
      const r = findRefund(o, refundNo);
      if (!r || r.status !== 'PENDING' || (r.attention !== undefined && r.check === undefined)) return null;
      return this.hold(o, r, r.delivery === 'received' ? 'received' : 'unconfirmed', undefined, [], now, provider, 'check');
    }, start);
    const order = done.order ?? start;
    return { refund: findRefund(order, refundNo) ?? refund, order };
  }

  /** Claims a re-send (never two sends at once): the document says `sending` before the request leaves. */
  private async claimResend(start: StoredOrder, refundNo: string, line: TimelineEntry): Promise<{ order: StoredOrder; refund: Refund } | null> {
    const now = this.deps.now();
    const done = await mutate(this.deps, start.orderNo, (o) => {
      const r = findRefund(o, refundNo);
      if (!r || r.status !== 'PENDING') return null;
      if (r.delivery === 'sending' && r.sendingSince !== undefined && now - r.sendingSince < this.leaseMs) return null;
      const next = patchRefund(o, refundNo, (x) => ({ ...x, delivery: 'sending', sendingSince: now, sends: (x.sends ?? 1) + 1, check: backOff(x.check ?? firstCheck(now, this.afterMs), now), updatedAt: now }));
      return { order: next, lines: [line], result: findRefund(next, refundNo) as Refund };
    }, start);
    return done.changed ? { order: done.order, refund: done.result } : null;
  }

  /** A person settles a PENDING refund after checking the provider's portal. */
  async resolve(command: ResolveCommand, operator: string): Promise<{ refund: Refund; order: StoredOrder }> {
    const holder = await this.deps.store.findByRefundNo(command.refundNo);
    const existing = holder && findRefund(holder, command.refundNo);
    if (!holder || !existing) throw new NotFoundError(`refund ${command.refundNo} was not found`, 'refundNo');
    if (existing.status !== 'PENDING') throw new ConflictError('REFUND_NOT_PENDING', `refund ${command.refundNo} is already ${existing.status}; only a PENDING refund can be resolved`);
    const now = this.deps.now();
    const to = command.outcome === 'succeeded' ? 'SUCCEEDED' : 'FAILED';
    const done = await mutate(this.deps, holder.orderNo, (o) => {
      const change = settle(o, command.refundNo, to, now, 'operator', { reason: `settled by an operator: ${command.note}`, extra: { operator, note: command.note } });
      // settle() also clears the order's "needs a person" mark once no refund of it needs one.
      if (!change) return null;
      return { order: change.order, lines: [{ type: 'admin', detail: { action: 'resolveRefund', operator, refundNo: command.refundNo, outcome: command.outcome, note: command.note } }, ...change.lines], result: undefined };
    }, holder);
    const order = done.order ?? holder;
    const refund = findRefund(order, command.refundNo) as Refund;
    if (!done.changed) throw new ConflictError('REFUND_NOT_PENDING', `refund ${command.refundNo} is already ${refund.status}; only a PENDING refund can be resolved`);
    this.deps.log.info('refund resolved by an operator', { refundNo: command.refundNo, to, operator });
    return { refund, order };
  }

  /** A refund and its order; while PENDING, it is moved along now (an operator asked). */
  async query(refundNo: string): Promise<{ refund: Refund; order: StoredOrder }> {
    const holder = await this.deps.store.findByRefundNo(refundNo);
    const refund = holder && findRefund(holder, refundNo);
    if (!holder || !refund) throw new NotFoundError(`refund ${refundNo} was not found`, 'refundNo');
    return refund.status === 'PENDING' ? this.check(holder, refundNo, 'operator query') : { refund, order: holder };
  }
}
