import { CloudBaseOrderStore } from '../../server/store/cloudbase/order-store';
import { createFakeCloudDatabase } from '../helpers/fake-cloudbase';
import { orderStoreContract, sampleOrder } from './contract';
import { refundStoreContract } from './refund-contract';

const makeStore = async () => {
  const store = new CloudBaseOrderStore(createFakeCloudDatabase());
  await store.ensureCollections();
  return store;
};

orderStoreContract('CloudBase (in-memory stand-in for wx-server-sdk database)', makeStore);
refundStoreContract('CloudBase (in-memory stand-in for wx-server-sdk database)', makeStore);

describe('CloudBase orders written before refunds existed', () => {
  it('get refundableRemaining on their first refund, once', async () => {
    const db = createFakeCloudDatabase();
    const store = new CloudBaseOrderStore(db);
    const order = sampleOrder({ status: 'PAID', amount: 800 });
    await db.collection('orders').add({ data: { _id: order.orderNo, ...order } });
    const refund = (refundNo: string, amount: number) => ({ refundNo, orderNo: order.orderNo, provider: 'latipay', amount, currency: 'NZD' as const, status: 'PENDING' as const, createdAt: 9, updatedAt: 9 });
    expect((await store.acceptRefund(refund('ROLD1', 500))).kind).toBe('accepted');
    expect(await store.acceptRefund(refund('ROLD2', 301))).toEqual({ kind: 'exceeds', remaining: 300 });
    expect((await store.acceptRefund(refund('ROLD3', 300))).kind).toBe('accepted');
    expect(await store.get(order.orderNo)).toMatchObject({ pendingRefundAmount: 800 });
  });
});
