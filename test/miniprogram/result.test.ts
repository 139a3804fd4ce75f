/**
 * @jest-environment jsdom
 */
import simulate from 'miniprogram-simulate';
import { loadPage, tapText } from './load-page';
import { catalogReply, flush, installWxMock, type WxMock } from './wx-mock';

// Must match miniprogram/pages/result/index.ts and services/poller.ts.
const MAX_POLLS = 8;
const WAITS = [1000, 2000, 3000, 5000, 8000, 8000, 8000, 8000];
/** Lets the page make `asks` more asks, one back-off wait at a time, from ask number `from`. */
async function waitThrough(asks: number, from = 0) {
  for (let i = from; i < from + asks; i++) await jest.advanceTimersByTimeAsync(WAITS[i]!);
}

function order(status: string, extra: Record<string, unknown> = {}) {
  return {
    orderNo: '1',
    status,
    amount: 75000,
    currency: 'LAK',
    description: 'Coffee',
    provider: 'newpay',
    items: [{ sku: 'coffee', name: 'Flat white', quantity: 1, unitPrice: 75000 }],
    createdAt: 0,
    expiresAt: Date.now() + 3_600_000,
    ...extra,
  };
}

describe('result page', () => {
  let wx: WxMock;
  let page: any;
  let statuses: string[];

  beforeEach(() => {
    jest.useFakeTimers();
    wx = installWxMock();
    statuses = ['PAID'];
    wx.backend.mockImplementation(async (event) => {
      if (event.action === 'catalog') return catalogReply({ name: 'newpay', needsPayCode: true }, 'LAK', 0);
      if (event.action === 'queryOrder') return { ok: true, order: order(statuses.length > 1 ? statuses.shift()! : statuses[0]!) };
      return { ok: false, error: { code: 'INVALID_INPUT', message: 'unexpected' } };
    });
    jest.resetModules(); // simulate.load re-runs the page module; jest caches it otherwise
    page = simulate.render(loadPage('pages/result/index'));
    page.attach(document.createElement('parent-wrapper'));
  });
  afterEach(() => {
    page.instance.onUnload();
    jest.useRealTimers();
  });

  const queries = () => wx.backend.mock.calls.map((c) => c[0]).filter((e) => e.action === 'queryOrder');
  const text = () => page.dom.textContent as string;

  it('shows PAID, asked of the server, with the amount in the currency’s decimals', async () => {
    await page.instance.onLoad({ orderNo: '1', outcome: 'ok' });
    expect(page.data.view).toBe('paid');
    expect(page.data.amountText).toBe('₭75,000');
    expect(text()).toContain('Payment successful');
    expect(text()).toContain('Back to shop');
    expect(queries()).toHaveLength(1);
    expect(wx.calls.titles).toEqual(['Payment result']);
  });

  it('polls until the notification arrives, asking the provider once it is late (fake timers, no waiting)', async () => {
    statuses = ['PAYING', 'PAYING', 'PAYING', 'PAYING', 'PAYING', 'PAID'];
    const done = page.instance.onLoad({ orderNo: '1', outcome: 'ok' });
    await flush(60);
    expect(page.data.view).toBe('confirming');
    expect(text()).toContain('Confirming your payment…');
    await done;
    // The waits grow: nothing is asked before the first second is over.
    await jest.advanceTimersByTimeAsync(999);
    expect(queries()).toHaveLength(1);
    await waitThrough(5);
    expect(page.data.view).toBe('paid');
    const events = queries();
    expect(events).toHaveLength(6);
    expect(events[0]).toMatchObject({ action: 'queryOrder', orderNo: '1', refresh: false });
    expect(events.at(-1)).toMatchObject({ refresh: true });
    for (const e of events) expect(e.code).toMatch(/^test-devtools-/);
  });

  it('after the last poll: still confirming, with "check again" and "my orders"', async () => {
    statuses = ['PAYING'];
    await page.instance.onLoad({ orderNo: '1', outcome: 'ok' });
    await waitThrough(MAX_POLLS - 1);
    expect(queries()).toHaveLength(MAX_POLLS);
    expect(page.data.view).toBe('still');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(queries()).toHaveLength(MAX_POLLS); // stopped
    expect(text()).toContain('Still confirming');
    await tapText(page, 'My orders');
    expect(wx.calls.redirectTo).toEqual(['/pages/orders/index']);
    statuses = ['PAID'];
    await tapText(page, 'Check again');
    expect(page.data.view).toBe('paid');
    await tapText(page, 'Order details');
    expect(wx.calls.redirectTo.at(-1)).toBe('/pages/order/index?orderNo=1');
  });

  it('cancelled and failed look different, and both offer to pay again', async () => {
    statuses = ['PAYING'];
    await page.instance.onLoad({ orderNo: '1', outcome: 'cancel' });
    const cancelled = { view: page.data.view, theme: page.data.theme, title: page.data.title };
    expect(text()).toContain('Pay again');
    await page.instance.onLoad({ orderNo: '1', outcome: 'fail' });
    expect(cancelled).toEqual({ view: 'cancelled', theme: 'default', title: 'Payment cancelled' });
    expect({ view: page.data.view, theme: page.data.theme, title: page.data.title }).toEqual({ view: 'failed', theme: 'error', title: 'Payment failed' });
    expect(text()).toContain('Pay again');
  });

  it('an unpaid order opened from My orders offers Pay now', async () => {
    statuses = ['PAYING'];
    await page.instance.onLoad({ orderNo: '1' });
    expect(page.data.view).toBe('unpaid');
    expect(text()).toContain('Pay now');
  });

  it('says in Chinese what happened on a Chinese phone', async () => {
    wx.language = 'zh_CN';
    statuses = ['PAYING'];
    await page.instance.onLoad({ orderNo: '1', outcome: 'cancel' });
    expect(text()).toContain('支付已取消');
    expect(text()).toContain('没有扣款'); // said once the server says the order is not paid
    expect(text()).toContain('重新支付');
    expect(text()).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('a backend it cannot reach: says so after polling, and offers to check again', async () => {
    wx.networkDown = true;
    await page.instance.onLoad({ orderNo: '1', outcome: 'ok' });
    await waitThrough(MAX_POLLS - 1);
    expect(page.data.view).toBe('error');
    expect(page.data.title).toBe('Network problem');
    expect(text()).toContain('Could not reach the shop');
    expect(text()).toContain('Check again');
  });

  it('an order that is not the shopper’s: not found, no polling', async () => {
    wx.backend.mockImplementation(async (event) =>
      event.action === 'catalog' ? catalogReply({ name: 'newpay' }, 'LAK', 0) : { ok: false, error: { code: 'NOT_FOUND', message: 'x' } },
    );
    await page.instance.onLoad({ orderNo: '1', outcome: 'ok' });
    expect(queries()).toHaveLength(1);
    expect(page.data.view).toBe('notfound');
    expect(text()).toContain('Order not found');
    expect(text()).toContain('My orders');
    expect(text()).toContain('Back to shop');
  });

  it('after a cancel it says nothing about the money until the server answers; a network error names the network', async () => {
    wx.networkDown = true;
    await page.instance.onLoad({ orderNo: '1', outcome: 'cancel' });
    expect(page.data.view).toBe('error');
    expect(page.data.title).toBe('Network problem');
    expect(text()).not.toContain('No money was taken');
    expect(text()).not.toContain('no money was taken');
  });

  it('after 5 s of confirming, My orders appears', async () => {
    statuses = ['PAYING'];
    await page.instance.onLoad({ orderNo: '1', outcome: 'ok' });
    expect(text()).not.toContain('My orders');
    await jest.advanceTimersByTimeAsync(5000);
    expect(page.data.view).toBe('confirming');
    expect(text()).toContain('My orders');
  });

  it('asks nothing while the page is hidden, and asks at once when it shows again', async () => {
    statuses = ['PAYING'];
    await page.instance.onLoad({ orderNo: '1', outcome: 'ok' });
    page.instance.onHide();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(queries()).toHaveLength(1);
    statuses = ['PAID'];
    await page.instance.onShow();
    expect(queries()).toHaveLength(2);
    expect(page.data.view).toBe('paid');
  });

  it('stops asking when the page is unloaded', async () => {
    statuses = ['PAYING'];
    await page.instance.onLoad({ orderNo: '1', outcome: 'ok' });
    page.instance.onUnload();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(queries()).toHaveLength(1);
  });

  it('CLOSED and REFUNDED are final', async () => {
    statuses = ['CLOSED'];
    await page.instance.onLoad({ orderNo: '1', outcome: 'ok' });
    expect(page.data.view).toBe('closed');
    expect(text()).toContain('Order again from the shop');
    statuses = ['REFUNDED'];
    await page.instance.onLoad({ orderNo: '1', outcome: 'ok' });
    expect(page.data.view).toBe('refunded');
  });
});
