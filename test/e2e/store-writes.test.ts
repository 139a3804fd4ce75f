/**
 * Each state change and its timeline lines are one store write (one durable SQLite commit, one
 * CloudBase round trip): createOrder costs two writes, the first valid notification one, a
 * duplicate one. Counted, not timed: the benchmark measures what the commits cost.
 */
import { startTestStack, type TestStack } from '../helpers/local-stack';
import { latipayHarness } from '../providers/latipay-harness';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
  latipayHarness.silence(stack);
});
afterAll(async () => {
  await stack.close();
});

/** Store calls that commit something: an insert, or a compare-and-set that took. */
function countWrites() {
  const store = stack.app.store;
  const insert = jest.spyOn(store, 'insert');
  const replace = jest.spyOn(store, 'replace');
  return {
    total: async () => {
      const took = await Promise.all(replace.mock.results.map((r) => r.value as Promise<boolean>));
      return insert.mock.calls.length + took.filter(Boolean).length;
    },
    restore: () => [insert, replace].forEach((s) => s.mockRestore()),
  };
}

it('createOrder: two writes; first notification: one; a duplicate: one; the timeline stays complete', async () => {
  let writes = countWrites();
  const res = await stack.fn('pay', { action: 'createOrder', provider: 'latipay', items: [{ sku: 'tea', quantity: 1 }], code: stack.code('writes') });
  expect(res.status).toBe(200);
  expect(await writes.total()).toBe(2);
  writes.restore();

  await stack.requestPayment(res.body.payment, 'pay');
  const genuine = latipayHarness.notification(stack, res.body.order.orderNo);
  writes = countWrites();
  expect((await stack.post('/notify/latipay', genuine.body, genuine.contentType)).text).toBe('sent');
  expect(await writes.total()).toBe(1);
  expect((await stack.post('/notify/latipay', genuine.body, genuine.contentType)).text).toBe('sent');
  expect(await writes.total()).toBe(2);
  writes.restore();

  const timeline = (await stack.app.store.get(res.body.order.orderNo))?.timeline ?? [];
  expect(timeline.map((e) => e.type)).toEqual(['created', 'provider_request', 'status_changed', 'provider_response', 'status_changed', 'notification', 'notification']);
  expect(timeline.map((e) => e.detail.applied).slice(-2)).toEqual([true, false]);
});
