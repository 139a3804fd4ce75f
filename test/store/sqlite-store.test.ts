import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteOrderStore } from '../../server/store/sqlite/order-store';
import { orderStoreContract, sampleOrder } from './contract';
import { refundStoreContract } from './refund-contract';

orderStoreContract('SQLite (in memory)', async () => new SqliteOrderStore(':memory:'));

describe('SQLite store on disk', () => {
  it('keeps orders across reopening the file (the local stack restarts)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orders-'));
    try {
      const file = join(dir, 'nested', 'orders.sqlite');
      const first = new SqliteOrderStore(file);
      const order = sampleOrder();
      await first.insert(order);
      await first.transition(order.orderNo, 'PAID', { paidAt: 9 }, 9);
      first.close();
      const second = new SqliteOrderStore(file);
      expect((await second.get(order.orderNo))?.status).toBe('PAID');
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

refundStoreContract('SQLite (in memory)', async () => new SqliteOrderStore(':memory:'));

describe('SQLite file from a checkout before refunds', () => {
  it('opens, gains the refund columns and table, and refunds its paid orders', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orders-old-'));
    try {
      const file = join(dir, 'orders.sqlite');
      const old = new Database(file);
      old.exec(`CREATE TABLE orders (order_no TEXT PRIMARY KEY, openid TEXT NOT NULL, provider TEXT NOT NULL, status TEXT NOT NULL,
        amount INTEGER NOT NULL, currency TEXT NOT NULL, description TEXT NOT NULL, items TEXT NOT NULL, provider_ref TEXT,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, paid_at INTEGER, status_reason TEXT)`);
      old.prepare(`INSERT INTO orders VALUES ('OLD1', 'oOld', 'latipay', 'PAID', 900, 'NZD', 'Old', '[]', 'LP1', 1, 2, 3, 2, NULL)`).run();
      old.close();
      const store = new SqliteOrderStore(file);
      expect(await store.get('OLD1')).toMatchObject({ status: 'PAID', amount: 900 });
      const r = { refundNo: 'ROLD1', orderNo: 'OLD1', provider: 'latipay', amount: 900, currency: 'NZD' as const, status: 'PENDING' as const, createdAt: 10, updatedAt: 10 };
      expect((await store.acceptRefund(r)).kind).toBe('accepted');
      expect(await store.settleRefund('ROLD1', 'SUCCEEDED', {}, 11)).toBe(true);
      expect(await store.get('OLD1')).toMatchObject({ status: 'REFUNDED', refundedAmount: 900 });
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
