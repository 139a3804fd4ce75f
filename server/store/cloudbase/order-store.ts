/**
 * The store in WeChat's cloud: the CloudBase database through wx-server-sdk. One collection,
 * `orders`, one document per order (`_id` = orderNo, so a duplicate insert fails), holding
 * the whole order (server/domain/order.ts): its refunds and the newest lines of its timeline
 * travel with it. Every change is `where({_id, rev}).update(...)`: a single-document
 * conditional update, which CloudBase documents as atomic, so concurrent changes cannot both
 * apply and nothing that belongs together is ever written apart (no cross-document
 * transaction is needed). Beside the order: `dueAt` (reconcile's queue) and `refundNos` (an
 * array: `where({refundNos: no})` matches the order holding that refund); refund numbers are
 * kept unique across orders by `refund_numbers` (claimRefundNumber).
 *
 * Typed against the narrow slice of the SDK we use, so tests can run the same contract
 * suite against an in-memory stand-in (local/fake-cloudbase.ts).
 */
import { ConflictError } from '../../core/errors';
import type { Order } from '../../domain/order';
import { dueAt } from '../../domain/schedule';
import type { OrderCursor, OrderFilter, Store, StoredOrder } from '../types';

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
  /** Query commands (in, lt, lte, gt, gte, exists) and the update commands inc and set, as wx-server-sdk's db.command. */
  command: {
    in(values: unknown[]): unknown;
    lt(value: unknown): unknown;
    lte(value: unknown): unknown;
    gt(value: unknown): unknown;
    gte(value: unknown): unknown;
    exists(value: boolean): unknown;
    inc(value: number): unknown;
    /** Replaces a field's whole value (an object given plainly to update() is merged key by key). */
    set(value: unknown): unknown;
  };
  collection(name: string): CloudCollection;
  createCollection?(name: string): Promise<unknown>;
}

export const ORDERS = 'orders';
/** One document per refund number (`_id` = refundNo, owner orderNo): a second add fails, so numbers stay unique. */
export const REFUND_NUMBERS = 'refund_numbers';

/**
 * Fields of an order that may be absent. update() merges, so a field that went away is
 * written as null (and read back as absent): the document never keeps a stale value.
 */
const OPTIONAL: readonly (keyof Order)[] = [
  'providerRef', 'paidAt', 'statusReason', 'attention', 'refusedNotifications', 'duplicateNotifications',
  'refundedAmount', 'pendingRefundAmount', 'refunds', 'check', 'askedAt', 'timeline', 'olderLines',
];

function toStored(doc: Doc): StoredOrder {
  const { _id, _openid, dueAt: _due, refundNos: _nos, ...rest } = doc;
  void _id;
  void _openid;
  for (const [key, value] of Object.entries(rest)) if (value === null) delete rest[key];
  return rest as unknown as StoredOrder;
}

export class CloudBaseOrderStore implements Store {
  constructor(private readonly db: CloudDatabase) {}

  /** Creates the collection if the environment lacks it (first deploy). Safe to repeat. */
  async ensureCollections(): Promise<void> {
    if (!this.db.createCollection) return;
    for (const name of [ORDERS, REFUND_NUMBERS]) {
      try {
        await this.db.createCollection(name);
      } catch {
        // Already exists (or no permission to create, in which case the console must).
      }
    }
  }

  /** The fields written for `order`: objects and arrays replaced whole, absent fields nulled. */
  private fields(order: Order, rev: number): Doc {
    const { rev: _rev, ...plain } = order as StoredOrder;
    void _rev;
    const _ = this.db.command;
    const doc: Doc = {};
    for (const [key, value] of Object.entries(plain)) {
      if (value === undefined) continue;
      doc[key] = value !== null && typeof value === 'object' ? _.set(value) : value;
    }
    for (const key of OPTIONAL) if (plain[key] === undefined) doc[key] = null;
    doc.rev = rev;
    doc.dueAt = dueAt(order) ?? null;
    doc.refundNos = _.set((order.refunds ?? []).map((r) => r.refundNo));
    return doc;
  }

  async insert(order: Order): Promise<void> {
    const { rev: _rev, ...plain } = order as StoredOrder;
    void _rev;
    const doc: Doc = { ...plain, _id: order.orderNo, rev: 1, dueAt: dueAt(order) ?? null, refundNos: (order.refunds ?? []).map((r) => r.refundNo) };
    for (const key of Object.keys(doc)) if (doc[key] === undefined) delete doc[key];
    try {
      await this.db.collection(ORDERS).add({ data: doc });
    } catch (e) {
      if ((await this.get(order.orderNo)) !== null) throw new ConflictError('DUPLICATE_ORDER', `order ${order.orderNo} already exists`);
      throw e;
    }
  }

  async get(orderNo: string): Promise<StoredOrder | null> {
    const { data } = await this.db.collection(ORDERS).where({ _id: orderNo }).limit(1).get();
    return data[0] ? toStored(data[0]) : null;
  }

  async replace(next: Order, rev: number): Promise<boolean> {
    const { stats } = await this.db.collection(ORDERS).where({ _id: next.orderNo, rev }).update({ data: this.fields(next, rev + 1) });
    return stats.updated === 1;
  }

  async findByProviderRef(provider: string, providerRef: string): Promise<StoredOrder | null> {
    const { data } = await this.db.collection(ORDERS).where({ provider, providerRef }).limit(1).get();
    return data[0] ? toStored(data[0]) : null;
  }

  async findByRefundNo(refundNo: string): Promise<StoredOrder | null> {
    const { data } = await this.db.collection(ORDERS).where({ refundNos: refundNo }).limit(1).get();
    return data[0] ? toStored(data[0]) : null;
  }

  async claimRefundNumber(refundNo: string, orderNo: string): Promise<boolean> {
    try {
      await this.db.collection(REFUND_NUMBERS).add({ data: { _id: refundNo, orderNo } });
      return true;
    } catch (e) {
      const { data } = await this.db.collection(REFUND_NUMBERS).where({ _id: refundNo }).limit(1).get();
      if (!data[0]) throw e;
      return data[0].orderNo === orderNo;
    }
  }

  async listByOpenid(openid: string, limit: number): Promise<StoredOrder[]> {
    const { data } = await this.db.collection(ORDERS).where({ openid }).orderBy('createdAt', 'desc').orderBy('orderNo', 'desc').limit(limit).get();
    return data.map(toStored);
  }

  async listDue(now: number, limit: number): Promise<StoredOrder[]> {
    const { data } = await this.db.collection(ORDERS).where({ dueAt: this.db.command.lte(now) }).orderBy('dueAt', 'asc').limit(limit).get();
    return data.map(toStored);
  }

  /**
   * Newest first after a cursor. A condition over two fields (createdAt, then orderNo) would
   * need `_.or`; instead this asks for createdAt ≤ the cursor's and drops the orders of that
   * same millisecond already shown, asking again for more when that leaves the page short.
   */
  async listOrders(filter: OrderFilter, limit: number, after?: OrderCursor): Promise<StoredOrder[]> {
    const _ = this.db.command;
    const condition: Doc = {};
    if (filter.status !== undefined) condition.status = filter.status;
    if (filter.provider !== undefined) condition.provider = filter.provider;
    // attention is null when absent (see OPTIONAL): "marked" is a string there.
    if (filter.attention !== undefined) condition.attention = filter.attention ? _.gt('') : _.in([null]);
    if (after) condition.createdAt = _.lte(after.createdAt);
    for (let ask = limit + 10; ; ask *= 2) {
      const { data } = await this.db.collection(ORDERS).where(condition).orderBy('createdAt', 'desc').orderBy('orderNo', 'desc').limit(Math.min(ask, 1000)).get();
      const kept = after ? data.filter((d) => d.createdAt !== after.createdAt || String(d.orderNo) < after.orderNo) : data;
      if (kept.length >= limit || data.length < ask || ask >= 1000) return kept.slice(0, limit).map(toStored);
    }
  }
}
