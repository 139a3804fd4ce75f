/**
 * @jest-environment jsdom
 *
 * The shopper's order page (pages/order): the server's order with its items, refunds and
 * times; copy the order number; customer service; pay, cancel (asked first) and a countdown
 * for an unpaid order.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import simulate from 'miniprogram-simulate';
import { loadPage, MINIPROGRAM } from './load-page';
import { catalogReply, flush, installWxMock, type WxMock } from './wx-mock';

const NOW = new Date(2026, 10, 21, 14, 0).getTime();

function order(status: string, extra: Record<string, unknown> = {}) {
  return {
    orderNo: '20261121140000000001',
    status,
    amount: 1825,
    currency: 'NZD',
    provider: 'latipay',
    description: 'Flat white, Carrot cake',
    items: [
      { sku: 'coffee', name: 'Flat white', quantity: 2, unitPrice: 550 },
      { sku: 'cake', name: 'Carrot cake', quantity: 1, unitPrice: 725 },
    ],
    createdAt: NOW,
    expiresAt: NOW + 30 * 60_000,
    ...extra,
  };
}

describe('order page', () => {
  let wx: WxMock;
  let page: any;
  let current: Record<string, unknown>;
  let refunds: Record<string, unknown>[];

  beforeEach(() => {
    jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'queueMicrotask'] });
    wx = installWxMock();
    current = order('PAYING');
    refunds = [];
    wx.backend.mockImplementation(async (event) => {
      if (event.action === 'catalog') return catalogReply({ name: 'latipay' });
      if (event.action === 'queryOrder') return { ok: true, order: current, ...(refunds.length ? { refunds } : {}) };
      if (event.action === 'cancelOrder') return { ok: true, order: (current = { ...current, status: 'CLOSED', statusReason: 'cancelled by the shopper' }) };
      return { ok: false, error: { code: 'INVALID_INPUT', message: 'unexpected' } };
    });
    jest.resetModules();
    page = simulate.render(loadPage('pages/order/index'));
    page.attach(document.createElement('parent-wrapper'));
    (globalThis as any).wx.showToast = jest.fn();
  });
  afterEach(() => {
    page.instance.onUnload();
    jest.useRealTimers();
  });

  const text = () => page.dom.textContent as string;
  const events = (action: string) => wx.backend.mock.calls.map((c) => c[0]).filter((e) => e.action === action);

  it('shows the unpaid order: items, total, when it closes, and pay and cancel', async () => {
    await page.instance.onLoad({ orderNo: '20261121140000000001' });
    expect(events('queryOrder')[0]).toMatchObject({ orderNo: '20261121140000000001', refresh: false });
    expect(wx.calls.titles).toEqual(['Order details']);
    expect(page.data.items.map((i: any) => [i.name, i.quantityText, i.priceText])).toEqual([
      ['Flat white', '× 2', 'NZ$11.00'],
      ['Carrot cake', '× 1', 'NZ$7.25'],
    ]);
    expect(page.data.totalText).toBe('NZ$18.25');
    expect(page.data.statusText).toBe('Awaiting payment');
    expect(page.data.countdownText).toBe('Closes in 30:00 if not paid');
    await jest.advanceTimersByTimeAsync(61_000);
    expect(page.data.countdownText).toBe('Closes in 28:59 if not paid');
    expect(text()).toContain('Pay now');
    expect(text()).toContain('Cancel order');
    expect(text()).toContain('Contact customer service');
  });

  it('copies the order number', async () => {
    await page.instance.onLoad({ orderNo: '20261121140000000001' });
    expect(page.data.copyLabel).toBe('Copy order number 20261121140000000001');
    page.instance.copyOrderNo();
    expect(wx.api.setClipboardData).toHaveBeenCalledWith(expect.objectContaining({ data: '20261121140000000001' }));
  });

  it('cancel asks first; Keep order changes nothing; Cancel order closes it on the server', async () => {
    await page.instance.onLoad({ orderNo: '20261121140000000001' });
    page.instance.onCancel();
    await flush();
    expect(page.data.confirmCancel).toBe(true);
    expect(text()).toContain('Cancel this order?');
    page.instance.keepOrder();
    expect(events('cancelOrder')).toHaveLength(0);
    page.instance.onCancel();
    await page.instance.confirmCancelOrder();
    expect(events('cancelOrder')).toEqual([expect.objectContaining({ orderNo: '20261121140000000001' })]);
    expect(page.data.status).toBe('CLOSED');
    expect(page.data.payable).toBe(false);
    expect(page.data.countdownText).toBe('');
    expect(text()).not.toContain('Pay now');
  });

  it('a paid order: when it was paid, and each refund with its amount, time and status', async () => {
    current = order('PARTIALLY_REFUNDED', { paidAt: NOW + 60_000, refundedAmount: 550 });
    refunds = [
      { refundNo: 'R2', orderNo: 'x', amount: 300, currency: 'NZD', status: 'PENDING', createdAt: NOW + 7_200_000, updatedAt: NOW + 7_200_000 },
      { refundNo: 'R1', orderNo: 'x', amount: 550, currency: 'NZD', status: 'SUCCEEDED', createdAt: NOW + 3_600_000, updatedAt: NOW + 3_600_000, settledAt: NOW + 3_660_000 },
    ];
    await page.instance.onLoad({ orderNo: '20261121140000000001' });
    expect(page.data.paidText).toBe('2026-11-21 14:01');
    expect(page.data.statusText).toBe('Partly refunded · NZ$5.50 refunded');
    expect(page.data.refunds.map((r: any) => [r.amountText, r.statusText, r.timeText])).toEqual([
      ['NZ$3.00', 'Processing', '2026-11-21 16:00'],
      ['NZ$5.50', 'Refunded', '2026-11-21 15:01'],
    ]);
    expect(page.data.payable).toBe(false);
    expect(page.data.countdownText).toBe('');
    expect(text()).toContain('Contact customer service');
  });

  it('speaks Traditional Chinese on a Hong Kong phone', async () => {
    wx.language = 'zh_HK';
    await page.instance.onLoad({ orderNo: '20261121140000000001' });
    expect(wx.calls.titles).toEqual(['訂單詳情']);
    expect(page.data.statusText).toBe('待付款');
    expect(text()).toContain('聯絡客服');
    expect(text()).toContain('取消訂單');
  });

  it('not found: says so, with a retry and My orders', async () => {
    wx.backend.mockImplementation(async (event) => (event.action === 'catalog' ? catalogReply({ name: 'latipay' }) : { ok: false, error: { code: 'NOT_FOUND', message: 'x' } }));
    await page.instance.onLoad({ orderNo: '20261121140000000001' });
    expect(page.data.state).toBe('error');
    expect(page.data.errorTitle).toBe('Order not found');
    expect(text()).toContain('My orders');
  });

  it('in the cloud no wx.login is spent: the function knows the shopper', async () => {
    jest.resetModules();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { config } = require(path.join(MINIPROGRAM, 'config')) as { config: { backend: string } };
    config.backend = 'cloud';
    const calls: Record<string, unknown>[] = [];
    (globalThis as any).wx.cloud = {
      callFunction: jest.fn(async ({ data }: { data: Record<string, unknown> }) => {
        calls.push(data);
        return { result: data.action === 'catalog' ? catalogReply({ name: 'latipay' }) : { ok: true, order: current } };
      }),
    };
    page = simulate.render(loadPage('pages/order/index'));
    page.attach(document.createElement('parent-wrapper'));
    await page.instance.onLoad({ orderNo: '20261121140000000001' });
    expect(page.data.state).toBe('ready');
    expect(calls.find((c) => c.action === 'queryOrder')).not.toHaveProperty('code');
    expect(wx.api.login).not.toHaveBeenCalled();
  });

  it('the customer-service button is WeChat’s contact button', () => {
    const wxml = readFileSync(path.join(MINIPROGRAM, 'pages/order/index.wxml'), 'utf8');
    expect(wxml).toMatch(/<t-button[^>]*class="contact"[^>]*open-type="contact"/);
  });
});
