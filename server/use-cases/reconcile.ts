/**
 * Reconcile (the `reconcile` function's timer, POST /fn/reconcile locally): every open item
 * has a next check time (domain/schedule.ts), and a run takes the orders with something due,
 * oldest due first: their payment (unpaid, or closed on expiry and still asked about for a
 * day) and their PENDING refunds. Each item asked about is backed off or settled, so a run
 * never takes the same item twice and items nothing can settle drift to the back, then leave
 * the queue for a person: a thousand stuck refunds cannot delay a fresh one. A run goes on
 * page by page until nothing is due or its time budget is spent.
 */
import { ConfigError } from '../core/errors';
import { EnvReader, type Env } from '../config/env';
import type { Logger } from '../core/log';
import type { StoredOrder } from '../store/types';
import type { PaymentSettlement } from './settlement/payments';
import type { RefundSettlement } from './settlement/refunds';

export interface ReconcileOptions {
  /** Orders one page holds (RECONCILE_BATCH, default 50). */
  batch: number;
  /** Provider questions in flight at once (default 4). */
  concurrency: number;
  /** A run stops taking new pages after this long (default 40 s: inside the function's timeout). */
  budgetMs: number;
}

export const RECONCILE_DEFAULTS: Readonly<ReconcileOptions> = { batch: 50, concurrency: 4, budgetMs: 40_000 };

export interface ReconcileSummary {
  ok: true;
  /** Orders whose payment was asked about in this run. */
  checked: number;
  paid: number;
  failed: number;
  closed: number;
  /** Asked about, and nothing final yet (or already settled by a racing notification). */
  unchanged: number;
  /** Items that could not be handled (store failure...). */
  errors: number;
  /** The orders behind `errors`, for the function log. */
  errorOrders: string[];
  /** Whether items may still be due (the time budget ran out). */
  more: boolean;
  refunds: { checked: number; succeeded: number; failed: number; pending: number; attention: number; errors: number };
  /** Of `paid`: orders that had ended FAILED or CLOSED, found paid after all. */
  latePaid: number;
}

export interface ReconcileDeps {
  store: { listDue(now: number, limit: number): Promise<StoredOrder[]> };
  payments: Pick<PaymentSettlement, 'settleByQuery'>;
  refunds: Pick<RefundSettlement, 'check'>;
  now: () => number;
  log?: Logger;
}

/** Reads RECONCILE_BATCH (1 to 500, default 50). RECONCILE_AFTER_MINUTES is part of the app's configuration. */
export function reconcileOptionsFromEnv(env: Env): ReconcileOptions {
  const read = new EnvReader(env);
  const batch = read.integer('RECONCILE_BATCH', RECONCILE_DEFAULTS.batch, 1, 500);
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return { ...RECONCILE_DEFAULTS, batch };
}

export async function reconcile(deps: ReconcileDeps, options: Partial<ReconcileOptions> = {}): Promise<ReconcileSummary> {
  const o = { ...RECONCILE_DEFAULTS, ...options };
  const started = deps.now();
  const summary: ReconcileSummary = { ok: true, checked: 0, paid: 0, failed: 0, closed: 0, unchanged: 0, errors: 0, errorOrders: [], more: false, refunds: { checked: 0, succeeded: 0, failed: 0, pending: 0, attention: 0, errors: 0 }, latePaid: 0 };
  // Items handled in this run are not taken again, even if handling failed to move their check.
  const seen = new Set<string>();

  const payment = async (order: StoredOrder): Promise<StoredOrder> => {
    summary.checked += 1;
    const after = await deps.payments.settleByQuery(order, 'reconcile');
    if (after.status === order.status) summary.unchanged += 1;
    else if (after.status === 'PAID') {
      summary.paid += 1;
      if (order.status === 'FAILED' || order.status === 'CLOSED') summary.latePaid += 1;
    } else if (after.status === 'FAILED') summary.failed += 1;
    else if (after.status === 'CLOSED') summary.closed += 1;
    else summary.unchanged += 1;
    return after;
  };

  const refunds = async (order: StoredOrder, now: number): Promise<void> => {
    let current = order;
    for (const r of order.refunds ?? []) {
      if (r.status !== 'PENDING' || r.check?.at === undefined || r.check.at > now) continue;
      summary.refunds.checked += 1;
      let checked;
      try {
        checked = await deps.refunds.check(current, r.refundNo, 'reconcile');
      } catch (e) {
        summary.refunds.errors += 1;
        deps.log?.error('reconcile could not check a refund', { refundNo: r.refundNo, error: e instanceof Error ? e.message : String(e) });
        continue;
      }
      const { refund, order: after } = checked;
      current = after;
      if (refund.status === 'SUCCEEDED') summary.refunds.succeeded += 1;
      else if (refund.status === 'FAILED') summary.refunds.failed += 1;
      else {
        summary.refunds.pending += 1;
        if (refund.attention !== undefined && r.attention === undefined) summary.refunds.attention += 1;
      }
    }
  };

  const one = async (order: StoredOrder): Promise<void> => {
    const now = deps.now();
    try {
      let current = order;
      if (order.check?.at !== undefined && order.check.at <= now) current = await payment(order);
      await refunds(current, now);
    } catch (e) {
      summary.errors += 1;
      summary.errorOrders.push(order.orderNo);
      deps.log?.error('reconcile could not settle an order', { orderNo: order.orderNo, error: e instanceof Error ? e.message : String(e) });
    }
  };

  for (;;) {
    const now = deps.now();
    if (now - started > o.budgetMs) {
      summary.more = true;
      break;
    }
    const page = (await deps.store.listDue(now, o.batch + seen.size)).filter((d) => !seen.has(d.orderNo)).slice(0, o.batch);
    if (page.length === 0) break;
    for (const d of page) seen.add(d.orderNo);
    // A few questions at a time: bounded load on the provider, a run well inside the timeout.
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < page.length) await one(page[next++] as StoredOrder);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, page.length)) }, worker));
  }

  if (summary.checked > 0 || summary.refunds.checked > 0 || summary.errors > 0) {
    deps.log?.info('reconcile run', { checked: summary.checked, paid: summary.paid, failed: summary.failed, closed: summary.closed, unchanged: summary.unchanged, refunds: summary.refunds.checked, errors: summary.errors, more: summary.more });
  }
  return summary;
}
