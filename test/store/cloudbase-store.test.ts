import { CloudBaseOrderStore } from '../../server/orders/cloudbase-store';
import { createFakeCloudDatabase } from '../helpers/fake-cloudbase';
import { orderStoreContract } from './contract';
import { refundStoreContract } from './refund-contract';

const makeStore = async () => {
  const store = new CloudBaseOrderStore(createFakeCloudDatabase());
  await store.ensureCollections();
  return store;
};

orderStoreContract('CloudBase (in-memory stand-in for wx-server-sdk database)', makeStore);
refundStoreContract('CloudBase (in-memory stand-in for wx-server-sdk database)', makeStore);
