/**
 * The settlement engine for refunds on both in-memory stores with a fake provider: only a
 * documented success or refusal settles a refund; anything else holds its amount (a second
 * refund of it is refused) until a query, a re-send, a signed report or a person settles it.
 */
import type { ProviderCapabilities } from '../../server/providers/descriptor';
import type { RefundOutcome } from '../../server/providers/outcomes';
import { makeWorld } from './fake-world';

type Row = [answer: RefundOutcome | 'throws', status: 'PENDING' | 'SUCCEEDED' | 'FAILED', refunded: number, remaining: number];

const ANSWER_TABLE: Row[] = [
  ['succeeded', 'SUCCEEDED', 1000, 0],
  ['refused', 'FAILED', 0, 1000],
  ['pending', 'PENDING', 0, 0],
  ['uncertain', 'PENDING', 0, 0],
  ['throws', 'PENDING', 0, 0],
];

const NO_QUERY_NO_RESEND: Partial<ProviderCapabilities> = { refundQuery: false, refundResend: false };

describe.each(['cloudbase', 'sqlite'] as const)('refunds on the %s store', (storeKind) => {
  it.each(ANSWER_TABLE)('the refund answer "%s" leaves it %s (refunded %d, remaining %d)', async (answer, status, refunded, remaining) => {
    const w = makeWorld({ store: storeKind });
    const order = await w.order('PAID');
    w.provider.refundAnswers.push(answer === 'throws' ? new Error('socket hang up') : { outcome: answer, summary: answer });
    // A final answer is confirmed by the refund query (which agrees here).
    if (answer === 'succeeded' || answer === 'refused') w.provider.refundQueryAnswers.push({ outcome: answer, summary: `query: ${answer}` });
    const { refund, order: after } = await w.service.refunds.refund({ orderNo: order.orderNo, amount: 1000 }, 'o***r');
    expect(refund.status).toBe(status);
    expect(after.refundedAmount ?? 0).toBe(refunded);
    expect(after.amount - (after.refundedAmount ?? 0) - (after.pendingRefundAmount ?? 0)).toBe(remaining);
    // Whatever the answer, the money can never be refunded twice.
    const second = w.service.refunds.refund({ orderNo: order.orderNo, amount: 1000 }, 'o***r');
    if (status === 'FAILED') {
      w.provider.refundAnswers.push({ outcome: 'succeeded', summary: 'ok' });
      w.provider.refundQueryAnswers.push({ outcome: 'succeeded', summary: 'query: ok' });
      await expect(second).resolves.toMatchObject({ refund: { status: 'SUCCEEDED' } });
    } else {
      await expect(second).rejects.toMatchObject({ code: 'REFUND_EXCEEDS_REMAINING' });
    }
  });

  it('an uncertain refund is settled by its query on the next check', async () => {
    const w = makeWorld({ store: storeKind });
    const order = await w.order('PAID');
    w.provider.refundAnswers.push({ outcome: 'uncertain', summary: 'HTML page' });
    const { refund } = await w.service.refunds.refund({ orderNo: order.orderNo, amount: 400 }, 'op');
    expect(refund.status).toBe('PENDING');
    w.clock.now += 60 * 60_000;
    w.provider.refundQueryAnswers.push({ outcome: 'succeeded', summary: 'SUCCESS', amount: { amount: 400, currency: 'NZD' } });
    const summary = await w.service.reconcile();
    expect(summary.refunds).toMatchObject({ checked: 1, succeeded: 1 });
    expect(await w.store.get(order.orderNo)).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 400 });
  });

  it('a refund whose answer was lost and whose query knows nothing is sent again with the same number (never two sends at once)', async () => {
    const w = makeWorld({ store: storeKind });
    const order = await w.order('PAID');
    w.provider.refundAnswers.push(new Error('socket hang up'));
    const { refund } = await w.service.refunds.refund({ orderNo: order.orderNo, amount: 300 }, 'op');
    w.clock.now += 60 * 60_000;
    w.provider.refundQueryAnswers.push({ outcome: 'uncertain', summary: 'no such refund', code: 'NOT_FOUND' });
    w.provider.refundAnswers.push({ outcome: 'succeeded', summary: 'ok' });
    w.provider.refundQueryAnswers.push({ outcome: 'succeeded', summary: 'SUCCESS' });
    await w.service.reconcile();
    expect(w.provider.calls.filter((c) => c.method === 'refund')).toEqual([
      { method: 'refund', args: { refundNo: refund.refundNo, resend: false } },
      { method: 'refund', args: { refundNo: refund.refundNo, resend: true } },
    ]);
    expect(await w.store.get(order.orderNo)).toMatchObject({ refundedAmount: 300 });
  });

  it('where the provider can neither be asked nor sent again, an uncertain refund goes to a person, who settles it', async () => {
    const w = makeWorld({ store: storeKind, capabilities: NO_QUERY_NO_RESEND });
    const order = await w.order('PAID');
    w.provider.refundAnswers.push({ outcome: 'uncertain', summary: 'code 562', code: '562' });
    const { refund, order: after } = await w.service.refunds.refund({ orderNo: order.orderNo, amount: 1000 }, 'op');
    expect(refund).toMatchObject({ status: 'PENDING' });
    expect(refund.attention).toMatch(/portal/);
    expect(after.attention).toMatch(/needs a person/);
    // Out of the automatic queue: reconcile asks nothing.
    w.clock.now += 3_600_000;
    await w.service.reconcile();
    expect(w.provider.calls.filter((c) => c.method !== 'refund')).toEqual([]);
    await expect(w.service.refunds.resolve({ refundNo: refund.refundNo, outcome: 'succeeded', note: 'portal says paid out' }, 'op')).resolves.toMatchObject({ refund: { status: 'SUCCEEDED' } });
    const settled = (await w.store.get(order.orderNo))!;
    expect(settled).toMatchObject({ status: 'REFUNDED', refundedAmount: 1000 });
    expect(settled.attention).toBeUndefined();
    expect(settled.timeline?.some((l) => l.type === 'admin' && l.detail.action === 'resolveRefund' && l.detail.note === 'portal says paid out')).toBe(true);
    await expect(w.service.refunds.resolve({ refundNo: refund.refundNo, outcome: 'failed', note: 'again' }, 'op')).rejects.toMatchObject({ code: 'REFUND_NOT_PENDING' });
  });

  it('a person may also settle it as failed: the amount is free again', async () => {
    const w = makeWorld({ store: storeKind, capabilities: NO_QUERY_NO_RESEND });
    const order = await w.order('PAID');
    w.provider.refundAnswers.push(new Error('timeout'));
    const { refund } = await w.service.refunds.refund({ orderNo: order.orderNo, amount: 1000 }, 'op');
    await w.service.refunds.resolve({ refundNo: refund.refundNo, outcome: 'failed', note: 'not in the portal' }, 'op');
    expect(await w.store.get(order.orderNo)).toMatchObject({ status: 'PAID' });
    w.provider.refundAnswers.push({ outcome: 'succeeded', summary: 'ok' });
    await expect(w.service.refunds.refund({ orderNo: order.orderNo, amount: 1000 }, 'op')).resolves.toMatchObject({ refund: { status: 'SUCCEEDED' } });
  });

  it('a signed success for a refund recorded FAILED is applied: the sums follow and the order is marked', async () => {
    const w = makeWorld({ store: storeKind });
    const order = await w.order('PAID');
    w.provider.refundAnswers.push({ outcome: 'refused', summary: 'Z00048', code: 'Z00048' });
    w.provider.refundQueryAnswers.push({ outcome: 'refused', summary: 'FAIL' });
    const { refund } = await w.service.refunds.refund({ orderNo: order.orderNo, amount: 250 }, 'op');
    expect(refund.status).toBe('FAILED');
    const { refund: after, order: o } = await w.service.refunds.applyReport(order.orderNo, refund.refundNo, { refundNo: refund.refundNo, outcome: 'succeeded', summary: 'callback: success' }, 'notification', { type: 'refund_notification', detail: {} }, w.service.deps.providers.require('fakepay'));
    expect(after.status).toBe('SUCCEEDED');
    expect(o).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 250 });
    expect(o.attention).toMatch(/recorded FAILED/);
  });

  it('a report for another amount never settles a refund and asks a person', async () => {
    const w = makeWorld({ store: storeKind });
    const order = await w.order('PAID');
    w.provider.refundAnswers.push({ outcome: 'succeeded', summary: 'ok', amount: { amount: 999, currency: 'NZD' } });
    const { refund, order: after } = await w.service.refunds.refund({ orderNo: order.orderNo, amount: 1000 }, 'op');
    expect(refund.status).toBe('PENDING');
    expect(after.attention).toMatch(/needs a person/);
  });

  it('the same refundNo again answers the same refund and moves it along; another amount is a conflict', async () => {
    const w = makeWorld({ store: storeKind });
    const order = await w.order('PAID');
    w.provider.refundAnswers.push({ outcome: 'uncertain', summary: 'busy' });
    await w.service.refunds.refund({ orderNo: order.orderNo, amount: 500, refundNo: 'RSAME1' }, 'op');
    w.clock.now += 60_000;
    w.provider.refundQueryAnswers.push({ outcome: 'succeeded', summary: 'SUCCESS' });
    await expect(w.service.refunds.refund({ orderNo: order.orderNo, amount: 500, refundNo: 'RSAME1' }, 'op')).resolves.toMatchObject({ refund: { status: 'SUCCEEDED' } });
    await expect(w.service.refunds.refund({ orderNo: order.orderNo, amount: 400, refundNo: 'RSAME1' }, 'op')).rejects.toMatchObject({ code: 'REFUND_CONFLICT' });
    const other = await w.order('PAID');
    await expect(w.service.refunds.refund({ orderNo: other.orderNo, amount: 500, refundNo: 'RSAME1' }, 'op')).rejects.toMatchObject({ code: 'REFUND_CONFLICT' });
  });

  it('of ten concurrent refunds of the whole amount exactly one is accepted', async () => {
    const w = makeWorld({ store: storeKind });
    const order = await w.order('PAID');
    for (let i = 0; i < 10; i++) w.provider.refundAnswers.push({ outcome: 'succeeded', summary: 'ok' });
    for (let i = 0; i < 10; i++) w.provider.refundQueryAnswers.push({ outcome: 'succeeded', summary: 'SUCCESS' });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => w.service.refunds.refund({ orderNo: order.orderNo, amount: 1000 }, 'op')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await w.store.get(order.orderNo)).toMatchObject({ status: 'REFUNDED', refundedAmount: 1000 });
  });

  it.each([
    ['succeeded', 'refused', 'FAILED'],
    ['refused', 'succeeded', 'SUCCEEDED'],
  ] as const)('an answer "%s" that its refund query contradicts ("%s") ends %s as the query says, marked for a person', async (answer, query, status) => {
    const w = makeWorld({ store: storeKind });
    const order = await w.order('PAID');
    w.provider.refundAnswers.push({ outcome: answer, summary: answer });
    w.provider.refundQueryAnswers.push({ outcome: query, summary: query });
    const { refund, order: after } = await w.service.refunds.refund({ orderNo: order.orderNo, amount: 600 }, 'op');
    expect(refund.status).toBe(status);
    expect(after.attention).toMatch(/its refund query says/);
    expect(after.refundedAmount ?? 0).toBe(status === 'SUCCEEDED' ? 600 : 0);
  });

  it('an answer the refund query cannot confirm yet holds the money until a later check settles it', async () => {
    const w = makeWorld({ store: storeKind });
    const order = await w.order('PAID');
    w.provider.refundAnswers.push({ outcome: 'succeeded', summary: 'SUCCESS' });
    w.provider.refundQueryAnswers.push({ outcome: 'pending', summary: 'PROCESSING' });
    const { refund, order: after } = await w.service.refunds.refund({ orderNo: order.orderNo, amount: 1000 }, 'op');
    expect(refund).toMatchObject({ status: 'PENDING', delivery: 'received' });
    await expect(w.service.refunds.refund({ orderNo: order.orderNo, amount: 1 }, 'op')).rejects.toMatchObject({ code: 'REFUND_EXCEEDS_REMAINING' });
    expect(after.pendingRefundAmount).toBe(1000);
    w.provider.refundQueryAnswers.push({ outcome: 'succeeded', summary: 'SUCCESS' });
    await w.service.reconcile();
    expect(await w.store.get(order.orderNo)).toMatchObject({ status: 'REFUNDED', refundedAmount: 1000 });
  });

  it('at most 50 refunds per order', async () => {
    const w = makeWorld({ store: storeKind, capabilities: { refundQuery: false } });
    const order = await w.order('PAID', { amount: 100 });
    for (let i = 0; i < 51; i++) w.provider.refundAnswers.push({ outcome: 'succeeded', summary: 'ok' });
    for (let i = 0; i < 50; i++) await w.service.refunds.refund({ orderNo: order.orderNo, amount: 1 }, 'op');
    await expect(w.service.refunds.refund({ orderNo: order.orderNo, amount: 1 }, 'op')).rejects.toMatchObject({ code: 'REFUND_LIMIT_REACHED' });
  });
});
