/**
 * The contract every provider adapter keeps (after Omnipay's shared gateway test case),
 * run against the provider's simulator over real HTTP on loopback.
 */
import { ProviderError, SignatureError, ValidationError } from '../../server/core/errors';
import type { Order } from '../../server/domain/order';
import type { Refund } from '../../server/domain/refund';
import type { RegisteredProvider } from '../../server/providers/registry';
import type { InboundNotification, PaymentProvider } from '../../server/providers/types';
import { startTestStack, type TestStack } from '../helpers/local-stack';
import type { ProviderHarness, RawNotification } from '../helpers/provider-harness';

function inbound(raw: RawNotification): InboundNotification {
  const headers: Record<string, string> = { 'content-type': raw.contentType };
  for (const [k, v] of Object.entries(raw.headers ?? {})) headers[k.toLowerCase()] = v;
  return { headers, rawBody: Buffer.from(raw.body, 'utf8'), query: {} };
}

export function providerContract(h: ProviderHarness): void {
  describe(`${h.provider} adapter contract (against its simulator over HTTP)`, () => {
    let stack: TestStack;
    let provider: PaymentProvider;
    let registered: RegisteredProvider;
    beforeAll(async () => {
      stack = await startTestStack({}, h.stackOptions ?? {});
      registered = stack.app.service.deps.providers.require(h.provider);
      provider = registered.adapter;
      h.silence(stack); // the contract drives notifications itself
    });
    afterAll(async () => {
      await stack.close();
    });

    let n = 0;
    function order(amount = 1234): Order {
      n++;
      const currency = h.currencies[0]!;
      return {
        orderNo: `${Date.now()}${String(n).padStart(6, '0')}`,
        openid: stack.sandboxes.wechat.openidFor('contract'),
        provider: h.provider,
        status: 'CREATED',
        amount: currency === 'LAK' ? amount * 100 : amount,
        currency,
        description: 'Contract test',
        items: [{ sku: 'coffee', name: 'Flat white', quantity: 1, unitPrice: amount }],
        createdAt: Date.now(),
        updatedAt: Date.now(),
        expiresAt: Date.now() + 60_000,
      };
    }

    async function create(o: Order) {
      return provider.createMiniPayment({
        order: o,
        openid: o.openid,
        notifyUrl: `${stack.url}/notify/${h.provider}`,
        ...(h.createExtras ? { payCode: String(h.createExtras(stack, 'contract').payCode ?? '') } : {}),
      });
    }

    it('declares its currencies', () => {
      expect(provider.currencies.length).toBeGreaterThan(0);
      expect(provider.currencies).toEqual(expect.arrayContaining([h.currencies[0]]));
    });

    it('creates a mini program payment WeChat accepts', async () => {
      const o = order();
      const created = await create(o);
      const p = created.payment;
      expect(p.timeStamp).toMatch(/^\d{10}$/);
      expect(p.nonceStr.length).toBeGreaterThan(0);
      expect(p.nonceStr.length).toBeLessThanOrEqual(32);
      expect(p.package).toMatch(/^prepay_id=.+/);
      expect(['MD5', 'HMAC-SHA256', 'RSA']).toContain(p.signType);
      // The WeChat sandbox checks paySign like WeChat: a cancel proves the signature passed.
      expect((await stack.requestPayment({ ...p }, 'cancel')).body.errMsg).toBe('requestPayment:fail cancel');
    });

    it('verifies a genuine notification and reports the amount', async () => {
      const o = order();
      const created = await create(o);
      await stack.requestPayment({ ...created.payment }, 'pay');
      const report = provider.verifyNotification(inbound(h.notification(stack, o.orderNo)));
      expect(report).toMatchObject({ orderNo: o.orderNo, outcome: 'paid', amount: { amount: o.amount, currency: o.currency } });
      expect(provider.claimedOrderNo(inbound(h.notification(stack, o.orderNo)))).toBe(o.orderNo);
    });

    it('refuses forged notifications with a SignatureError', async () => {
      const o = order();
      const created = await create(o);
      await stack.requestPayment({ ...created.payment }, 'pay');
      expect(() => provider.verifyNotification(inbound(h.forged(stack, o.orderNo)))).toThrow(SignatureError);
      // Unreadable bodies are refused naming what is wrong, never half-read.
      expect(() => provider.verifyNotification(inbound({ body: '', contentType: 'text/plain' }))).toThrow(ValidationError);
      expect(() => provider.verifyNotification(inbound({ body: '{"garbage":true', contentType: 'application/json' }))).toThrow(ValidationError);
    });

    it('acknowledges with 2xx and refuses with the given non-2xx', () => {
      const ack = provider.acknowledge();
      expect(ack.statusCode).toBe(200);
      expect(h.isAck(ack.statusCode, ack.body)).toBe(true);
      const no = provider.refuse(401, 'bad signature');
      expect(no.statusCode).toBe(401);
      expect(h.isAck(no.statusCode, no.body)).toBe(false);
    });

    // Omnipay's supportsX(): each capability the descriptor declares is exactly what the adapter has.
    it('declares exactly the capabilities its adapter implements', () => {
      const caps = registered.capabilities;
      expect(caps).toEqual(h.capabilities);
      expect({
        query: caps.query,
        cashier: caps.cashier,
        inApp: caps.inApp,
        refund: caps.refund,
        refundQuery: caps.refundQuery,
      }).toEqual({
        query: typeof provider.queryPayment === 'function',
        cashier: typeof provider.cashierPayment === 'function' && typeof provider.createCashierOrder === 'function',
        inApp: typeof provider.createAppPayment === 'function',
        refund: typeof (provider as { refund?: unknown }).refund === 'function',
        refundQuery: typeof (provider as { queryRefund?: unknown }).queryRefund === 'function',
      });
      expect(caps.secondLoginCode).toBe(h.createExtras !== undefined);
      if (caps.cashier) expect(typeof registered.descriptor.cashierOptions).toBe('function');
    });

    const whenDeclared = (capability: keyof RegisteredProvider['capabilities']) => (h.capabilities[capability] ? it : it.skip);

    whenDeclared('query')('queries a payment: pending before paying, paid after', async () => {
      expect(registered.capabilities.query).toBe(true);
      const o = order();
      const created = await create(o);
      expect((await provider.queryPayment!(o)).outcome).toBe('pending');
      await stack.requestPayment({ ...created.payment }, 'pay');
      const report = await provider.queryPayment!(o);
      expect(report).toMatchObject({ orderNo: o.orderNo, outcome: 'paid', amount: { amount: o.amount, currency: o.currency } });
    });

    // The simulators under local/sandboxes answer next-query; the AcmePay test fixture has none.
    const withNextQuery = h.capabilities.query && h.provider !== 'acmepay' ? it : it.skip;
    withNextQuery('reports a payment status the provider does not document as uncertain, never pending', async () => {
      const o = order();
      await create(o);
      for (const status of ['COMPLETE', 'SYSTEM_BUSY']) {
        const res = await fetch(`${stack.url}/sandbox/${h.provider}/next-query`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ status }) });
        expect(res.status).toBe(200);
        expect(await provider.queryPayment!(o)).toMatchObject({ orderNo: o.orderNo, outcome: 'uncertain', code: status });
      }
    });

    let r = 0;
    function refundOf(o: Order, amount: number, refundNo = `R${Date.now()}${String(++r).padStart(4, '0')}`): Refund {
      return { refundNo, orderNo: o.orderNo, provider: h.provider, amount, currency: o.currency, status: 'PENDING', createdAt: Date.now(), updatedAt: Date.now() };
    }
    async function paidOrder(): Promise<Order> {
      const o = order();
      const created = await create(o);
      await stack.requestPayment({ ...created.payment }, 'pay');
      return { ...o, status: 'PAID', ...(created.providerRef !== undefined ? { providerRef: created.providerRef } : {}) };
    }
    const refundInput = (o: Order, refund: Refund) => ({ order: o, refund, notifyUrl: `${stack.url}/notify/${h.provider}` });

    whenDeclared('refund')('refunds part of a paid order, then the rest, and never more than was paid', async () => {
      const o = await paidOrder();
      const part = Math.floor(o.amount / 3);
      const first = refundOf(o, part);
      const a = await provider.refund!(refundInput(o, first));
      expect(a).toMatchObject({ refundNo: first.refundNo, outcome: 'succeeded' });
      if (a.amount) expect(a.amount).toEqual({ amount: part, currency: o.currency });
      const b = await provider.refund!(refundInput(o, refundOf(o, o.amount - part)));
      expect(b.outcome).toBe('succeeded');
      // Nothing remains: the provider refuses with a documented code, reported (not thrown) as refused.
      const over = await provider.refund!(refundInput(o, refundOf(o, 1)));
      expect(over).toMatchObject({ outcome: 'refused', code: expect.any(String) });
    });

    whenDeclared('refund')('a refund number sent again never pays twice where the provider keeps refund numbers unique', async () => {
      const o = await paidOrder();
      const half = refundOf(o, Math.floor(o.amount / 2));
      expect((await provider.refund!(refundInput(o, half))).outcome).toBe('succeeded');
      // The same refund sent again, as after a lost answer. NewPay (Z01026) and OTT Pay (ORDER_USED)
      // keep refund numbers unique: the repeat moves no money, and its "number already exists"
      // answer is uncertain, never refused (the refund query tells what became of the first).
      // WeChat Pay answers the refund it already has for the same out_refund_no (its status).
      // Latipay's `reference` is a note, not a key: a repeat pays again, which is why a Latipay
      // refund is never re-sent (refundResend false; local/sandboxes/latipay/refunds.ts).
      const again = await provider.refund!({ ...refundInput(o, { ...half }), resend: true });
      const rest = await provider.refund!(refundInput(o, refundOf(o, o.amount - half.amount)));
      if (h.capabilities.refundResend) {
        expect(['uncertain', 'succeeded', 'pending']).toContain(again.outcome);
        expect(rest.outcome).toBe('succeeded');
      } else {
        expect(again.outcome).toBe('succeeded');
        expect(rest).toMatchObject({ outcome: 'refused' });
      }
    });

    whenDeclared('refund')('refuses to refund an order that was never paid, without paying anything', async () => {
      const o = order();
      const created = await create(o);
      const unpaid = { ...o, ...(created.providerRef !== undefined ? { providerRef: created.providerRef } : {}) };
      // Refused where the provider documents a code for it; else uncertain (held, never freed).
      expect(['refused', 'uncertain']).toContain((await provider.refund!(refundInput(unpaid, refundOf(unpaid, 100)))).outcome);
    });

    whenDeclared('refundQuery')('queries a refund it made', async () => {
      const o = await paidOrder();
      const refund = refundOf(o, Math.floor(o.amount / 2));
      await provider.refund!(refundInput(o, refund));
      expect(await provider.queryRefund!(refund)).toMatchObject({ refundNo: refund.refundNo, outcome: 'succeeded', amount: { amount: refund.amount, currency: o.currency } });
      // A refund the provider has never heard of is uncertain, not refused: it may be on its way.
      expect((await provider.queryRefund!(refundOf(o, 1))).outcome).toBe('uncertain');
    });

    // The simulator's next-refund scenarios (local/sandboxes/misbehaviour.ts), read by the adapter:
    // a documented refusal is refused; anything it can read but that is not documented is
    // uncertain; what it cannot read throws (the engine takes a throw as uncertain).
    const nextRefund = async (scenario: Record<string, string>) => {
      const res = await fetch(`${stack.url}/sandbox/${h.provider}/next-refund`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(scenario) });
      expect(res.status).toBe(200);
    };
    const outcomeOrThrow = (p: Promise<{ outcome: string }>) => p.then((r) => r.outcome, () => 'threw');

    whenDeclared('refund')('reads every next-refund answer: refused only when documented, never succeeded unless said', async () => {
      const o = await paidOrder();
      await nextRefund({ answer: 'refused' });
      expect(await provider.refund!(refundInput(o, refundOf(o, 1)))).toMatchObject({ outcome: 'refused', code: expect.any(String) });
      await nextRefund({ answer: 'uncertain', variant: 'code' });
      expect(await provider.refund!(refundInput(o, refundOf(o, 1)))).toMatchObject({ outcome: 'uncertain', code: expect.any(String) });
      for (const variant of ['html', 'empty', 'http-500']) {
        await nextRefund({ answer: 'uncertain', variant });
        expect(['uncertain', 'threw']).toContain(await outcomeOrThrow(provider.refund!(refundInput(o, refundOf(o, 1)))));
      }
      // The provider's own contradicting shape (NewPay's tranStatus 0 with "Transaction Success",
      // WeChat Pay's PROCESSING with a notification that disagrees): held either way.
      await nextRefund({ answer: 'contradictory', variant: 'code' });
      expect(['uncertain', 'pending']).toContain(await outcomeOrThrow(provider.refund!(refundInput(o, refundOf(o, 1)))));
      await nextRefund({ answer: 'lost' });
      expect(await outcomeOrThrow(provider.refund!(refundInput(o, refundOf(o, 1))))).toBe('threw');
    });

    whenDeclared('refundQuery')('settles an uncertain or lost refund by its query, as the provider did it', async () => {
      const o = await paidOrder();
      const lost = refundOf(o, 1);
      await nextRefund({ answer: 'lost', truth: 'succeeded' });
      await provider.refund!(refundInput(o, lost)).catch(() => undefined);
      expect(await provider.queryRefund!(lost)).toMatchObject({ outcome: 'succeeded', amount: { amount: 1, currency: o.currency } });
      const failed = refundOf(o, 2);
      await nextRefund({ answer: 'contradictory', truth: 'failed', variant: 'code' });
      expect(['uncertain', 'pending']).toContain((await provider.refund!(refundInput(o, failed))).outcome);
      expect((await provider.queryRefund!(failed)).outcome).toBe('refused');
    });

    it('turns a provider refusal into a typed ProviderError', async () => {
      const o = order();
      await expect(create({ ...o, amount: 0 })).rejects.toBeInstanceOf(ProviderError);
    });
  });
}
