/**
 * The refund half of the SQLite store (SqliteOrderStore delegates here). Every rule is one
 * transaction around conditional statements, so no interleaving can break it:
 * - accept: INSERT the refund (refund_no is the primary key) and reserve its amount with
 *   `UPDATE orders ... WHERE amount - refunded_amount - pending_refund_amount >= ? AND status
 *   IN (PAID, PARTIALLY_REFUNDED)`; if the reservation changes no row, nothing is kept.
 * - settle: `UPDATE refunds ... WHERE status = 'PENDING'`, and only if that changed the row,
 *   move the amount on the order (and its status) in the same transaction.
 */
import type Database from 'better-sqlite3';
import type { TimelineEntry } from '../orders/store';
import type { OrderStatus } from '../orders/types';
import { REFUNDABLE_STATUSES, type AcceptRefundResult, type Refund, type RefundSettlePatch } from './types';

export const REFUNDS_SCHEMA = `
CREATE TABLE IF NOT EXISTS refunds (
  refund_no     TEXT PRIMARY KEY,
  order_no      TEXT NOT NULL,
  provider      TEXT NOT NULL,
  amount        INTEGER NOT NULL CHECK (amount > 0),
  currency      TEXT NOT NULL,
  reason        TEXT,
  status        TEXT NOT NULL,
  status_reason TEXT,
  provider_ref  TEXT,
  operator      TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  settled_at    INTEGER
);
CREATE INDEX IF NOT EXISTS refunds_by_order ON refunds (order_no, created_at);
CREATE INDEX IF NOT EXISTS refunds_by_status ON refunds (status, updated_at);
`;

/** Order columns added for refunds: files from older checkouts gain them (see migrate()). */
export const REFUND_ORDER_COLUMNS: readonly [string, string][] = [
  ['refunded_amount', 'INTEGER NOT NULL DEFAULT 0'],
  ['pending_refund_amount', 'INTEGER NOT NULL DEFAULT 0'],
];

interface RefundRow {
  refund_no: string;
  order_no: string;
  provider: string;
  amount: number;
  currency: string;
  reason: string | null;
  status: string;
  status_reason: string | null;
  provider_ref: string | null;
  operator: string | null;
  created_at: number;
  updated_at: number;
  settled_at: number | null;
}

function toRefund(row: RefundRow): Refund {
  const refund: Refund = {
    refundNo: row.refund_no,
    orderNo: row.order_no,
    provider: row.provider,
    amount: row.amount,
    currency: row.currency as Refund['currency'],
    status: row.status as Refund['status'],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.reason !== null) refund.reason = row.reason;
  if (row.status_reason !== null) refund.statusReason = row.status_reason;
  if (row.provider_ref !== null) refund.providerRef = row.provider_ref;
  if (row.operator !== null) refund.operator = row.operator;
  if (row.settled_at !== null) refund.settledAt = row.settled_at;
  return refund;
}

const IN_REFUNDABLE = `(${REFUNDABLE_STATUSES.map((s) => `'${s}'`).join(', ')})`;

const SQL = {
  insert: `INSERT INTO refunds (refund_no, order_no, provider, amount, currency, reason, status, status_reason, provider_ref, operator, created_at, updated_at, settled_at)
           VALUES (@refundNo, @orderNo, @provider, @amount, @currency, @reason, @status, NULL, NULL, @operator, @createdAt, @updatedAt, NULL)`,
  get: 'SELECT * FROM refunds WHERE refund_no = ?',
  byOrder: 'SELECT * FROM refunds WHERE order_no = ? ORDER BY created_at ASC, refund_no ASC',
  pending: `SELECT * FROM refunds WHERE status = 'PENDING' AND updated_at < ? ORDER BY updated_at ASC LIMIT ?`,
  order: 'SELECT status, amount, refunded_amount, pending_refund_amount FROM orders WHERE order_no = ?',
  reserve: `UPDATE orders SET pending_refund_amount = pending_refund_amount + @amount, updated_at = @now
            WHERE order_no = @orderNo AND status IN ${IN_REFUNDABLE}
              AND amount - refunded_amount - pending_refund_amount >= @amount`,
  settle: `UPDATE refunds SET status = @to, status_reason = COALESCE(@statusReason, status_reason),
             provider_ref = COALESCE(@providerRef, provider_ref), updated_at = @now, settled_at = @now
           WHERE refund_no = @refundNo AND status = 'PENDING'`,
  succeeded: `UPDATE orders SET pending_refund_amount = pending_refund_amount - @amount,
                refunded_amount = refunded_amount + @amount,
                status = CASE WHEN refunded_amount + @amount >= amount THEN 'REFUNDED' ELSE 'PARTIALLY_REFUNDED' END,
                updated_at = @now
              WHERE order_no = @orderNo`,
  failed: `UPDATE orders SET pending_refund_amount = pending_refund_amount - @amount, updated_at = @now WHERE order_no = @orderNo`,
  providerRef: 'UPDATE refunds SET provider_ref = ?, updated_at = ? WHERE refund_no = ?',
} as const;

type Statements = { [K in keyof typeof SQL]: Database.Statement };

export class SqliteRefunds {
  private readonly s: Statements;

  constructor(
    private readonly db: Database.Database,
    private readonly writeTimeline: (orderNo: string, at: number, timeline: readonly TimelineEntry[]) => void,
  ) {
    db.exec(REFUNDS_SCHEMA);
    this.s = Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)])) as Statements;
  }

  accept(refund: Refund, timeline: readonly TimelineEntry[]): AcceptRefundResult {
    return this.db.transaction((): AcceptRefundResult => {
      const existing = this.s.get.get(refund.refundNo) as RefundRow | undefined;
      if (existing) {
        const found = toRefund(existing);
        return found.orderNo === refund.orderNo && found.amount === refund.amount ? { kind: 'existing', refund: found } : { kind: 'conflict', refund: found };
      }
      const order = this.s.order.get(refund.orderNo) as { status: OrderStatus; amount: number; refunded_amount: number; pending_refund_amount: number } | undefined;
      if (!order) return { kind: 'not-found' };
      if (!REFUNDABLE_STATUSES.includes(order.status)) return { kind: 'not-refundable', status: order.status };
      const reserved = this.s.reserve.run({ amount: refund.amount, now: refund.createdAt, orderNo: refund.orderNo });
      if (reserved.changes !== 1) return { kind: 'exceeds', remaining: order.amount - order.refunded_amount - order.pending_refund_amount };
      this.s.insert.run({ ...refund, reason: refund.reason ?? null, operator: refund.operator ?? null, status: 'PENDING' });
      this.writeTimeline(refund.orderNo, refund.createdAt, timeline);
      return { kind: 'accepted', refund: { ...refund, status: 'PENDING' } };
    }).immediate();
  }

  settle(refundNo: string, to: 'SUCCEEDED' | 'FAILED', patch: RefundSettlePatch, now: number, timeline: readonly TimelineEntry[]): boolean {
    return this.db.transaction((): boolean => {
      const row = this.s.get.get(refundNo) as RefundRow | undefined;
      if (!row || row.status !== 'PENDING') return false;
      const changed = this.s.settle.run({ to, statusReason: patch.statusReason ?? null, providerRef: patch.providerRef ?? null, now, refundNo });
      if (changed.changes !== 1) return false;
      const args = { amount: row.amount, now, orderNo: row.order_no };
      if (to === 'SUCCEEDED') {
        const before = this.s.order.get(row.order_no) as { status: OrderStatus } | undefined;
        this.s.succeeded.run(args);
        const after = this.s.order.get(row.order_no) as { status: OrderStatus } | undefined;
        const lines = before && after && before.status !== after.status ? [{ type: 'status_changed' as const, detail: { from: before.status, to: after.status, source: 'refund', refundNo } }] : [];
        this.writeTimeline(row.order_no, now, [...timeline, ...lines]);
      } else {
        this.s.failed.run(args);
        this.writeTimeline(row.order_no, now, timeline);
      }
      return true;
    }).immediate();
  }

  setProviderRef(refundNo: string, providerRef: string, now: number): void {
    this.s.providerRef.run(providerRef, now, refundNo);
  }

  get(refundNo: string): Refund | null {
    const row = this.s.get.get(refundNo) as RefundRow | undefined;
    return row ? toRefund(row) : null;
  }

  listByOrder(orderNo: string): Refund[] {
    return (this.s.byOrder.all(orderNo) as RefundRow[]).map(toRefund);
  }

  listPending(updatedBefore: number, limit: number): Refund[] {
    return (this.s.pending.all(updatedBefore, limit) as RefundRow[]).map(toRefund);
  }
}
