/**
 * Each state change and its timeline lines are one store write (one durable SQLite commit):
 * createOrder costs two writes, the first valid notification one, a duplicate one.
 * Counted, not timed: the benchmark measures what the commits cost.
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

/** Store calls that commit something: a transition only when it changed the order. */
function countWrites() {
  const store = stack.app.store;
  const writers = (['insert', 'setProviderRef', 'appendEvent'] as const).map((m) => jest.spyOn(store, m));
  const transition = jest.spyOn(store, 'transition');
  return {
    total: async () => {
      const changed = await Promise.all(transition.mock.results.map((r) => r.value as Promise<boolean>));
      return writers.reduce((n, s) => n + s.mock.calls.length, 0) + changed.filter(Boolean).length;
    },
    restore: () => [...writers, transition].forEach((s) => s.mockRestore()),
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

  const events = await stack.app.store.listEvents(res.body.order.orderNo);
  expect(events.map((e) => e.type)).toEqual([
    'created',
    'provider_request',
    'status_changed',
    'provider_response',
    'status_changed',
    'notification',
    'notification',
  ]);
  expect(events.map((e) => e.detail.applied).slice(-2)).toEqual([true, false]);
});
