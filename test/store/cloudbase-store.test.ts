import { CloudBaseOrderStore } from '../../server/store/cloudbase/order-store';
import { createFakeCloudDatabase } from '../../local/fake-cloudbase';
import { storeContract } from './contract';

storeContract('CloudBase (in-memory stand-in for wx-server-sdk database)', async () => {
  const store = new CloudBaseOrderStore(createFakeCloudDatabase());
  await store.ensureCollections();
  return store;
});
