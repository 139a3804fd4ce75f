/**
 * The `reconcile` cloud function, run by a timer trigger: settles the orders a provider
 * never told us about. Every order still PAYING (or CREATED, when the call to the provider
 * timed out) whose last change is older than the notification window is settled by asking
 * the provider (PaymentService.settleByQuery): paid, failed, or, once expired, closed.
 * The answer goes through the same conditional transitions as a notification, so a run
 * racing a late notification, or another run, changes an order at most once.
 * It also settles refunds still PENDING past the same window by the provider's refund query
 * (RefundService.settlePending), and marks for a person those that nothing can settle.
 */
import { ConfigError, errorResult } from '../core/errors';
import { EnvReader, type Env } from '../config/env';
import type { Logger } from '../core/log';
import type { OrderStore } from '../orders/store';
import type { Order, OrderStatus } from '../orders/types';
import type { RefundReconcileSummary } from '../refunds/service';

export interface ReconcileOptions {
  /** How long a provider has to notify before we ask it (default 2 minutes). */
  notifyWindowMs: number;
  /** The most orders one run settles (default 50); the oldest go first. */
  batch: number;
  /** Provider queries in flight at once (default 4). */
  concurrency: number;
}

/** How far back FAILED orders are asked about again, and how many per run. */
export const RECHECK_FAILED_MS = 60 * 60_000;
export const RECHECK_FAILED_BATCH = 20;

export const RECONCILE_DEFAULTS: Readonly<ReconcileOptions> = { notifyWindowMs: 2 * 60_000, batch: 50, concurrency: 4 };

/** Statuses an order may still leave on its own; FINAL ones are never touched. */
export const RECONCILE_STATUSES: readonly OrderStatus[] = ['CREATED', 'PAYING'];

export interface ReconcileSummary {
  ok: true;
  /** Orders asked about in this run. */
  checked: number;
  paid: number;
  failed: number;
  closed: number;
  /** Still unpaid and not yet expired (or already settled by a racing notification). */
  unchanged: number;
  /** Orders that could not be settled (store failure, a report that does not match the order). */
  errors: number;
  /** The orders behind `errors`, for the function log. */
  errorOrders: string[];
  /** Whether more stale orders may be waiting than one batch holds. */
  more: boolean;
  /** PENDING refunds past the window: asked about where the provider has a refund query (server/refunds/). */
  refunds?: RefundReconcileSummary;
  /** Of `paid`: orders a provider had reported FAILED, asked again and found paid after all. */
  latePaid?: number;
}

export interface ReconcileDeps {
  service: {
    settlement: { settleByQuery(order: Order): Promise<Order>; recheckFailed(order: Order): Promise<Order> };
    refunds?: { settlePending(now: number, updatedBefore: number, batch: number): Promise<RefundReconcileSummary> };
  };
  store: Pick<OrderStore, 'listStale' | 'listRecentlyFailed'>;
  log?: Logger;
}

/** Reads RECONCILE_AFTER_MINUTES (0 to 1440, default 2) and RECONCILE_BATCH (1 to 500, default 50). */
export function reconcileOptionsFromEnv(env: Env): ReconcileOptions {
  const read = new EnvReader(env);
  const minutes = read.integer('RECONCILE_AFTER_MINUTES', RECONCILE_DEFAULTS.notifyWindowMs / 60_000, 0, 24 * 60);
  const batch = read.integer('RECONCILE_BATCH', RECONCILE_DEFAULTS.batch, 1, 500);
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return { ...RECONCILE_DEFAULTS, notifyWindowMs: minutes * 60_000, batch };
}

export async function reconcile(deps: ReconcileDeps, now: number, options: Partial<ReconcileOptions> = {}): Promise<ReconcileSummary> {
  const o = { ...RECONCILE_DEFAULTS, ...options };
  const stale = await deps.store.listStale(RECONCILE_STATUSES, now - o.notifyWindowMs, o.batch);
  const summary: ReconcileSummary = { ok: true, checked: 0, paid: 0, failed: 0, closed: 0, unchanged: 0, errors: 0, errorOrders: [], more: stale.length >= o.batch };

  const settleOne = async (order: Order): Promise<void> => {
    summary.checked += 1;
    try {
      const after = await deps.service.settlement.settleByQuery(order);
      if (after.status === order.status) summary.unchanged += 1;
      else if (after.status === 'PAID') summary.paid += 1;
      else if (after.status === 'FAILED') summary.failed += 1;
      else if (after.status === 'CLOSED') summary.closed += 1;
      else summary.unchanged += 1; // CREATED → PAYING is the shopper's doing, not ours
    } catch (e) {
      summary.errors += 1;
      summary.errorOrders.push(order.orderNo);
      deps.log?.error('reconcile could not settle an order', { orderNo: order.orderNo, error: e instanceof Error ? e.message : String(e) });
    }
  };

  // A few queries at a time: bounded load on the provider, a run well inside the timeout.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < stale.length) await settleOne(stale[next++] as Order);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, stale.length)) }, worker));

  // Orders a provider reported FAILED in the last hour are asked about again: a failure can
  // overtake the payment that follows it, and the paid notification may be lost.
  try {
    for (const order of await deps.store.listRecentlyFailed(now - RECHECK_FAILED_MS, now - o.notifyWindowMs, RECHECK_FAILED_BATCH)) {
      const after = await deps.service.settlement.recheckFailed(order);
      if (after.status === 'PAID') {
        summary.paid += 1;
        summary.latePaid = (summary.latePaid ?? 0) + 1;
      }
    }
  } catch (e) {
    summary.errors += 1;
    deps.log?.error('reconcile could not recheck failed orders', { error: e instanceof Error ? e.message : String(e) });
  }

  if (deps.service.refunds) {
    try {
      summary.refunds = await deps.service.refunds.settlePending(now, now - o.notifyWindowMs, o.batch);
    } catch (e) {
      summary.errors += 1;
      deps.log?.error('reconcile could not settle refunds', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  if (summary.checked > 0 || summary.errors > 0) {
    deps.log?.info('reconcile run', { checked: summary.checked, paid: summary.paid, failed: summary.failed, closed: summary.closed, unchanged: summary.unchanged, errors: summary.errors, more: summary.more });
  }
  return summary;
}

/**
 * The `reconcile` function's handler, for the timer in the cloud and POST /fn/reconcile on
 * the local stack: options from the environment, every failure as an `{ok: false}` reply.
 */
export async function handleReconcile(
  deps: ReconcileDeps,
  env: Env,
  now: number,
): Promise<ReconcileSummary | ReturnType<typeof errorResult>> {
  try {
    return await reconcile(deps, now, reconcileOptionsFromEnv(env));
  } catch (e) {
    deps.log?.error('reconcile failed', { error: e instanceof Error ? e.message : String(e) });
    return errorResult(e);
  }
}
