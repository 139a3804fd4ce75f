/**
 * The store in WeChat's cloud: the CloudBase database through wx-server-sdk.
 * Collections `orders` (document _id = orderNo, so a duplicate insert fails) and
 * `order_events`. Status changes are `where({orderNo, status: in(allowed)}).update()`:
 * a single-document conditional update, atomic in the database, so concurrent
 * notifications cannot both apply.
 *
 * Typed against the narrow slice of the SDK we use, so tests can run the same contract
 * suite against an in-memory stand-in (test/helpers/fake-cloudbase.ts).
 */
import { ConflictError } from '../core/errors';
import { CloudBaseRefunds, REFUNDS } from '../refunds/cloudbase-refunds';
import type { AcceptRefundResult, Refund, RefundSettlePatch } from '../refunds/types';
import { allowedFrom, type OrderCursor, type OrderFilter, type OrderStore, type TimelineEntry, type TransitionPatch, type UnappliedNotification } from './store';
import { REFUND_STATUSES, type Order, type OrderEvent, type OrderStatus } from './types';

type Doc = Record<string, unknown>;

export interface CloudQuery {
  orderBy(field: string, direction: 'asc' | 'desc'): CloudQuery;
  limit(n: number): CloudQuery;
  get(): Promise<{ data: Doc[] }>;
  update(options: { data: Doc }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface CloudCollection extends CloudQuery {
  add(options: { data: Doc }): Promise<{ _id: string | number }>;
  where(condition: Doc): CloudQuery;
}

export interface CloudDatabase {
  /** Query commands (in, lt, lte, gt, gte, exists) and the update command inc, as wx-server-sdk's db.command. */
  command: {
    in(values: unknown[]): unknown;
    lt(value: unknown): unknown;
    lte(value: unknown): unknown;
    gt(value: unknown): unknown;
    gte(value: unknown): unknown;
    exists(value: boolean): unknown;
    inc(value: number): unknown;
  };
  collection(name: string): CloudCollection;
  createCollection?(name: string): Promise<unknown>;
}

const ORDERS = 'orders';
const EVENTS = 'order_events';

function toOrder(doc: Doc): Order {
  const { _id, _openid, refundableRemaining, ...rest } = doc;
  void _id;
  void _openid;
  void refundableRemaining;
  // Sums that went back to 0 (a failed refund) read as absent, like a fresh order.
  if (rest.refundedAmount === 0) delete rest.refundedAmount;
  if (rest.pendingRefundAmount === 0) delete rest.pendingRefundAmount;
  return rest as unknown as Order;
}

function withoutUndefined(doc: Doc): Doc {
  return Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined));
}

let sequence = 0;

export class CloudBaseOrderStore implements OrderStore {
  private readonly refunds: CloudBaseRefunds;

  constructor(private readonly db: CloudDatabase) {
    this.refunds = new CloudBaseRefunds(
      db,
      async (orderNo) => (await db.collection(ORDERS).where({ orderNo }).limit(1).get()).data[0] ?? null,
      (orderNo, at, timeline) => this.writeTimeline(orderNo, at, timeline),
    );
  }

  /** Creates the collections if the environment lacks them (first deploy). Safe to repeat. */
  async ensureCollections(): Promise<void> {
    if (!this.db.createCollection) return;
    for (const name of [ORDERS, EVENTS, REFUNDS]) {
      try {
        await this.db.createCollection(name);
      } catch {
        // Already exists (or no permission to create, in which case the console must).
      }
    }
  }

  async insert(order: Order, timeline: readonly TimelineEntry[] = []): Promise<void> {
    try {
      // refundableRemaining: what refunds may still take (see server/refunds/cloudbase-refunds.ts).
      const remaining = order.amount - (order.refundedAmount ?? 0) - (order.pendingRefundAmount ?? 0);
      await this.db.collection(ORDERS).add({ data: withoutUndefined({ _id: order.orderNo, ...order, refundableRemaining: remaining }) });
    } catch (e) {
      if ((await this.get(order.orderNo)) !== null) {
        throw new ConflictError('DUPLICATE_ORDER', `order ${order.orderNo} already exists`);
      }
      throw e;
    }
    await this.writeTimeline(order.orderNo, order.createdAt, timeline);
  }

  /**
   * Timeline lines after the change they describe. Separate writes: the order document is
   * the truth, and a line lost to a crash between the two costs only history.
   */
  private async writeTimeline(orderNo: string, at: number, timeline: readonly TimelineEntry[]): Promise<void> {
    for (const entry of timeline) await this.appendEvent({ orderNo, at, type: entry.type, detail: entry.detail });
  }

  async get(orderNo: string): Promise<Order | null> {
    const { data } = await this.db.collection(ORDERS).where({ orderNo }).limit(1).get();
    return data[0] ? toOrder(data[0]) : null;
  }

  async findByProviderRef(provider: string, providerRef: string): Promise<Order | null> {
    const { data } = await this.db.collection(ORDERS).where({ provider, providerRef }).limit(1).get();
    return data[0] ? toOrder(data[0]) : null;
  }

  async listByOpenid(openid: string, limit: number): Promise<Order[]> {
    const { data } = await this.db
      .collection(ORDERS)
      .where({ openid })
      .orderBy('createdAt', 'desc')
      .orderBy('orderNo', 'desc')
      .limit(limit)
      .get();
    return data.map(toOrder);
  }

  async listRecent(limit: number): Promise<Order[]> {
    const { data } = await this.db.collection(ORDERS).orderBy('createdAt', 'desc').orderBy('orderNo', 'desc').limit(limit).get();
    return data.map(toOrder);
  }

  async listStale(statuses: readonly OrderStatus[], updatedBefore: number, limit: number): Promise<Order[]> {
    if (statuses.length === 0) return [];
    const _ = this.db.command;
    const { data } = await this.db
      .collection(ORDERS)
      .where({ status: _.in([...statuses]), updatedAt: _.lt(updatedBefore) })
      .orderBy('updatedAt', 'asc')
      .limit(limit)
      .get();
    return data.map(toOrder);
  }

  async listRecentlyFailed(updatedAfter: number, updatedBefore: number, limit: number): Promise<Order[]> {
    // One range bound in the query (a field takes one command here); the other applied after.
    const { data } = await this.db
      .collection(ORDERS)
      .where({ status: 'FAILED', updatedAt: this.db.command.gte(updatedAfter) })
      .orderBy('updatedAt', 'desc')
      .limit(limit * 2)
      .get();
    return data.map(toOrder).filter((o) => o.updatedAt < updatedBefore).slice(0, limit);
  }

  async transition(
    orderNo: string,
    to: OrderStatus,
    patch: TransitionPatch,
    now: number,
    timeline: readonly TimelineEntry[] = [],
  ): Promise<boolean> {
    const { from: only, ...fields } = patch;
    const from = allowedFrom(to, only);
    if (from.length === 0 || REFUND_STATUSES.includes(to)) return false;
    const _ = this.db.command;
    const result = await this.db
      .collection(ORDERS)
      .where({ orderNo, status: _.in(from) })
      .update({ data: withoutUndefined({ status: to, updatedAt: now, ...fields }) });
    if (result.stats.updated !== 1) return false;
    await this.writeTimeline(orderNo, now, timeline);
    return true;
  }

  async countUnapplied(orderNo: string, kind: UnappliedNotification): Promise<number> {
    const field = kind === 'refused' ? 'refusedNotifications' : 'duplicateNotifications';
    // _.inc is atomic on the document; the read after it may see a later increment too,
    // which only makes the bound on recorded lines stricter.
    const { stats } = await this.db.collection(ORDERS).where({ orderNo }).update({ data: { [field]: this.db.command.inc(1) } });
    if (stats.updated !== 1) return 0;
    const { data } = await this.db.collection(ORDERS).where({ orderNo }).limit(1).get();
    return Number(data[0]?.[field] ?? 0);
  }

  async setProviderRef(orderNo: string, providerRef: string, now: number): Promise<void> {
    await this.db.collection(ORDERS).where({ orderNo }).update({ data: { providerRef, updatedAt: now } });
  }

  async appendEvent(event: OrderEvent): Promise<void> {
    // `seq` keeps events of the same millisecond in the order they were written.
    sequence = (sequence + 1) % 1000;
    await this.db.collection(EVENTS).add({ data: { ...event, seq: event.at * 1000 + sequence } });
  }

  async listEvents(orderNo: string): Promise<OrderEvent[]> {
    const { data } = await this.db.collection(EVENTS).where({ orderNo }).orderBy('seq', 'asc').limit(1000).get();
    return data.map((d) => ({
      orderNo: d.orderNo as string,
      at: d.at as number,
      type: d.type as OrderEvent['type'],
      detail: d.detail as Record<string, unknown>,
    }));
  }

  async markAttention(orderNo: string, attention: string, now: number): Promise<void> {
    await this.db.collection(ORDERS).where({ orderNo }).update({ data: { attention, updatedAt: now } });
  }

  /**
   * Newest first after a cursor. A condition over two fields (createdAt, then orderNo) would
   * need `_.or`; instead this asks for createdAt ≤ the cursor's and drops the orders of that
   * same millisecond already shown, asking again for more when that leaves the page short.
   */
  async listOrders(filter: OrderFilter, limit: number, after?: OrderCursor): Promise<Order[]> {
    const _ = this.db.command;
    const condition: Doc = {};
    if (filter.status !== undefined) condition.status = filter.status;
    if (filter.provider !== undefined) condition.provider = filter.provider;
    if (filter.attention !== undefined) condition.attention = _.exists(filter.attention);
    if (after) condition.createdAt = _.lte(after.createdAt);
    for (let ask = limit + 10; ; ask *= 2) {
      const { data } = await this.db.collection(ORDERS).where(condition).orderBy('createdAt', 'desc').orderBy('orderNo', 'desc').limit(Math.min(ask, 1000)).get();
      const kept = after ? data.filter((d) => d.createdAt !== after.createdAt || String(d.orderNo) < after.orderNo) : data;
      if (kept.length >= limit || data.length < ask || ask >= 1000) return kept.slice(0, limit).map(toOrder);
    }
  }

  async acceptRefund(refund: Refund, timeline: readonly TimelineEntry[] = []): Promise<AcceptRefundResult> {
    return this.refunds.accept(refund, timeline);
  }

  async settleRefund(refundNo: string, to: 'SUCCEEDED' | 'FAILED', patch: RefundSettlePatch, now: number, timeline: readonly TimelineEntry[] = []): Promise<boolean> {
    return this.refunds.settle(refundNo, to, patch, now, timeline);
  }

  async setRefundProviderRef(refundNo: string, providerRef: string, now: number): Promise<void> {
    await this.refunds.setProviderRef(refundNo, providerRef, now);
  }

  async getRefund(refundNo: string): Promise<Refund | null> {
    return this.refunds.get(refundNo);
  }

  async listRefunds(orderNo: string): Promise<Refund[]> {
    return this.refunds.listByOrder(orderNo);
  }

  async listPendingRefunds(updatedBefore: number, limit: number): Promise<Refund[]> {
    return this.refunds.listPending(updatedBefore, limit);
  }
}
