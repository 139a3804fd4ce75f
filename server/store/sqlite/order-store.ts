/**
 * The embedded store for the local stack and self-hosting: each order is one JSON document
 * (server/domain/order.ts) in `order_docs`, beside the columns that listings and reconcile
 * query, and a `refund_numbers` table that keeps refund numbers unique across orders.
 * better-sqlite3 is synchronous; a write's promise settles only once its commit has returned
 * (in WAL mode with synchronous=FULL: durable), so nothing is acknowledged before it is on
 * disk. A compare-and-set and its refund numbers commit in one transaction; writes asked for
 * together share one commit (group commit, see `write`).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConflictError } from '../../core/errors';
import type { Order } from '../../domain/order';
import { dueAt } from '../../domain/schedule';
import type { OrderCursor, OrderFilter, Store, StoredOrder } from '../types';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS order_docs (
  order_no     TEXT PRIMARY KEY,
  rev          INTEGER NOT NULL,
  openid       TEXT NOT NULL,
  provider     TEXT NOT NULL,
  provider_ref TEXT,
  status       TEXT NOT NULL,
  attention    INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  due_at       INTEGER,
  doc          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_by_openid ON order_docs (openid, created_at DESC);
CREATE INDEX IF NOT EXISTS docs_by_provider_ref ON order_docs (provider, provider_ref);
CREATE INDEX IF NOT EXISTS docs_by_created ON order_docs (created_at DESC, order_no DESC);
CREATE INDEX IF NOT EXISTS docs_by_due ON order_docs (due_at) WHERE due_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS refund_numbers (
  refund_no TEXT PRIMARY KEY,
  order_no  TEXT NOT NULL
);
`;

interface Row {
  rev: number;
  doc: string;
}

function toStored(row: Row): StoredOrder {
  return { ...(JSON.parse(row.doc) as Order), rev: row.rev };
}

/** The indexed columns of a document, as named parameters. */
function columns(order: Order) {
  return {
    orderNo: order.orderNo,
    openid: order.openid,
    provider: order.provider,
    providerRef: order.providerRef ?? null,
    status: order.status,
    attention: order.attention !== undefined ? 1 : 0,
    createdAt: order.createdAt,
    dueAt: dueAt(order) ?? null,
    doc: JSON.stringify(order),
  };
}

/** The document without store metadata. */
function plain(order: Order | StoredOrder): Order {
  const { rev: _rev, ...rest } = order as StoredOrder;
  return rest;
}

const SQL = {
  insert: `INSERT INTO order_docs (order_no, rev, openid, provider, provider_ref, status, attention, created_at, due_at, doc)
           VALUES (@orderNo, 1, @openid, @provider, @providerRef, @status, @attention, @createdAt, @dueAt, @doc)`,
  replace: `UPDATE order_docs SET rev = rev + 1, provider_ref = @providerRef, status = @status, attention = @attention,
              due_at = @dueAt, doc = @doc
            WHERE order_no = @orderNo AND rev = @rev`,
  get: 'SELECT rev, doc FROM order_docs WHERE order_no = ?',
  byOpenid: 'SELECT rev, doc FROM order_docs WHERE openid = ? ORDER BY created_at DESC, order_no DESC LIMIT ?',
  byProviderRef: 'SELECT rev, doc FROM order_docs WHERE provider = ? AND provider_ref = ? ORDER BY created_at DESC LIMIT 1',
  due: 'SELECT rev, doc FROM order_docs WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at ASC LIMIT ?',
  claimRefundNo: 'INSERT OR IGNORE INTO refund_numbers (refund_no, order_no) VALUES (?, ?)',
  refundOwner: 'SELECT order_no FROM refund_numbers WHERE refund_no = ?',
} as const;

type Statements = { [K in keyof typeof SQL]: Database.Statement };

/**
 * A .data/orders.sqlite from a checkout before orders were documents has `orders`,
 * `order_events` and `refunds` tables: their rows become documents once (the newest timeline
 * lines kept), and the old tables are renamed `legacy_*` so nothing is lost or read twice.
 */
function migrateLegacy(db: Database.Database, insert: (order: Order) => void): void {
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name));
  if (!tables.has('orders')) return;
  db.transaction(() => {
    const rows = db.prepare('SELECT * FROM orders').all() as Record<string, unknown>[];
    const refunds = tables.has('refunds') ? (db.prepare('SELECT * FROM refunds ORDER BY created_at').all() as Record<string, unknown>[]) : [];
    const events = tables.has('order_events') ? db.prepare('SELECT at, type, detail FROM order_events WHERE order_no = ? ORDER BY id DESC LIMIT 80') : undefined;
    for (const row of rows) {
      const orderNo = String(row.order_no);
      const opt = <T>(v: unknown): T | undefined => (v === null || v === undefined ? undefined : (v as T));
      const own = refunds.filter((r) => r.order_no === orderNo).map((r) => JSON.parse(JSON.stringify({
        refundNo: r.refund_no, orderNo, provider: r.provider, amount: r.amount, currency: r.currency, reason: opt(r.reason), status: r.status,
        statusReason: opt(r.status_reason), providerRef: opt(r.provider_ref), operator: opt(r.operator), createdAt: r.created_at, updatedAt: r.updated_at, settledAt: opt(r.settled_at),
      })));
      const timeline = events ? (events.all(orderNo) as { at: number; type: string; detail: string }[]).reverse().map((e) => ({ at: e.at, type: e.type, detail: JSON.parse(e.detail) as Record<string, unknown> })) : [];
      const order = JSON.parse(JSON.stringify({
        orderNo, openid: row.openid, provider: row.provider, status: row.status, amount: row.amount, currency: row.currency, description: row.description,
        items: JSON.parse(String(row.items)), providerRef: opt(row.provider_ref), createdAt: row.created_at, updatedAt: row.updated_at, expiresAt: row.expires_at,
        paidAt: opt(row.paid_at), statusReason: opt(row.status_reason), attention: opt(row.attention),
        refundedAmount: opt<number>(row.refunded_amount) || undefined, pendingRefundAmount: opt<number>(row.pending_refund_amount) || undefined,
        refunds: own.length ? own : undefined, timeline: timeline.length ? timeline : undefined,
      })) as Order;
      insert(order);
    }
    for (const t of ['orders', 'order_events', 'refunds']) if (tables.has(t)) db.exec(`ALTER TABLE ${t} RENAME TO legacy_${t}`);
  })();
}

/** A write waiting for the next group commit, and who waits for its outcome. */
interface PendingWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class SqliteOrderStore implements Store {
  private readonly db: Database.Database;
  private readonly s: Statements;
  private readonly insertTx: (order: Order) => void;
  private readonly replaceTx: (next: Order, rev: number) => boolean;
  private pending: PendingWrite[] = [];
  /** Orders with a write in `pending`: reading one commits the group first (see `get`). */
  private pendingOrders = new Set<string>();
  private flushScheduled = false;

  /**
   * `file` is a path, or ':memory:' for tests. `cacheKiB` caps SQLite's page cache (this build's
   * default is 16 MB): the local stack keeps it small so its memory stays flat as orders pile up.
   */
  constructor(file: string, options: { cacheKiB?: number } = {}) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // FULL: a committed change survives power loss before we acknowledge the provider.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    if (options.cacheKiB) this.db.pragma(`cache_size = -${Math.floor(options.cacheKiB)}`);
    this.db.exec(SCHEMA);
    this.s = Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, this.db.prepare(sql)])) as Statements;
    migrateLegacy(this.db, (order) => {
      this.s.insert.run(columns(order));
      this.claimRefundNumbers(order);
    });
    this.insertTx = this.db.transaction((order: Order) => {
      this.s.insert.run(columns(plain(order)));
      this.claimRefundNumbers(order);
    });
    this.replaceTx = this.db.transaction((next: Order, rev: number): boolean => {
      const changed = this.s.replace.run({ ...columns(plain(next)), rev }).changes === 1;
      if (changed) this.claimRefundNumbers(next);
      return changed;
    });
  }

  close(): void {
    if (this.pending.length > 0) this.flush();
    this.db.close();
  }

  /**
   * Group commit. Every commit waits for the disk (synchronous=FULL: about 0.2 to 2 ms here,
   * and better-sqlite3 blocks the event loop meanwhile), so the writes asked for in one turn of
   * the event loop (concurrent requests: notifications, shoppers) commit together, one fsync for
   * all. Each write runs in its own savepoint (a refused one rolls back alone) and its promise
   * settles only after the commit that holds it returned: nobody is told "stored" before it is
   * on disk. A write alone waits one setImmediate, a few microseconds.
   */
  private write<T>(orderNo: string, run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run, resolve: resolve as (value: unknown) => void, reject });
      this.pendingOrders.add(orderNo);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    this.pendingOrders.clear();
    if (batch.length === 0) return;
    const outcomes: { ok: boolean; value?: unknown; error?: unknown }[] = [];
    try {
      this.db.transaction(() => {
        for (const w of batch) {
          try {
            // The per-write transaction functions nest as savepoints inside this one.
            outcomes.push({ ok: true, value: w.run() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      // The commit itself failed: none of these writes is stored.
      for (const w of batch) w.reject(error);
      return;
    }
    batch.forEach((w, i) => {
      const outcome = outcomes[i] as { ok: boolean; value?: unknown; error?: unknown };
      if (outcome.ok) w.resolve(outcome.value);
      else w.reject(outcome.error);
    });
  }

  /** Claims the order's refund numbers; throws REFUND_CONFLICT when another order has one (rolls back). */
  private claimRefundNumbers(order: Order): void {
    for (const refund of order.refunds ?? []) {
      if (this.s.claimRefundNo.run(refund.refundNo, order.orderNo).changes === 1) continue;
      const owner = this.s.refundOwner.get(refund.refundNo) as { order_no: string } | undefined;
      if (owner && owner.order_no !== order.orderNo) {
        throw new ConflictError('REFUND_CONFLICT', `refundNo ${refund.refundNo} is already a refund of order ${owner.order_no}; send a new refundNo for another refund`);
      }
    }
  }

  async insert(order: Order): Promise<void> {
    try {
      await this.write(order.orderNo, () => this.insertTx(order));
    } catch (e) {
      // Duck-typed: better-sqlite3's SqliteError may come from another realm (test sandboxes).
      const code = (e as { code?: unknown } | null)?.code;
      if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new ConflictError('DUPLICATE_ORDER', `order ${order.orderNo} already exists`);
      }
      throw e;
    }
  }

  async get(orderNo: string): Promise<StoredOrder | null> {
    // An order with a write waiting is read only once that write is committed: nobody sees a
    // change before it is on disk, and a read-modify-write of one order never starts from a
    // revision already being replaced (concurrent writers of one order would otherwise all
    // lose but one per commit). Writes to other orders still share commits.
    if (this.pendingOrders.has(orderNo)) this.flush();
    const row = this.s.get.get(orderNo) as Row | undefined;
    return row ? toStored(row) : null;
  }

  async replace(next: Order, rev: number): Promise<boolean> {
    return this.write(next.orderNo, () => this.replaceTx(next, rev));
  }

  async findByProviderRef(provider: string, providerRef: string): Promise<StoredOrder | null> {
    const row = this.s.byProviderRef.get(provider, providerRef) as Row | undefined;
    return row ? toStored(row) : null;
  }

  async findByRefundNo(refundNo: string): Promise<StoredOrder | null> {
    const owner = this.s.refundOwner.get(refundNo) as { order_no: string } | undefined;
    return owner ? this.get(owner.order_no) : null;
  }

  async claimRefundNumber(refundNo: string, orderNo: string): Promise<boolean> {
    if (this.s.claimRefundNo.run(refundNo, orderNo).changes === 1) return true;
    const owner = this.s.refundOwner.get(refundNo) as { order_no: string } | undefined;
    return owner?.order_no === orderNo;
  }

  async listByOpenid(openid: string, limit: number): Promise<StoredOrder[]> {
    return (this.s.byOpenid.all(openid, limit) as Row[]).map(toStored);
  }

  async listDue(now: number, limit: number): Promise<StoredOrder[]> {
    return (this.s.due.all(now, limit) as Row[]).map(toStored);
  }

  async listOrders(filter: OrderFilter, limit: number, after?: OrderCursor): Promise<StoredOrder[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (clause: string, ...values: unknown[]) => {
      where.push(clause);
      args.push(...values);
    };
    if (filter.status !== undefined) add('status = ?', filter.status);
    if (filter.provider !== undefined) add('provider = ?', filter.provider);
    if (filter.attention !== undefined) add('attention = ?', filter.attention ? 1 : 0);
    if (after) add('(created_at < ? OR (created_at = ? AND order_no < ?))', after.createdAt, after.createdAt, after.orderNo);
    const sql = `SELECT rev, doc FROM order_docs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, order_no DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, limit) as Row[]).map(toStored);
  }
}
