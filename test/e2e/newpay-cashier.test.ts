/**
 * A Converge cashier order completes on the local stack over HTTP only: createCashierOrder,
 * open the payUrl, Pay (or Fail) on the simulated cashier page, NewPay's callback settles it.
 */
import { startTestStack, type TestStack } from '../helpers/local-stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.close();
});

async function cashierOrder(user: string, channel: 'web' | 'mobile') {
  const res = await stack.fn('pay', {
    action: 'createCashierOrder',
    provider: 'newpay',
    currency: 'LAK',
    payMethod: 'visa',
    channel,
    items: [{ sku: 'tea', quantity: 2 }],
    code: stack.code(user),
  });
  expect(res.status).toBe(200);
  return res.body as { order: { orderNo: string; amount: number }; payUrl: string };
}

it('web: the payUrl opens a cashier page, Pay settles the order PAID through the callback', async () => {
  const { order, payUrl } = await cashierOrder('cashierweb', 'web');
  expect(payUrl.startsWith(stack.url)).toBe(true);
  const page = await fetch(payUrl);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await page.text();
  expect(html).toContain(order.orderNo);
  expect(html).toContain('Pay');
  const paid = await fetch(payUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ result: 'pay' }) });
  expect(await paid.json()).toEqual({ ok: true, status: 'paid' });
  expect((await stack.waitForStatus(order.orderNo, 'cashierweb', 'PAID')).status).toBe('PAID');
  const again = await fetch(payUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ result: 'pay' }) });
  expect(again.status).toBe(409);
});

it('mobile: a browser form posting Fail settles the order FAILED', async () => {
  const { order, payUrl } = await cashierOrder('cashiermobile', 'mobile');
  expect(payUrl).toContain('/m/cashier/');
  const failed = await fetch(payUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'result=fail' });
  expect(failed.status).toBe(200);
  expect(await failed.text()).toContain('Payment failed');
  expect((await stack.waitForStatus(order.orderNo, 'cashiermobile', 'FAILED')).status).toBe('FAILED');
});

it('refuses a bad choice and an unknown order', async () => {
  const { payUrl } = await cashierOrder('cashierbad', 'web');
  const bad = await fetch(payUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ result: 'maybe' }) });
  expect(bad.status).toBe(400);
  expect((await fetch(`${stack.url}/sandbox/newpay/cashier/999`)).status).toBe(404);
});
