/**
 * @jest-environment jsdom
 */
import path from 'node:path';
import simulate from 'miniprogram-simulate';
import { installWxMock, until, type WxMock } from './wx-mock';

const RESULT = path.resolve(__dirname, '../../miniprogram/pages/result/index');

function order(status: string) {
  return { ok: true, order: { orderNo: '1', status, amount: 75000, currency: 'LAK', description: 'Coffee', provider: 'newpay', createdAt: 0 } };
}

describe('result page', () => {
  let wx: WxMock;
  let page: any;

  beforeEach(() => {
    jest.useFakeTimers({ advanceTimers: true });
    wx = installWxMock();
    jest.resetModules(); // simulate.load re-runs the page module; jest caches it otherwise
    page = simulate.render(simulate.load(RESULT));
    page.attach(document.createElement('parent-wrapper'));
  });
  afterEach(() => {
    page.instance.onUnload();
    jest.useRealTimers();
  });

  it('shows PAID with the amount formatted for LAK', async () => {
    wx.backend.mockResolvedValue(order('PAID'));
    await page.instance.onLoad({ orderNo: '1', outcome: 'ok' });
    expect(page.data.status).toBe('PAID');
    expect(page.data.amountText).toBe('₭75,000');
    expect(page.querySelector('.status').dom.textContent).toBe('Paid. Thank you!');
    expect(page.querySelector('.back')).toBeTruthy();
  });

  it('polls until the notification arrives, asking the provider once it is late', async () => {
    const statuses = ['PAYING', 'PAYING', 'PAYING', 'PAYING', 'PAYING', 'PAID'];
    wx.backend.mockImplementation(async () => order(statuses.shift() ?? 'PAID'));
    const done = page.instance.onLoad({ orderNo: '1', outcome: 'ok' });
    await until(() => page.data.status === 'PAID', 20000);
    await done;
    const events = wx.backend.mock.calls.map((c) => c[0]);
    expect(events[0]).toMatchObject({ action: 'queryOrder', orderNo: '1', refresh: false });
    expect(events.some((e) => e.refresh === true)).toBe(true);
    for (const e of events) expect(e.code).toMatch(/^test-devtools-/);
  });

  it('after cancel says so and keeps the order open', async () => {
    wx.backend.mockResolvedValue(order('PAYING'));
    void page.instance.onLoad({ orderNo: '1', outcome: 'cancel' });
    await until(() => page.data.status === 'PAYING');
    expect(page.data.text).toBe('Payment cancelled. You can pay again.');
    expect(page.data.final).toBe(false);
  });

  it('shows a clear message when the backend cannot be reached', async () => {
    wx.networkDown = true;
    void page.instance.onLoad({ orderNo: '1', outcome: 'ok' });
    await until(() => page.data.text === 'Network problem. Check your connection and try again.');
  });

  it('shows FAILED and CLOSED as final', async () => {
    wx.backend.mockResolvedValue(order('CLOSED'));
    await page.instance.onLoad({ orderNo: '1', outcome: 'ok' });
    expect(page.data.final).toBe(true);
    expect(page.data.text).toBe('This order was closed without payment.');
  });
});
