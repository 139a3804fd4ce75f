/**
 * The embedded store for the local stack and self-hosting. better-sqlite3 is synchronous,
 * so a statement completes (and, in WAL mode, is durable) before we acknowledge anything.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConflictError } from '../core/errors';
import { REFUND_ORDER_COLUMNS, SqliteRefunds } from '../refunds/sqlite-refunds';
import type { AcceptRefundResult, Refund, RefundSettlePatch } from '../refunds/types';
import { allowedFrom, type OrderCursor, type OrderFilter, type OrderStore, type TimelineEntry, type TransitionPatch, type UnappliedNotification } from './store';
import { REFUND_STATUSES, type Order, type OrderEvent, type OrderStatus } from './types';

interface OrderRow {
  order_no: string;
  openid: string;
  provider: string;
  status: string;
  amount: number;
  currency: string;
  description: string;
  items: string;
  provider_ref: string | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
  paid_at: number | null;
  status_reason: string | null;
  attention: string | null;
  refused_notifications: number;
  duplicate_notifications: number;
  refunded_amount?: number;
  pending_refund_amount?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS orders (
  order_no      TEXT PRIMARY KEY,
  openid        TEXT NOT NULL,
  provider      TEXT NOT NULL,
  status        TEXT NOT NULL,
  amount        INTEGER NOT NULL CHECK (amount >= 0),
  currency      TEXT NOT NULL,
  description   TEXT NOT NULL,
  items         TEXT NOT NULL,
  provider_ref  TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  paid_at       INTEGER,
  status_reason TEXT,
  attention     TEXT,
  refused_notifications   INTEGER NOT NULL DEFAULT 0,
  duplicate_notifications INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS orders_by_openid ON orders (openid, created_at DESC);
CREATE INDEX IF NOT EXISTS orders_by_provider_ref ON orders (provider, provider_ref);
CREATE INDEX IF NOT EXISTS orders_by_status ON orders (status, updated_at);
CREATE TABLE IF NOT EXISTS order_events (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  order_no TEXT NOT NULL,
  at       INTEGER NOT NULL,
  type     TEXT NOT NULL,
  detail   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_order ON order_events (order_no, id);
`;

function toOrder(row: OrderRow): Order {
  const order: Order = {
    orderNo: row.order_no,
    openid: row.openid,
    provider: row.provider as Order['provider'],
    status: row.status as OrderStatus,
    amount: row.amount,
    currency: row.currency as Order['currency'],
    description: row.description,
    items: JSON.parse(row.items) as Order['items'],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
  };
  if (row.provider_ref !== null) order.providerRef = row.provider_ref;
  if (row.paid_at !== null) order.paidAt = row.paid_at;
  if (row.status_reason !== null) order.statusReason = row.status_reason;
  if (row.attention !== null && row.attention !== undefined) order.attention = row.attention;
  if (row.refused_notifications) order.refusedNotifications = row.refused_notifications;
  if (row.duplicate_notifications) order.duplicateNotifications = row.duplicate_notifications;
  if (row.refunded_amount) order.refundedAmount = row.refunded_amount;
  if (row.pending_refund_amount) order.pendingRefundAmount = row.pending_refund_amount;
  return order;
}

/** The SQL of the statements every call uses; prepared once per store (see the constructor). */
const SQL = {
  insert: `INSERT INTO orders (order_no, openid, provider, status, amount, currency, description, items,
             provider_ref, created_at, updated_at, expires_at, paid_at, status_reason, attention)
           VALUES (@orderNo, @openid, @provider, @status, @amount, @currency, @description, @items,
             @providerRef, @createdAt, @updatedAt, @expiresAt, @paidAt, @statusReason, @attention)`,
  get: 'SELECT * FROM orders WHERE order_no = ?',
  byOpenid: 'SELECT * FROM orders WHERE openid = ? ORDER BY created_at DESC, order_no DESC LIMIT ?',
  byProviderRef: 'SELECT * FROM orders WHERE provider = ? AND provider_ref = ? ORDER BY created_at DESC LIMIT 1',
  recentlyFailed: "SELECT * FROM orders WHERE status = 'FAILED' AND updated_at >= ? AND updated_at < ? ORDER BY updated_at DESC LIMIT ?",
  recent: 'SELECT * FROM orders ORDER BY created_at DESC, order_no DESC LIMIT ?',
  setProviderRef: 'UPDATE orders SET provider_ref = ?, updated_at = ? WHERE order_no = ?',
  appendEvent: 'INSERT INTO order_events (order_no, at, type, detail) VALUES (?, ?, ?, ?)',
  events: 'SELECT order_no, at, type, detail FROM order_events WHERE order_no = ? ORDER BY id ASC',
  countRefused: 'UPDATE orders SET refused_notifications = refused_notifications + 1 WHERE order_no = ? RETURNING refused_notifications AS n',
  countDuplicate: 'UPDATE orders SET duplicate_notifications = duplicate_notifications + 1 WHERE order_no = ? RETURNING duplicate_notifications AS n',
} as const;

/** The conditional update for entering `to`: only from the statuses ALLOWED_FROM lists. */
function transitionSql(from: readonly OrderStatus[]): string {
  const placeholders = from.map(() => '?').join(', ');
  return `UPDATE orders SET status = ?, updated_at = ?,
           provider_ref = COALESCE(?, provider_ref),
           paid_at = COALESCE(?, paid_at),
           status_reason = COALESCE(?, status_reason),
           attention = COALESCE(?, attention)
         WHERE order_no = ? AND status IN (${placeholders})`;
}

/** Columns added after the first release: a .data/orders.sqlite from an older checkout gains them. */
function migrate(db: Database.Database): void {
  const columns = new Set((db.prepare('PRAGMA table_info(orders)').all() as { name: string }[]).map((c) => c.name));
  if (!columns.has('attention')) db.exec('ALTER TABLE orders ADD COLUMN attention TEXT');
  for (const column of ['refused_notifications', 'duplicate_notifications']) {
    if (!columns.has(column)) db.exec(`ALTER TABLE orders ADD COLUMN ${column} INTEGER NOT NULL DEFAULT 0`);
  }
  for (const [name, type] of REFUND_ORDER_COLUMNS) if (!columns.has(name)) db.exec(`ALTER TABLE orders ADD COLUMN ${name} ${type}`);
}

type Statements = { [K in keyof typeof SQL]: Database.Statement };

export class SqliteOrderStore implements OrderStore {
  private readonly db: Database.Database;
  private readonly statements: Statements;
  /** Conditional updates, prepared once per set of from-statuses. */
  private readonly transitions = new Map<string, Database.Statement>();
  private readonly refunds: SqliteRefunds;

  /**
   * `file` is a path, or ':memory:' for tests. `cacheKiB` caps SQLite's page cache (this build's
   * default is 16 MB): the local stack keeps it small so its memory stays flat as orders pile up.
   */
  constructor(file: string, options: { cacheKiB?: number } = {}) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // FULL: a committed transition survives power loss before we acknowledge the provider.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    if (options.cacheKiB) this.db.pragma(`cache_size = -${Math.floor(options.cacheKiB)}`);
    this.db.exec(SCHEMA);
    migrate(this.db);
    this.statements = Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, this.db.prepare(sql)])) as Statements;
    this.refunds = new SqliteRefunds(this.db, (orderNo, at, timeline) => this.writeTimeline(orderNo, at, timeline));
  }

  close(): void {
    this.db.close();
  }

  private writeTimeline(orderNo: string, at: number, timeline: readonly TimelineEntry[]): void {
    for (const entry of timeline) this.statements.appendEvent.run(orderNo, at, entry.type, JSON.stringify(entry.detail));
  }

  async insert(order: Order, timeline: readonly TimelineEntry[] = []): Promise<void> {
    const row = {
      ...order,
      items: JSON.stringify(order.items),
      providerRef: order.providerRef ?? null,
      paidAt: order.paidAt ?? null,
      statusReason: order.statusReason ?? null,
      attention: order.attention ?? null,
    };
    try {
      // One transaction, one durable commit: the order and its first timeline lines.
      this.db.transaction(() => {
        this.statements.insert.run(row);
        this.writeTimeline(order.orderNo, order.createdAt, timeline);
      })();
    } catch (e) {
      // Duck-typed: better-sqlite3's SqliteError may come from another realm (test sandboxes).
      const code = (e as { code?: unknown } | null)?.code;
      if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new ConflictError('DUPLICATE_ORDER', `order ${order.orderNo} already exists`);
      }
      throw e;
    }
  }

  async get(orderNo: string): Promise<Order | null> {
    const row = this.statements.get.get(orderNo) as OrderRow | undefined;
    return row ? toOrder(row) : null;
  }

  async findByProviderRef(provider: string, providerRef: string): Promise<Order | null> {
    const row = this.statements.byProviderRef.get(provider, providerRef) as OrderRow | undefined;
    return row ? toOrder(row) : null;
  }

  async listByOpenid(openid: string, limit: number): Promise<Order[]> {
    return (this.statements.byOpenid.all(openid, limit) as OrderRow[]).map(toOrder);
  }

  async listRecent(limit: number): Promise<Order[]> {
    return (this.statements.recent.all(limit) as OrderRow[]).map(toOrder);
  }

  async listStale(statuses: readonly OrderStatus[], updatedBefore: number, limit: number): Promise<Order[]> {
    if (statuses.length === 0) return [];
    const placeholders = statuses.map(() => '?').join(', ');
    const rows = this.db
      .prepare(
        `SELECT * FROM orders WHERE status IN (${placeholders}) AND updated_at < ? ORDER BY updated_at ASC LIMIT ?`,
      )
      .all(...statuses, updatedBefore, limit) as OrderRow[];
    return rows.map(toOrder);
  }

  async listRecentlyFailed(updatedAfter: number, updatedBefore: number, limit: number): Promise<Order[]> {
    const rows = this.statements.recentlyFailed.all(updatedAfter, updatedBefore, limit) as OrderRow[];
    return rows.map(toOrder);
  }

  async transition(
    orderNo: string,
    to: OrderStatus,
    patch: TransitionPatch,
    now: number,
    timeline: readonly TimelineEntry[] = [],
  ): Promise<boolean> {
    const from = allowedFrom(to, patch.from);
    if (from.length === 0 || REFUND_STATUSES.includes(to)) return false;
    const key = from.join(',');
    let update = this.transitions.get(key);
    if (!update) {
      update = this.db.prepare(transitionSql(from));
      this.transitions.set(key, update);
    }
    const statement = update;
    // The conditional update and its timeline lines commit together, or not at all.
    return this.db.transaction(() => {
      const result = statement.run(to, now, patch.providerRef ?? null, patch.paidAt ?? null, patch.statusReason ?? null, patch.attention ?? null, orderNo, ...from);
      if (result.changes !== 1) return false;
      this.writeTimeline(orderNo, now, timeline);
      return true;
    })();
  }

  async countUnapplied(orderNo: string, kind: UnappliedNotification): Promise<number> {
    const row = (kind === 'refused' ? this.statements.countRefused : this.statements.countDuplicate).get(orderNo) as { n: number } | undefined;
    return row?.n ?? 0;
  }

  async setProviderRef(orderNo: string, providerRef: string, now: number): Promise<void> {
    this.statements.setProviderRef.run(providerRef, now, orderNo);
  }

  async appendEvent(event: OrderEvent): Promise<void> {
    this.statements.appendEvent.run(event.orderNo, event.at, event.type, JSON.stringify(event.detail));
  }

  async listEvents(orderNo: string): Promise<OrderEvent[]> {
    const rows = this.statements.events.all(orderNo) as { order_no: string; at: number; type: OrderEvent['type']; detail: string }[];
    return rows.map((r) => ({ orderNo: r.order_no, at: r.at, type: r.type, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  async markAttention(orderNo: string, attention: string, now: number): Promise<void> {
    this.db.prepare('UPDATE orders SET attention = ?, updated_at = ? WHERE order_no = ?').run(attention, now, orderNo);
  }

  async listOrders(filter: OrderFilter, limit: number, after?: OrderCursor): Promise<Order[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (clause: string, ...values: unknown[]) => {
      where.push(clause);
      args.push(...values);
    };
    if (filter.status !== undefined) add('status = ?', filter.status);
    if (filter.provider !== undefined) add('provider = ?', filter.provider);
    if (filter.attention === true) where.push('attention IS NOT NULL');
    if (filter.attention === false) where.push('attention IS NULL');
    if (after) add('(created_at < ? OR (created_at = ? AND order_no < ?))', after.createdAt, after.createdAt, after.orderNo);
    const sql = `SELECT * FROM orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, order_no DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, limit) as OrderRow[]).map(toOrder);
  }

  async acceptRefund(refund: Refund, timeline: readonly TimelineEntry[] = []): Promise<AcceptRefundResult> {
    return this.refunds.accept(refund, timeline);
  }

  async settleRefund(refundNo: string, to: 'SUCCEEDED' | 'FAILED', patch: RefundSettlePatch, now: number, timeline: readonly TimelineEntry[] = []): Promise<boolean> {
    return this.refunds.settle(refundNo, to, patch, now, timeline);
  }

  async setRefundProviderRef(refundNo: string, providerRef: string, now: number): Promise<void> {
    this.refunds.setProviderRef(refundNo, providerRef, now);
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
