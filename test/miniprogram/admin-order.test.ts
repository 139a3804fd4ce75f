/**
 * @jest-environment jsdom
 */
import { ADMIN_ORDER, adminOrder, flush, installAdminWx, publicRefund, renderPage, tap, text, texts, type AdminWx } from './admin-wx';
import { adminMessages, fill } from '../../miniprogram/services/admin-messages';

const en = adminMessages('en');
const zh = adminMessages('zh_CN');
const ORDER_NO = '20261202000000000001';

const TIMELINE = [
  { at: new Date(2026, 11, 2, 9, 5, 7).getTime(), type: 'created', detail: { amount: 2000, currency: 'NZD' } },
  { at: new Date(2026, 11, 2, 9, 6, 0).getTime(), type: 'status_changed', detail: { from: 'PAYING', to: 'PAID', source: 'notification' } },
  { at: new Date(2026, 11, 2, 9, 6, 1).getTime(), type: 'something_new', detail: {} },
];

/**
 * A scripted admin function holding one order: 2000 NZD paid, 500 refunded, 300 pending, so
 * 1200 remains. `refund` answers with `onRefund` (default: SUCCEEDED, the order updated).
 */
function serve(wx: AdminWx, options: { order?: Record<string, any>; refunds?: Record<string, any>[]; onRefund?: (e: Record<string, any>) => any } = {}) {
  const state = {
    order: options.order ?? adminOrder({ status: 'PARTIALLY_REFUNDED', refundedAmount: 500 }),
    refunds: options.refunds ?? [publicRefund(), publicRefund({ refundNo: 'RPENDING00000000001', amount: 300, status: 'PENDING', settledAt: undefined })],
  };
  wx.admin.mockImplementation(async (e) => {
    if (e.action === 'getOrder') {
      return e.orderNo === state.order.orderNo ? { ok: true, order: state.order, refunds: state.refunds, timeline: TIMELINE } : { ok: false, error: { code: 'NOT_FOUND', message: 'no such order' } };
    }
    if (e.action === 'refund') {
      if (options.onRefund) {
        const reply = options.onRefund(e);
        if (reply) return reply;
      }
      const refund = publicRefund({ refundNo: e.refundNo, amount: e.amount, reason: e.reason, status: 'SUCCEEDED' });
      state.refunds = [refund, ...state.refunds];
      state.order = { ...state.order, refundedAmount: (state.order.refundedAmount ?? 0) + e.amount };
      return { ok: true, refund, order: state.order };
    }
    if (e.action === 'resolveRefund') {
      const refund: Record<string, any> = { ...state.refunds.find((r) => r.refundNo === e.refundNo)!, status: e.outcome === 'succeeded' ? 'SUCCEEDED' : 'FAILED', settledAt: Date.now() };
      delete refund.attention;
      state.refunds = state.refunds.map((r) => (r.refundNo === e.refundNo ? refund : r));
      if (e.outcome === 'succeeded') state.order = { ...state.order, refundedAmount: state.order.refundedAmount + refund.amount };
      return { ok: true, refund, order: state.order };
    }
    if (e.action === 'queryRefund') {
      const refund: Record<string, any> = { ...state.refunds.find((r) => r.refundNo === e.refundNo)!, status: 'SUCCEEDED', settledAt: Date.now() };
      state.refunds = state.refunds.map((r) => (r.refundNo === e.refundNo ? refund : r));
      state.order = { ...state.order, refundedAmount: state.order.refundedAmount + refund.amount };
      return { ok: true, refund, order: state.order };
    }
    return { ok: false, error: { code: 'INVALID_INPUT', message: 'unexpected', field: 'action' } };
  });
  return state;
}

describe('operator order detail and refund sheet', () => {
  let wx: AdminWx;
  let page: any;

  async function open(orderNo = ORDER_NO): Promise<void> {
    jest.resetModules(); // simulate.load re-runs the page module; jest caches it otherwise
    page = renderPage(ADMIN_ORDER);
    await page.instance.onLoad({ orderNo });
    await flush();
  }

  async function typeAmount(value: string): Promise<void> {
    page.querySelector('.amount-input').dispatchEvent('input', { detail: { value } });
    await flush();
  }

  const field = (key: string) => text(page, `.field-${key} .value`);

  beforeEach(() => {
    wx = installAdminWx();
  });

  it('shows the order, its refunds and its timeline', async () => {
    serve(wx);
    await open();
    expect(wx.events('getOrder')[0]).toEqual({ action: 'getOrder', orderNo: ORDER_NO, code: expect.stringMatching(/^test-operator-/) });
    expect(wx.titles).toEqual([en.orderTitle]);
    expect(field('status')).toBe(en.status_PARTIALLY_REFUNDED);
    expect(field('amount')).toBe('NZ$20.00');
    expect(field('refunded')).toBe('NZ$5.00');
    expect(field('remaining')).toBe('NZ$12.00'); // 2000 − 500 refunded − 300 pending
    expect(field('payer')).toBe('o***9');
    expect(field('providerRef')).toBe('LP-123');
    expect(texts(page, '.refund-amount')).toEqual(['NZ$5.00', 'NZ$3.00']);
    expect(texts(page, '.refund-status')).toEqual([en.refund_SUCCEEDED, en.refund_PENDING]);
    expect(page.querySelectorAll('.check-status')).toHaveLength(1); // only the PENDING one
    expect(texts(page, '.line-title')).toEqual([en.line_created, en.line_status_changed, 'something_new']);
    expect(texts(page, '.line-detail')).toEqual(['amount: NZ$20.00', 'from: Awaiting payment · to: Paid · source: provider notification']);
    expect(texts(page, '.line-time')[0]).toBe('2026-12-02 09:05:07');
    expect(text(page, '.refund-button')).toBe(en.refundButton);
  });

  it('the sheet opens prefilled with what remains and asks for confirmation before refunding', async () => {
    const state = serve(wx);
    await open();
    await tap(page, '.refund-button');
    expect(page.querySelector('.sheet')).toBeTruthy();
    expect(page.data.amountText).toBe('12.00');
    expect(text(page, '.amount-hint')).toBe('At most NZ$12.00.');
    expect(text(page, '.sheet-title')).toBe(en.sheetTitle);

    await typeAmount('7.5');
    await tap(page, '.sheet-continue');
    expect(text(page, '.sheet-title')).toBe(en.confirmTitle);
    expect(text(page, '.confirm-text')).toBe(fill(en.confirmText, { amount: 'NZ$7.50', orderNo: ORDER_NO }));
    expect(wx.events('refund')).toHaveLength(0); // nothing sent before the confirmation

    await tap(page, '.sheet-confirm');
    const [event] = wx.events('refund');
    expect(event).toEqual({ action: 'refund', orderNo: ORDER_NO, amount: 750, refundNo: expect.stringMatching(/^R[0-9A-Z]{19}$/), code: expect.stringMatching(/^test-operator-/) });
    expect(page.querySelector('.sheet')).toBeFalsy();
    expect(text(page, '.notice')).toBe(fill(en.refundSucceeded, { amount: 'NZ$7.50' }));
    expect(field('refunded')).toBe('NZ$12.50');
    expect(field('remaining')).toBe('NZ$4.50');
    expect(texts(page, '.refund-amount')[0]).toBe('NZ$7.50');
    expect(state.refunds).toHaveLength(3);
    expect(wx.events('getOrder')).toHaveLength(2); // reloaded for the timeline's new lines
  });

  it('Back on the confirmation returns to the amount; a reason is sent when given', async () => {
    serve(wx);
    await open();
    await tap(page, '.refund-button');
    await tap(page, '.sheet-continue');
    await tap(page, '.sheet-back');
    expect(page.data.step).toBe('edit');
    page.querySelector('.reason-input').dispatchEvent('input', { detail: { value: '  damaged cup ' } });
    await flush();
    await tap(page, '.sheet-continue');
    await tap(page, '.sheet-confirm');
    expect(wx.events('refund')[0]).toMatchObject({ amount: 1200, reason: 'damaged cup' });
  });

  it.each([
    ['', en.amountEmpty],
    ['abc', fill(en.amountFormat, { example: '12.50' })],
    ['-1', fill(en.amountFormat, { example: '12.50' })],
    ['1e3', fill(en.amountFormat, { example: '12.50' })],
    ['12.505', fill(en.amountDecimals, { currency: 'NZD', decimals: 2 })],
    ['0.00', en.amountZero],
    ['12.01', fill(en.amountTooMuch, { remaining: 'NZ$12.00' })],
  ])('amount %j is refused on the page with a clear message, nothing sent', async (input, message) => {
    serve(wx);
    await open();
    await tap(page, '.refund-button');
    await typeAmount(input);
    await tap(page, '.sheet-continue');
    expect(text(page, '.input-error')).toBe(message);
    expect(page.data.step).toBe('edit');
    expect(wx.events('refund')).toHaveLength(0);
  });

  it('LAK has no decimals: prefilled as a whole number, and decimals are refused', async () => {
    serve(wx, { order: adminOrder({ currency: 'LAK', amount: 75000, provider: 'newpay' }), refunds: [] });
    await open();
    await tap(page, '.refund-button');
    expect(page.data.amountText).toBe('75000');
    await typeAmount('100.5');
    await tap(page, '.sheet-continue');
    expect(text(page, '.input-error')).toBe(fill(en.amountNoDecimals, { currency: 'LAK' }));
    await typeAmount('25000');
    await tap(page, '.sheet-continue');
    await tap(page, '.sheet-confirm');
    expect(wx.events('refund')[0]).toMatchObject({ amount: 25000 });
  });

  it('REFUND_EXCEEDS_REMAINING: says so, goes back to the amount, reloads the order, and the next try has a new refundNo', async () => {
    let first = true;
    serve(wx, {
      onRefund: () => {
        if (!first) return undefined;
        first = false;
        return { ok: false, error: { code: 'REFUND_EXCEEDS_REMAINING', message: 'exceeds', field: 'amount' } };
      },
    });
    await open();
    await tap(page, '.refund-button');
    await tap(page, '.sheet-continue');
    await tap(page, '.sheet-confirm');
    expect(text(page, '.sheet-error')).toBe(en.errREFUND_EXCEEDS_REMAINING);
    expect(page.data.step).toBe('edit');
    expect(wx.events('getOrder')).toHaveLength(2);
    await typeAmount('1');
    await tap(page, '.sheet-continue');
    await tap(page, '.sheet-confirm');
    const [a, b] = wx.events('refund');
    expect(b.amount).toBe(100);
    expect(b.refundNo).not.toBe(a.refundNo);
    expect(page.querySelector('.sheet')).toBeFalsy();
  });

  it('INVALID_INPUT names the field in words', async () => {
    serve(wx, { onRefund: () => ({ ok: false, error: { code: 'INVALID_INPUT', message: 'amount must be an integer', field: 'amount' } }) });
    await open();
    await tap(page, '.refund-button');
    await tap(page, '.sheet-continue');
    await tap(page, '.sheet-confirm');
    expect(text(page, '.sheet-error')).toBe('The amount was refused by the server. Check it and try again.');
    expect(page.data.step).toBe('edit');
  });

  it('PROVIDER_ERROR shows the provider’s message and code', async () => {
    serve(wx, { onRefund: () => ({ ok: false, error: { code: 'PROVIDER_ERROR', message: 'insufficient merchant balance', providerCode: 'E105' } }) });
    await open();
    await tap(page, '.refund-button');
    await tap(page, '.sheet-continue');
    await tap(page, '.sheet-confirm');
    expect(text(page, '.sheet-error')).toBe(fill(en.errPROVIDER_ERROR, { message: 'insufficient merchant balance (E105)' }));
    expect(page.data.step).toBe('edit');
  });

  it('ORDER_NOT_REFUNDABLE closes the sheet, says why, and shows the order as it is now', async () => {
    const state = serve(wx, {
      onRefund: () => {
        state.order = { ...state.order, status: 'REFUNDED', refundedAmount: 2000 };
        state.refunds = [];
        return { ok: false, error: { code: 'ORDER_NOT_REFUNDABLE', message: 'refunded already' } };
      },
    });
    await open();
    await tap(page, '.refund-button');
    await tap(page, '.sheet-continue');
    await tap(page, '.sheet-confirm');
    expect(page.querySelector('.sheet')).toBeFalsy();
    expect(text(page, '.notice')).toBe(en.errORDER_NOT_REFUNDABLE);
    expect(field('status')).toBe(en.status_REFUNDED);
    expect(page.querySelector('.refund-button')).toBeFalsy();
  });

  it('a NETWORK failure, retried, sends the SAME refundNo (also after closing and reopening the sheet)', async () => {
    serve(wx);
    await open();
    await tap(page, '.refund-button');
    await typeAmount('3');
    await tap(page, '.sheet-continue');
    wx.failNext = 2;
    await tap(page, '.sheet-confirm');
    expect(text(page, '.sheet-error')).toBe(en.errNETWORK);
    expect(text(page, '.retry-note')).toBe(en.retryNote);
    expect(text(page, '.sheet-confirm')).toBe(en.retry);
    expect(page.querySelector('.sheet-back')).toBeFalsy(); // the amount cannot change under the same refundNo

    // The operator closes the sheet (the order reloads, still unreachable) and opens it again.
    await tap(page, '.sheet-cancel');
    expect(page.querySelector('.sheet')).toBeFalsy();
    await tap(page, '.refund-button');
    expect(page.data.step).toBe('confirm');
    expect(text(page, '.confirm-text')).toBe(fill(en.confirmText, { amount: 'NZ$3.00', orderNo: ORDER_NO }));

    await tap(page, '.sheet-confirm');
    const refunds = wx.events('refund');
    expect(refunds).toHaveLength(2);
    expect(refunds[1].refundNo).toBe(refunds[0].refundNo);
    expect(refunds[1].amount).toBe(300);
    expect(refunds[1].code).not.toBe(refunds[0].code); // a fresh login code each call
    expect(text(page, '.notice')).toBe(fill(en.refundSucceeded, { amount: 'NZ$3.00' }));

    // Settled: the next sheet is a new refund with a new refundNo.
    await tap(page, '.refund-button');
    expect(page.data.step).toBe('edit');
    await tap(page, '.sheet-continue');
    await tap(page, '.sheet-confirm');
    expect(wx.events('refund')[2].refundNo).not.toBe(refunds[0].refundNo);
  });

  it('a double tap on confirm sends one refund', async () => {
    serve(wx);
    await open();
    await tap(page, '.refund-button');
    await tap(page, '.sheet-continue');
    await Promise.all([page.instance.submit(), page.instance.submit(), page.instance.submit()]);
    expect(wx.events('refund')).toHaveLength(1);
  });

  it('a PENDING refund answered as pending says so; Check status asks queryRefund and shows the result', async () => {
    serve(wx, { onRefund: (e) => ({ ok: true, refund: publicRefund({ refundNo: e.refundNo, amount: e.amount, status: 'PENDING', settledAt: undefined }), order: adminOrder({ status: 'PARTIALLY_REFUNDED', refundedAmount: 500 }) }) });
    await open();
    await tap(page, '.check-status');
    expect(wx.events('queryRefund')[0]).toEqual({ action: 'queryRefund', refundNo: 'RPENDING00000000001', code: expect.stringMatching(/^test-operator-/) });
    expect(text(page, '.notice')).toBe(fill(en.refundSucceeded, { amount: 'NZ$3.00' }));
    expect(texts(page, '.refund-status')).toEqual([en.refund_SUCCEEDED, en.refund_SUCCEEDED]);
    expect(page.querySelector('.check-status')).toBeFalsy();
    expect(field('refunded')).toBe('NZ$8.00');

    await tap(page, '.refund-button');
    await typeAmount('1');
    await tap(page, '.sheet-continue');
    await tap(page, '.sheet-confirm');
    expect(text(page, '.notice')).toBe(fill(en.refundPending, { amount: 'NZ$1.00' }));
  });

  it('a PENDING refund that needs a person offers Settle by hand: a note is required, then resolveRefund settles it', async () => {
    serve(wx, { refunds: [publicRefund({ refundNo: 'RSTUCK000000000001', amount: 300, status: 'PENDING', settledAt: undefined, attention: 'confirm it in the portal' })] });
    await open();
    expect(page.querySelectorAll('.check-status')).toHaveLength(0);
    await tap(page, '.resolve-refund');
    expect(text(page, '.resolve-sheet .sheet-title')).toBe(en.resolveTitle);
    await tap(page, '.resolve-succeeded');
    expect(text(page, '.resolve-error')).toBe(en.resolveNoteRequired);
    expect(wx.admin.mock.calls.filter(([e]) => e.action === 'resolveRefund')).toHaveLength(0);
    page.querySelector('.resolve-note').dispatchEvent('input', { detail: { value: 'portal: refunded, ref 8841' } });
    await flush();
    await tap(page, '.resolve-succeeded');
    expect(wx.admin.mock.calls.filter(([e]) => e.action === 'resolveRefund').map(([e]) => [e.refundNo, e.outcome, e.note])).toEqual([['RSTUCK000000000001', 'succeeded', 'portal: refunded, ref 8841']]);
    expect(page.querySelector('.resolve-sheet')).toBeFalsy();
    expect(page.querySelectorAll('.resolve-refund')).toHaveLength(0);
  });

  it('an order that is not paid offers no refund and says why', async () => {
    serve(wx, { order: adminOrder({ status: 'PAYING', paidAt: undefined }), refunds: [] });
    await open();
    expect(page.querySelector('.refund-button')).toBeFalsy();
    expect(text(page, '.refund-blocked')).toBe(en.notRefundable);
    expect(text(page, '.no-refunds')).toBe(en.noRefunds);
    page.instance.openSheet();
    await flush();
    expect(page.querySelector('.sheet')).toBeFalsy();
  });

  it('a fully refunded order: nothing remains', async () => {
    serve(wx, { order: adminOrder({ status: 'PARTIALLY_REFUNDED', refundedAmount: 1700 }) });
    await open();
    expect(page.querySelector('.refund-button')).toBeFalsy();
    expect(text(page, '.refund-blocked')).toBe(en.nothingRemains);
  });

  it('FORBIDDEN shows "not allowed" and nothing of the order', async () => {
    wx.admin.mockResolvedValue({ ok: false, error: { code: 'FORBIDDEN', message: 'not an operator' } });
    await open();
    expect(text(page, '.forbidden')).toContain(en.forbiddenHint);
    for (const selector of ['.card', '.refund-button', '.retry', '.error', '.sheet']) expect(page.querySelector(selector)).toBeFalsy();
  });

  it('NOT_FOUND and network errors say what to do, with a retry', async () => {
    serve(wx);
    await open('nope');
    expect(text(page, '.error')).toBe(en.errNOT_FOUND);
    wx.failNext = 1;
    await open();
    expect(text(page, '.error')).toBe(en.errNETWORK);
    await tap(page, '.retry');
    expect(field('orderNo')).toBe(ORDER_NO);
  });

  it('in Chinese, the page, the sheet and the errors come from the zh_CN messages', async () => {
    wx.language = 'zh_CN';
    serve(wx, { onRefund: () => ({ ok: false, error: { code: 'REFUND_CONFLICT', message: 'conflict' } }) });
    await open();
    expect(wx.titles).toEqual([zh.orderTitle]);
    expect(text(page, '.field-status .label')).toBe(zh.fieldStatus);
    expect(field('status')).toBe(zh.status_PARTIALLY_REFUNDED);
    expect(texts(page, '.section-title')).toEqual([zh.items, zh.refunds, zh.timeline]);
    expect(texts(page, '.line-title').slice(0, 2)).toEqual([zh.line_created, zh.line_status_changed]);
    expect(text(page, '.check-status')).toBe(zh.checkStatus);
    await tap(page, '.refund-button');
    expect(text(page, '.sheet-title')).toBe(zh.sheetTitle);
    expect(texts(page, '.sheet .label')).toEqual(['金额（NZD）', zh.reasonLabel]);
    expect(text(page, '.sheet-continue')).toBe(zh.continue);
    await typeAmount('1.234');
    await tap(page, '.sheet-continue');
    expect(text(page, '.input-error')).toBe('NZD 最多 2 位小数。');
    await typeAmount('1');
    await tap(page, '.sheet-continue');
    expect(text(page, '.confirm-text')).toBe(`确定向订单 ${ORDER_NO} 的付款人退款 NZ$1.00？退款后无法撤回。`);
    expect(text(page, '.sheet-confirm')).toBe(zh.confirm);
    await tap(page, '.sheet-confirm');
    expect(text(page, '.sheet-error')).toBe(zh.errREFUND_CONFLICT);
  });

  it('in English, the sheet’s words come from the en messages', async () => {
    serve(wx);
    await open();
    await tap(page, '.refund-button');
    expect(texts(page, '.sheet .label')).toEqual(['Amount (NZD)', en.reasonLabel]);
    expect(text(page, '.sheet-cancel')).toBe(en.cancel);
    await tap(page, '.sheet-continue');
    expect(text(page, '.sheet-back')).toBe(en.back);
    expect(text(page, '.sheet-confirm')).toBe(en.confirm);
  });
});
