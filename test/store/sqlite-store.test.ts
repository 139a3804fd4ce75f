import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteOrderStore } from '../../server/orders/sqlite-store';
import { orderStoreContract, sampleOrder } from './contract';

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
