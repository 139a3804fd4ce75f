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
import { allowedFrom, type OrderStore, type TimelineEntry, type TransitionPatch, type UnappliedNotification } from './store';
import { type Order, type OrderEvent, type OrderStatus } from './types';

type Doc = Record<string, unknown>;

export interface CloudQuery {
  orderBy(field: string, direction: 'asc' | 'desc'): CloudQuery;
  limit(n: number): CloudQuery;
  get(): Promise<{ data: Doc[] }>;
  update(options: { data: Doc }): Promise<{ stats: { updated: number } }>;
}

export interface CloudCollection extends CloudQuery {
  add(options: { data: Doc }): Promise<{ _id: string | number }>;
  where(condition: Doc): CloudQuery;
}

export interface CloudDatabase {
  command: { in(values: unknown[]): unknown; lt(value: unknown): unknown; inc(by: number): unknown };
  collection(name: string): CloudCollection;
  createCollection?(name: string): Promise<unknown>;
}

const ORDERS = 'orders';
const EVENTS = 'order_events';

function toOrder(doc: Doc): Order {
  const { _id, _openid, ...rest } = doc;
  void _id;
  void _openid;
  return rest as unknown as Order;
}

function withoutUndefined(doc: Doc): Doc {
  return Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined));
}

let sequence = 0;

export class CloudBaseOrderStore implements OrderStore {
  constructor(private readonly db: CloudDatabase) {}

  /** Creates the collections if the environment lacks them (first deploy). Safe to repeat. */
  async ensureCollections(): Promise<void> {
    if (!this.db.createCollection) return;
    for (const name of [ORDERS, EVENTS]) {
      try {
        await this.db.createCollection(name);
      } catch {
        // Already exists (or no permission to create, in which case the console must).
      }
    }
  }

  async insert(order: Order, timeline: readonly TimelineEntry[] = []): Promise<void> {
    try {
      await this.db.collection(ORDERS).add({ data: withoutUndefined({ _id: order.orderNo, ...order }) });
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

  async transition(
    orderNo: string,
    to: OrderStatus,
    patch: TransitionPatch,
    now: number,
    timeline: readonly TimelineEntry[] = [],
  ): Promise<boolean> {
    const { from: only, ...fields } = patch;
    const from = allowedFrom(to, only);
    if (from.length === 0) return false;
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
}
