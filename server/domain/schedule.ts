/**
 * When an open item (an unpaid order, a pending refund, an order closed on expiry) is asked
 * about next. The first check is RECONCILE_AFTER_MINUTES after its last change; later ones
 * back off (1, 2, 5, 15, 60 minutes, then hourly) until `until`, after which the item is
 * marked for a person (or, for an order closed on expiry, simply left) and leaves the
 * automatic queue. Reconcile takes due items oldest due first, so items nothing can settle
 * drift back and a fresh one is never starved.
 */
import type { CheckSchedule, Order } from './order';

export const BACKOFF_MINUTES: readonly number[] = [1, 2, 5, 15, 60];

/** How long an open payment or a pending refund is asked about before a person is asked. */
export const CHECK_BOUND_MS = 24 * 60 * 60_000;

/** How long an order closed on expiry (or a documented failure) is asked about again: a late payment still wins. */
export const RECHECK_CLOSED_MS = 24 * 60 * 60_000;

/** The first check of an item last changed at `changedAt`. */
export function firstCheck(changedAt: number, afterMs: number, boundMs = CHECK_BOUND_MS): CheckSchedule {
  return { at: changedAt + afterMs, attempt: 0, until: changedAt + afterMs + boundMs };
}

/** The schedule after asking once more at `now`: backed off, or finished (no `at`) past its bound. */
export function backOff(check: CheckSchedule, now: number): CheckSchedule {
  const attempt = check.attempt + 1;
  const minutes = BACKOFF_MINUTES[Math.min(attempt - 1, BACKOFF_MINUTES.length - 1)] as number;
  const at = now + minutes * 60_000;
  return at > check.until ? { attempt, until: check.until } : { at, attempt, until: check.until };
}

/** Whether the schedule has run out (a person must look, or the item is simply done). */
export function exhausted(check: CheckSchedule | undefined): boolean {
  return check !== undefined && check.at === undefined;
}

/** When the order next needs reconcile: its payment's check or its earliest pending refund's. */
export function dueAt(order: Pick<Order, 'check' | 'refunds'>): number | undefined {
  let due = order.check?.at;
  for (const r of order.refunds ?? []) {
    if (r.status !== 'PENDING' || r.check?.at === undefined) continue;
    if (due === undefined || r.check.at < due) due = r.check.at;
  }
  return due;
}
