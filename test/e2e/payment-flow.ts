/**
 * The whole life of a payment on the local stack, over HTTP only, for one provider:
 * createOrder → requestPayment (pay / cancel / fail) → notification → order state;
 * forged and tampered notifications; 20 concurrent duplicates. Every provider runs it.
 */
import type { ProviderHarness } from '../helpers/provider-harness';
import { startTestStack, type TestStack } from '../helpers/local-stack';

export function paymentFlowSuite(h: ProviderHarness): void {
  describe.each(h.currencies)(`${h.provider} payment flow on the local stack (%s)`, (currency) => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await startTestStack({}, h.stackOptions ?? {});
    });
    afterAll(async () => {
      await stack.close();
    });

    async function createOrder(user: string) {
      const res = await stack.fn('pay', {
        action: 'createOrder',
        provider: h.provider,
        currency,
        items: [{ sku: 'coffee', quantity: 2, price: 1 }, { sku: 'cake', quantity: 1 }],
        amount: 1,
        code: stack.code(user),
        ...(h.createExtras?.(stack, user) ?? {}),
      });
      expect(res.status).toBe(200);
      expect(res.body.ok).toBe(true);
      return res.body as { order: Record<string, any>; payment: { timeStamp: string; nonceStr: string; package: string; signType: string; paySign: string } };
    }

    async function statusChanges(orderNo: string): Promise<number> {
      const res = await fetch(`${stack.url}/api/orders/${orderNo}`);
      const body = (await res.json()) as { events: { type: string; detail: { to?: string } }[] };
      return body.events.filter((e) => e.type === 'status_changed' && e.detail.to === 'PAID').length;
    }

    it('prices on the server and returns exactly the five requestPayment parameters', async () => {
      const catalog = await stack.fn('pay', { action: 'catalog', provider: h.provider, currency });
      const price = (sku: string) => catalog.body.items.find((i: { sku: string }) => i.sku === sku).price as number;
      const { order, payment } = await createOrder('shopper1');
      expect(order.amount).toBe(price('coffee') * 2 + price('cake'));
      expect(order.currency).toBe(currency);
      expect(order.status).toBe('PAYING');
      expect(Object.keys(payment).sort()).toEqual(['nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
      expect(payment.timeStamp).toMatch(/^\d{10}$/);
      expect(payment.nonceStr.length).toBeLessThanOrEqual(32);
      expect(payment.package).toMatch(/^prepay_id=/);
      expect(order).not.toHaveProperty('openid');
    });

    it('pay: the provider notifies and the order becomes PAID', async () => {
      const { order, payment } = await createOrder('payer');
      const paid = await stack.requestPayment(payment, 'pay');
      expect(paid.body.errMsg).toBe('requestPayment:ok');
      const final = await stack.waitForStatus(order.orderNo, 'payer', 'PAID');
      expect(final.status).toBe('PAID');
      expect(final.paidAt).toEqual(expect.any(Number));
      // Paying twice is refused by WeChat; the order stays paid once.
      expect((await stack.requestPayment(payment, 'pay')).status).toBe(409);
      expect(await statusChanges(order.orderNo)).toBe(1);
    });

    it('cancel and fail: the order is not paid, and can still be paid afterwards', async () => {
      const { order, payment } = await createOrder('canceller');
      expect((await stack.requestPayment(payment, 'cancel')).body.errMsg).toBe('requestPayment:fail cancel');
      expect((await stack.requestPayment(payment, 'fail')).body.errMsg).toMatch(/^requestPayment:fail /);
      // Neither outcome makes the provider notify (the sandbox only notifies on pay).
      const after = await stack.fn('pay', { action: 'queryOrder', orderNo: order.orderNo, code: stack.code('canceller') });
      expect(after.body.order.status).toBe('PAYING');
      await stack.requestPayment(payment, 'pay');
      expect((await stack.waitForStatus(order.orderNo, 'canceller', 'PAID')).status).toBe('PAID');
    });

    it('a tampered paySign is refused by the WeChat sandbox', async () => {
      const { payment } = await createOrder('tamper');
      const res = await stack.requestPayment({ ...payment, paySign: payment.paySign.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }, 'pay');
      expect(res.status).toBe(401);
      expect(res.body.errMsg).toMatch(/paySign/);
    });

    it('a forged notification is refused and changes nothing', async () => {
      h.silence(stack);
      const { order, payment } = await createOrder('forgery');
      await stack.requestPayment(payment, 'pay');
      const forged = h.forged(stack, order.orderNo);
      const res = await stack.post(`/notify/${h.provider}`, forged.body, forged.contentType, forged.headers);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(h.isAck(res.status, res.text)).toBe(false);
      const wrong = h.wrongAmount(stack, order.orderNo);
      const res2 = await stack.post(`/notify/${h.provider}`, wrong.body, wrong.contentType, wrong.headers);
      expect(res2.status).toBeGreaterThanOrEqual(400);
      expect(h.isAck(res2.status, res2.text)).toBe(false);
      const now = await stack.fn('pay', { action: 'queryOrder', orderNo: order.orderNo, code: stack.code('forgery') });
      expect(now.body.order.status).toBe('PAYING');
    });

    it('the same valid notification 20 times at once: one transition, every delivery acknowledged', async () => {
      h.silence(stack);
      const { order, payment } = await createOrder('dupes');
      await stack.requestPayment(payment, 'pay');
      const genuine = h.notification(stack, order.orderNo);
      const replies = await Promise.all(
        Array.from({ length: 20 }, () => stack.post(`/notify/${h.provider}`, genuine.body, genuine.contentType, genuine.headers)),
      );
      for (const r of replies) expect(h.isAck(r.status, r.text)).toBe(true);
      const final = await stack.fn('pay', { action: 'queryOrder', orderNo: order.orderNo, code: stack.code('dupes') });
      expect(final.body.order.status).toBe('PAID');
      expect(await statusChanges(order.orderNo)).toBe(1);
    });
  });
}
