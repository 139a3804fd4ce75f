/**
 * @jest-environment jsdom
 */
import path from 'node:path';
import simulate from 'miniprogram-simulate';
import { installWxMock, type WxMock } from './wx-mock';

const ORDERS = path.resolve(__dirname, '../../miniprogram/pages/orders/index');

function order(orderNo: string, status: string, amount: number, currency: string, createdAt: number, provider = 'latipay') {
  return { orderNo, status, amount, currency, provider, description: `Order ${orderNo}`, createdAt, expiresAt: createdAt + 1800000 };
}

describe('orders page', () => {
  let wx: WxMock;
  let page: any;

  beforeEach(() => {
    wx = installWxMock();
    jest.resetModules(); // simulate.load re-runs the page module; jest caches it otherwise
    page = simulate.render(simulate.load(ORDERS));
    page.attach(document.createElement('parent-wrapper'));
  });

  it('lists the shopper’s orders newest first with status and formatted amounts', async () => {
    const t = new Date(2026, 10, 21, 9, 5).getTime();
    wx.backend.mockResolvedValue({
      ok: true,
      orders: [
        order('A', 'PAID', 1100, 'NZD', t - 60000),
        order('C', 'PAYING', 1250000, 'LAK', t, 'newpay'),
        order('B', 'CLOSED', 475, 'CAD', t - 120000, 'ottpay'),
      ],
    });
    await page.instance.onLoad();
    const call = wx.backend.mock.calls[0]![0];
    expect(call).toMatchObject({ action: 'listOrders' });
    expect(call.code).toMatch(/^test-devtools-/);
    expect(page.data.loading).toBe(false);
    expect(page.data.orders.map((o: any) => [o.orderNo, o.amountText, o.statusText])).toEqual([
      ['C', '₭1,250,000', 'Awaiting payment'],
      ['A', 'NZ$11.00', 'Paid'],
      ['B', 'C$4.75', 'Closed'],
    ]);
    expect(page.data.orders[0].timeText).toBe('2026-11-21 09:05');
    const rows = page.querySelectorAll('.order');
    expect(rows).toHaveLength(3);
    expect(page.querySelectorAll('.amount')[0].dom.textContent).toBe('₭1,250,000');
    expect(page.querySelectorAll('.status')[0].dom.textContent).toBe('Awaiting payment');
    expect(page.querySelector('.empty')).toBeFalsy();
  });

  it('tapping an order opens its result page', async () => {
    wx.backend.mockResolvedValue({ ok: true, orders: [order('20261121000000000001', 'PAID', 550, 'NZD', 0)] });
    await page.instance.onLoad();
    page.querySelectorAll('.order')[0].dispatchEvent('tap');
    await simulate.sleep(0);
    expect(wx.calls.navigateTo).toEqual(['/pages/result/index?orderNo=20261121000000000001']);
  });

  it('says when there are no orders', async () => {
    wx.backend.mockResolvedValue({ ok: true, orders: [] });
    await page.instance.onLoad();
    expect(page.data.empty).toBe(true);
    expect(page.querySelector('.empty').dom.textContent).toBe('No orders yet.');
  });

  it('shows the network message, in Chinese on a Chinese phone, and can try again', async () => {
    wx.language = 'zh_CN';
    wx.networkDown = true;
    await page.instance.onLoad();
    expect(page.data.error).toBe('网络异常，请检查网络后重试。');
    expect(page.querySelector('.retry')).toBeTruthy();
    wx.networkDown = false;
    wx.backend.mockResolvedValue({ ok: true, orders: [order('A', 'PAID', 75000, 'LAK', 0, 'newpay')] });
    await page.instance.load();
    expect(page.data.error).toBe('');
    expect(page.data.orders[0]).toMatchObject({ amountText: '₭75,000', statusText: '已支付' });
  });

  it('a backend refusal (login) is shown, not thrown', async () => {
    wx.backend.mockResolvedValue({ ok: false, error: { code: 'LOGIN_CODE_USED', message: 'used' } });
    await page.instance.onLoad();
    expect(page.data.error).toBe('Could not sign you in to WeChat. Please try again.');
    expect(page.data.orders).toEqual([]);
  });
});
