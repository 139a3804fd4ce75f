/**
 * The settlement engine for payments, table-driven over state × outcome × source, on both
 * in-memory stores with a fake provider: only documented final outcomes move an order,
 * uncertain holds it, paid is final, and a report for another amount or currency is never applied.
 */
import type { OrderStatus } from '../../server/domain/order';
import type { PaymentOutcome } from '../../server/providers/outcomes';
import { makeWorld } from './fake-world';

type Row = [from: OrderStatus, outcome: PaymentOutcome, to: OrderStatus, attention: boolean];

/** A query's answer applied to an order in each state (the order not yet expired). */
const QUERY_TABLE: Row[] = [
  ['PAYING', 'paid', 'PAID', false],
  ['PAYING', 'failed', 'FAILED', false],
  ['PAYING', 'closed', 'CLOSED', false],
  ['PAYING', 'pending', 'PAYING', false],
  ['PAYING', 'uncertain', 'PAYING', false],
  ['CREATED', 'paid', 'PAID', false],
  ['CREATED', 'uncertain', 'CREATED', false],
  // Paid is final, and a late payment wins (marked for a person).
  ['FAILED', 'paid', 'PAID', true],
  ['CLOSED', 'paid', 'PAID', true],
  ['FAILED', 'uncertain', 'FAILED', false],
  ['CLOSED', 'failed', 'CLOSED', false],
  ['PAID', 'failed', 'PAID', false],
  ['PAID', 'closed', 'PAID', false],
  ['PAID', 'uncertain', 'PAID', false],
  ['REFUNDED', 'failed', 'REFUNDED', false],
];

describe.each(['cloudbase', 'sqlite'] as const)('payments on the %s store', (storeKind) => {
  it.each(QUERY_TABLE)('%s + query says %s → %s (attention: %s)', async (from, outcome, to, attention) => {
    const w = makeWorld({ store: storeKind });
    const order = await w.order(from, from === 'FAILED' || from === 'CLOSED' ? { check: { at: w.clock.now, attempt: 0, until: w.clock.now + 86_400_000 }, statusReason: 'x' } : {});
    w.provider.queryAnswers.push({ outcome, summary: `status ${outcome}`, amount: { amount: 1000, currency: 'NZD' } });
    const stored = (await w.store.get(order.orderNo))!;
    const after = await w.service.settlement.settleByQuery(stored, 'test');
    expect(after.status).toBe(to);
    expect(after.attention !== undefined).toBe(attention);
    expect((await w.store.get(order.orderNo))?.status).toBe(to);
    // Every question asked is a provider_query line.
    expect(after.timeline?.some((l) => l.type === 'provider_query' && l.detail.outcome === outcome)).toBe(true);
  });

  it.each([
    ['amount', { amount: 999, currency: 'NZD' }],
    ['currency', { amount: 1000, currency: 'AUD' }],
  ] as const)('a paid answer for another %s is never applied', async (_what, amount) => {
    const w = makeWorld({ store: storeKind });
    const order = await w.order('PAYING');
    w.provider.queryAnswers.push({ outcome: 'paid', summary: 'paid', amount: amount as never });
    const after = await w.service.settlement.settleByQuery((await w.store.get(order.orderNo))!, 'test');
    expect(after.status).toBe('PAYING');
    expect(after.attention).toMatch(/does not match/);
  });

  it('an uncertain answer past expiry never closes the order; a documented "not paid" does', async () => {
    const w = makeWorld({ store: storeKind });
    const a = await w.order('PAYING');
    const b = await w.order('PAYING');
    w.clock.now += 31 * 60_000;
    w.provider.queryAnswers.push({ outcome: 'uncertain', summary: 'status "COMPLETE" is not documented', code: 'COMPLETE' });
    w.provider.queryAnswers.push({ outcome: 'pending', summary: 'NOTPAY', code: 'NOTPAY' });
    expect((await w.service.settlement.settleByQuery((await w.store.get(a.orderNo))!, 'test')).status).toBe('PAYING');
    const closed = await w.service.settlement.settleByQuery((await w.store.get(b.orderNo))!, 'test');
    expect(closed).toMatchObject({ status: 'CLOSED', statusReason: 'expired before payment' });
    // Still asked about for a day: a late payment wins.
    expect(closed.check?.at).toBeDefined();
  });

  it('a thrown query (no answer) is uncertain: nothing changes, the next check backs off, and past its bound a person is asked once', async () => {
    const w = makeWorld({ store: storeKind });
    const order = await w.order('PAYING', { check: { at: 0, attempt: 0, until: 1_800_000_000_000 + 30 * 60_000 } });
    w.provider.queryAnswers.push(new Error('socket hang up'));
    let after = await w.service.settlement.settleByQuery((await w.store.get(order.orderNo))!, 'test');
    expect(after).toMatchObject({ status: 'PAYING' });
    expect(after.check?.at).toBe(w.clock.now + 60_000);
    for (let i = 0; i < 6; i++) {
      w.clock.now = after.check?.at ?? w.clock.now + 3_600_000;
      w.provider.queryAnswers.push({ outcome: 'uncertain', summary: 'unreadable' });
      after = await w.service.settlement.settleByQuery(after, 'test');
    }
    expect(after.status).toBe('PAYING');
    expect(after.check?.at).toBeUndefined();
    expect(after.attention).toMatch(/no final answer/);
  });

  it('a shopper’s refresh asks the provider at most once per 10 s, and writes nothing when it does not ask', async () => {
    const w = makeWorld({ store: storeKind });
    const order = await w.order('PAYING');
    for (let i = 0; i < 20; i++) w.provider.queryAnswers.push({ outcome: 'pending', summary: 'NOTPAY', code: 'NOTPAY' });
    const start = (await w.store.get(order.orderNo))!;
    // 1,000 calls over 9.99 s: one question.
    for (let i = 0; i < 1000; i++) {
      await w.service.orders.query('oShopper', order.orderNo, true);
      w.clock.now += 9;
    }
    const asked = w.provider.calls.filter((c) => c.method === 'queryPayment').length;
    expect(asked).toBe(1);
    w.clock.now += 10_000;
    await Promise.all(Array.from({ length: 20 }, () => w.service.orders.query('oShopper', order.orderNo, true)));
    expect(w.provider.calls.filter((c) => c.method === 'queryPayment').length).toBe(2);
    const after = (await w.store.get(order.orderNo))!;
    expect((after.timeline?.length ?? 0) - (start.timeline?.length ?? 0)).toBeLessThanOrEqual(2);
  });
});
