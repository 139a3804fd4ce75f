/** What every use-case is built with, and the one way an order document is changed. */
import type { AppConfig } from '../config';
import { ConflictError } from '../core/errors';
import type { Catalog } from '../core/catalog';
import type { Logger } from '../core/log';
import type { Order } from '../domain/order';
import { appendLines, type TimelineEntry } from '../domain/timeline';
import type { ProviderRegistry } from '../providers/registry';
import type { Store, StoredOrder } from '../store/types';

export interface PaymentDeps {
  config: AppConfig;
  store: Store;
  providers: ProviderRegistry;
  catalog: Catalog;
  log: Logger;
  now: () => number;
  /**
   * Called after every committed change with the order before and after it (subscription
   * messages: server/wechat/subscribe-messages.ts). Never throws; awaited, so it is done
   * before a cloud function returns.
   */
  onChange?: (before: Order, after: Order) => Promise<void>;
}

/**
 * Establishes who is calling, by spending the login code. Checkout calls it only once a
 * request is known to be valid, so a bad request leaves the shopper's code usable.
 */
export type Caller = () => Promise<string>;

/** What a change function answers: the next document and the lines describing it, or null for "no change". */
export type Mutation<R> = (order: StoredOrder) => { order: Order; lines: readonly TimelineEntry[]; result: R } | null;

/** Compare-and-set attempts before giving up (only heavy contention on one order gets near it). */
const ATTEMPTS = 12;

/**
 * Reads the order, computes its next document with `change` (a pure function of the order),
 * and writes it only if nobody wrote in between; on a conflict, reads again and recomputes.
 * The lines are written in the same write. Returns the change's result and the stored order,
 * or `changed: false` when `change` answered null (or the order does not exist).
 */
export async function mutate<R>(deps: PaymentDeps, orderNo: string, change: Mutation<R>, start?: StoredOrder | null): Promise<{ changed: true; result: R; order: StoredOrder } | { changed: false; order: StoredOrder | null }> {
  let current = start === undefined ? await deps.store.get(orderNo) : start;
  for (let attempt = 1; ; attempt++) {
    if (!current) return { changed: false, order: null };
    const proposed = change(current);
    if (!proposed) return { changed: false, order: current };
    const now = deps.now();
    const next: Order = { ...proposed.order, updatedAt: Math.max(now, current.updatedAt), ...appendLines(proposed.order, proposed.lines, now) };
    if (await deps.store.replace(next, current.rev)) {
      if (deps.onChange) await deps.onChange(current, next);
      return { changed: true, result: proposed.result, order: { ...next, rev: current.rev + 1 } };
    }
    if (attempt >= ATTEMPTS) throw new ConflictError('REFUND_CONFLICT', `order ${orderNo} is being changed by many requests at once; try again in a moment`);
    current = await deps.store.get(orderNo);
  }
}

/** Writes timeline lines on their own (no state change): bounded and counted like every line. */
export async function record(deps: PaymentDeps, orderNo: string, lines: readonly TimelineEntry[], start?: StoredOrder | null): Promise<StoredOrder | null> {
  const done = await mutate(deps, orderNo, (o) => ({ order: o, lines, result: undefined }), start);
  return done.order;
}
