/** The refund state functions (server/domain/refund-state.ts), pure: accept, settle, hold. */
import type { Order } from '../../server/domain/order';
import type { Refund } from '../../server/domain/refund';
import { accept, hold, settle, type HoldContext } from '../../server/domain/refund-state';

const NOW = 1_800_000_000_000;
const order = (refunds: Refund[] = []): Order => ({ orderNo: 'O1', openid: 'o', provider: 'p', status: 'PAID', amount: 1000, currency: 'NZD', description: 'd', items: [], createdAt: 0, updatedAt: 0, expiresAt: 0, refunds });
const refund = (overrides: Partial<Refund> = {}): Refund => ({ refundNo: 'R1', orderNo: 'O1', provider: 'p', amount: 400, currency: 'NZD', status: 'PENDING', createdAt: NOW, updatedAt: NOW, ...overrides });
const ctx = (overrides: Partial<HoldContext> = {}): HoldContext => ({ providerName: 'P', canQuery: true, canResend: true, delivery: 'unconfirmed', source: 'answer', afterMs: 120_000, money: (a, c) => `${a} ${c}`, ...overrides });

describe('refund state', () => {
  it('accept holds the amount: what remains counts pending refunds, and a second refund of it is refused', () => {
    const first = accept(order(), refund(), {}, { type: 'refund_requested', detail: {} });
    expect(first.kind).toBe('accepted');
    const held = first.kind === 'accepted' ? first.change.order : order();
    expect(held).toMatchObject({ pendingRefundAmount: 400, status: 'PAID' });
    expect(accept(held, refund({ refundNo: 'R2', amount: 601 }), {}, { type: 'refund_requested', detail: {} })).toEqual({ kind: 'exceeds', remaining: 600 });
  });

  it('settle moves the sums and the status; a success overturns FAILED and marks the order', () => {
    const o = order([refund()]);
    const done = settle(o, 'R1', 'SUCCEEDED', NOW, 'query')!;
    expect(done.order).toMatchObject({ refundedAmount: 400, status: 'PARTIALLY_REFUNDED' });
    expect(done.order.pendingRefundAmount).toBeUndefined();
    const failed = settle(o, 'R1', 'FAILED', NOW, 'answer')!.order;
    expect(settle(failed, 'R1', 'FAILED', NOW, 'answer')).toBeNull();
    const late = settle(failed, 'R1', 'SUCCEEDED', NOW, 'notification')!;
    expect(late.order.attention).toMatch(/recorded FAILED/);
  });

  it('hold after an answer schedules the first check RECONCILE_AFTER_MINUTES later; after a check it backs off', () => {
    const first = hold(order([refund()]), refund(), NOW, ctx()).order.refunds![0]!;
    expect(first.check).toMatchObject({ at: NOW + 120_000, attempt: 0 });
    const checked = hold(order([first]), first, NOW + 120_000, ctx({ source: 'check' })).order.refunds![0]!;
    expect(checked.check).toMatchObject({ at: NOW + 120_000 + 60_000, attempt: 1 });
  });

  it('hold where nothing automatic can settle it asks a person at once, and takes it off the queue', () => {
    const change = hold(order([refund()]), refund(), NOW, ctx({ canQuery: false, canResend: false }));
    const r = change.order.refunds![0]!;
    expect(r.check).toBeUndefined();
    expect(r.attention).toMatch(/P's portal.*resolveRefund/);
    expect(change.order.attention).toMatch(/^refund R1 needs a person/);
    expect(change.lines.map((l) => l.type)).toEqual(['attention']);
  });

  it('hold past the check bound asks a person', () => {
    const r = refund({ check: { at: NOW, attempt: 9, until: NOW + 1 } });
    const after = hold(order([r]), r, NOW, ctx({ source: 'check' })).order.refunds![0]!;
    expect(after.check?.at).toBeUndefined();
    expect(after.attention).toMatch(/still not settled after 10 checks/);
  });
});
