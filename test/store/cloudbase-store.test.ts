import { CloudBaseOrderStore } from '../../server/orders/cloudbase-store';
import { createFakeCloudDatabase } from '../helpers/fake-cloudbase';
import { orderStoreContract } from './contract';

orderStoreContract('CloudBase (in-memory stand-in for wx-server-sdk database)', async () => {
  const store = new CloudBaseOrderStore(createFakeCloudDatabase());
  await store.ensureCollections();
  return store;
});
