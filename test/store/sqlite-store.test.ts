import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteOrderStore } from '../../server/store/sqlite/order-store';
import { sampleOrder, storeContract } from './contract';

storeContract('SQLite (in memory)', async () => new SqliteOrderStore(':memory:'));

describe('SQLite store on disk', () => {
  it('keeps orders across reopening the file (the local stack restarts)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orders-'));
    try {
      const file = join(dir, 'nested', 'orders.sqlite');
      const first = new SqliteOrderStore(file);
      const order = sampleOrder();
      await first.insert(order);
      expect(await first.replace({ ...order, status: 'PAID', paidAt: 9 }, 1)).toBe(true);
      first.close();
      const second = new SqliteOrderStore(file);
      expect(await second.get(order.orderNo)).toMatchObject({ status: 'PAID', rev: 2 });
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite file from a checkout before orders were documents', () => {
  it('opens, turns its orders, refunds and timelines into documents once, and refunds on', async () => {
    const Database = (await import('better-sqlite3')).default;
    const dir = mkdtempSync(join(tmpdir(), 'orders-old-'));
    try {
      const file = join(dir, 'orders.sqlite');
      const old = new Database(file);
      old.exec(`CREATE TABLE orders (order_no TEXT PRIMARY KEY, openid TEXT NOT NULL, provider TEXT NOT NULL, status TEXT NOT NULL,
        amount INTEGER NOT NULL, currency TEXT NOT NULL, description TEXT NOT NULL, items TEXT NOT NULL, provider_ref TEXT,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, paid_at INTEGER, status_reason TEXT,
        attention TEXT, refunded_amount INTEGER NOT NULL DEFAULT 0, pending_refund_amount INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE order_events (id INTEGER PRIMARY KEY AUTOINCREMENT, order_no TEXT NOT NULL, at INTEGER NOT NULL, type TEXT NOT NULL, detail TEXT NOT NULL);
        CREATE TABLE refunds (refund_no TEXT PRIMARY KEY, order_no TEXT NOT NULL, provider TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL,
          reason TEXT, status TEXT NOT NULL, status_reason TEXT, provider_ref TEXT, operator TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, settled_at INTEGER);`);
      old.prepare(`INSERT INTO orders VALUES ('OLD1', 'oOld', 'latipay', 'PARTIALLY_REFUNDED', 900, 'NZD', 'Old', '[]', 'LP1', 1, 2, 3, 2, NULL, NULL, 300, 0)`).run();
      old.prepare(`INSERT INTO order_events (order_no, at, type, detail) VALUES ('OLD1', 1, 'created', '{"amount":"9.00"}')`).run();
      old.prepare(`INSERT INTO refunds VALUES ('ROLD1', 'OLD1', 'latipay', 300, 'NZD', NULL, 'SUCCEEDED', NULL, NULL, 'o***d', 4, 5, 5)`).run();
      old.close();
      const store = new SqliteOrderStore(file);
      const order = await store.get('OLD1');
      expect(order).toMatchObject({ status: 'PARTIALLY_REFUNDED', amount: 900, refundedAmount: 300, providerRef: 'LP1', rev: 1 });
      expect(order?.refunds?.map((r) => [r.refundNo, r.status])).toEqual([['ROLD1', 'SUCCEEDED']]);
      expect(order?.timeline?.map((l) => l.type)).toEqual(['created']);
      expect((await store.findByRefundNo('ROLD1'))?.orderNo).toBe('OLD1');
      store.close();
      const again = new SqliteOrderStore(file);
      expect((await again.listOrders({}, 10)).map((o) => o.orderNo)).toEqual(['OLD1']);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite group commit', () => {
  it('commits writes asked for together in one transaction; a refused one rolls back alone, and each answers only once committed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orders-group-'));
    try {
      const file = join(dir, 'orders.sqlite');
      const store = new SqliteOrderStore(file);
      const a = sampleOrder({ orderNo: 'GROUPA' });
      const b = sampleOrder({ orderNo: 'GROUPB' });
      await store.insert(a);
      const Database = (await import('better-sqlite3')).default;
      const reader = new Database(file, { readonly: true });
      const committed = () => (reader.prepare('SELECT count(*) AS n FROM order_docs').get() as { n: number }).n;
      const version = () => reader.pragma('data_version', { simple: true }) as number;
      const before = version();
      // Asked for in one turn: a duplicate insert, a new insert, a compare-and-set and a stale one.
      const writes = [store.insert(a), store.insert(b), store.replace({ ...a, status: 'PAYING' }, 1), store.replace({ ...a, status: 'FAILED' }, 1)];
      expect(committed()).toBe(1); // nothing is on disk before the commit
      const settled = await Promise.allSettled(writes);
      expect(settled[0]).toMatchObject({ status: 'rejected', reason: { code: 'DUPLICATE_ORDER' } });
      expect(settled.slice(1).map((s) => (s.status === 'fulfilled' ? s.value : s.reason))).toEqual([undefined, true, false]);
      expect(committed()).toBe(2);
      // One commit for the whole group: another connection saw the database change once.
      expect(version()).toBe(before + 1);
      expect(await store.get('GROUPA')).toMatchObject({ status: 'PAYING', rev: 2 });
      // Reading an order with a write waiting commits that write first: the read never starts from a stale revision.
      const waiting = store.replace({ ...a, status: 'PAID' }, 2);
      expect(await store.get('GROUPA')).toMatchObject({ status: 'PAID', rev: 3 });
      expect(committed()).toBe(2);
      expect(version()).toBe(before + 2);
      expect(await waiting).toBe(true);
      reader.close();
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
