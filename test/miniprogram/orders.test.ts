/**
 * @jest-environment jsdom
 */
import simulate from 'miniprogram-simulate';
import { loadPage, tapText } from './load-page';
import { catalogReply, installWxMock, type WxMock } from './wx-mock';

function order(orderNo: string, status: string, amount: number, currency: string, createdAt: number, provider = 'latipay') {
  return {
    orderNo,
    status,
    amount,
    currency,
    provider,
    description: `Order ${orderNo}`,
    items: [{ sku: 'coffee', name: 'Flat white', quantity: 2, unitPrice: 550 }],
    createdAt,
    expiresAt: Date.now() + 1_800_000,
  };
}

const CATALOG = {
  ...catalogReply({ name: 'latipay' }),
  providers: [
    { name: 'latipay', currencies: [{ code: 'NZD', decimals: 2 }], needsPayCode: false, canReissue: true, hasCashier: false, canQuery: true },
    { name: 'newpay', currencies: [{ code: 'LAK', decimals: 0 }], needsPayCode: true, canReissue: false, hasCashier: true, canQuery: false },
    { name: 'ottpay', currencies: [{ code: 'CAD', decimals: 2 }], needsPayCode: false, canReissue: false, hasCashier: false, canQuery: true },
  ],
};

describe('orders page', () => {
  let wx: WxMock;
  let page: any;
  let orders: unknown[];

  beforeEach(() => {
    wx = installWxMock();
    orders = [];
    wx.backend.mockImplementation(async (event) => {
      if (event.action === 'catalog') return CATALOG;
      if (event.action === 'listOrders') return { ok: true, orders: orders.slice(0, event.limit ?? 50) };
      if (event.action === 'retryPayment') return { ok: true, order: orders[0], payment: { timeStamp: '1', nonceStr: 'n', package: 'p', signType: 'MD5', paySign: 's' } };
      return { ok: false, error: { code: 'INVALID_INPUT', message: 'unexpected' } };
    });
    jest.resetModules(); // simulate.load re-runs the page module; jest caches it otherwise
    page = simulate.render(loadPage('pages/orders/index'));
    page.attach(document.createElement('parent-wrapper'));
  });

  const text = () => page.dom.textContent as string;

  it('lists the shopper’s orders newest first with status, names and amounts in each currency’s decimals', async () => {
    const t = new Date(2026, 10, 21, 9, 5).getTime();
    orders = [order('A', 'PAID', 1100, 'NZD', t - 60000), order('C', 'PAYING', 1250000, 'LAK', t, 'newpay'), order('B', 'CLOSED', 475, 'CAD', t - 120000, 'ottpay')];
    await page.instance.onLoad();
    const call = wx.backend.mock.calls.map((c) => c[0]).find((e) => e.action === 'listOrders');
    expect(call?.code).toMatch(/^test-devtools-/);
    expect(page.data.state).toBe('ready');
    expect(page.data.shown.map((o: any) => [o.orderNo, o.amountText, o.statusText, o.payable])).toEqual([
      ['C', '₭1,250,000', 'Awaiting payment', true],
      ['A', 'NZ$11.00', 'Paid', false],
      ['B', 'C$4.75', 'Closed', false],
    ]);
    expect(page.data.shown[0].timeText).toBe('2026-11-21 09:05');
    expect(page.data.shown[0].description).toBe('Flat white × 2');
    expect(text()).toContain('₭1,250,000');
    expect(wx.calls.titles).toEqual(['My orders']);
  });

  it('in Chinese on a Chinese phone', async () => {
    wx.language = 'zh_CN';
    orders = [order('A', 'PAID', 1100, 'NZD', 0)];
    await page.instance.onLoad();
    expect(page.data.shown[0].statusText).toBe('已支付');
    expect(page.data.shown[0].description).toBe('馥芮白 × 2');
  });

  it('refunded orders say how much came back, in both languages', async () => {
    orders = [{ ...order('R', 'PARTIALLY_REFUNDED', 1100, 'NZD', 2), refundedAmount: 500 }, { ...order('F', 'REFUNDED', 75000, 'LAK', 1, 'newpay'), refundedAmount: 75000 }];
    await page.instance.onLoad();
    expect(page.data.shown.map((o: any) => o.statusText)).toEqual(['Partly refunded · NZ$5.00 refunded', 'Refunded · ₭75,000 refunded']);
    wx.language = 'zh_CN';
    await page.instance.onLoad();
    expect(page.data.shown.map((o: any) => o.statusText)).toEqual(['部分退款 · 已退 NZ$5.00', '已退款 · 已退 ₭75,000']);
  });

  it('an unpaid order can be paid from the list, then its result page asks the server', async () => {
    orders = [order('A', 'PAYING', 1100, 'NZD', 0)];
    await page.instance.onLoad();
    await tapText(page, 'Pay');
    expect(wx.backend.mock.calls.map((c) => c[0]).find((e) => e.action === 'retryPayment')).toMatchObject({ orderNo: 'A' });
    expect(wx.calls.navigateTo).toEqual(['/pages/result/index?orderNo=A&outcome=ok']);
  });

  it('no orders: says so and leads back to the shop', async () => {
    await page.instance.onLoad();
    expect(page.data.state).toBe('empty');
    expect(text()).toContain('No orders yet');
    await tapText(page, 'Go shopping');
    expect(wx.calls.reLaunch).toEqual(['/pages/checkout/index']);
  });

  it('tapping an order opens its order page', async () => {
    orders = [order('A', 'PAID', 1100, 'NZD', 0)];
    await page.instance.onLoad();
    await tapText(page, 'Flat white × 2');
    expect(wx.calls.navigateTo).toEqual(['/pages/order/index?orderNo=A']);
  });

  it('filters by status, and loads 20 more at a time while the server has more', async () => {
    orders = Array.from({ length: 20 }, (_, i) => order(`P${i}`, i % 2 ? 'PAID' : 'PAYING', 1100, 'NZD', 100 - i));
    await page.instance.onLoad();
    expect(wx.backend.mock.calls.map((c) => c[0]).filter((e) => e.action === 'listOrders').at(-1)).toMatchObject({ limit: 20 });
    expect(page.data.shown).toHaveLength(20);
    const filter = (key: string) => page.instance.onFilter({ currentTarget: { dataset: { key } } });
    expect(page.data.filters.map((f: any) => f.label)).toEqual(['All', 'Unpaid', 'Paid', 'Refunds']);
    filter('paid');
    expect(page.data.shown.map((o: any) => o.status)).toEqual(Array(10).fill('PAID'));
    filter('unpaid');
    expect(page.data.shown).toHaveLength(10);
    expect(page.data.hasMore).toBe(true);
    orders = [...orders, order('Z', 'PAYING', 1100, 'NZD', 1)];
    await page.instance.loadMore();
    expect(wx.backend.mock.calls.map((c) => c[0]).filter((e) => e.action === 'listOrders').at(-1)).toMatchObject({ limit: 40 });
    expect(page.data.shown).toHaveLength(11);
    expect(page.data.hasMore).toBe(false);
    filter('refunds');
    expect(page.data.state).toBe('empty');
    expect(text()).toContain('No orders here');
  });

  it('a failure to load says why, with a retry that works', async () => {
    wx.networkDown = true;
    await page.instance.onLoad();
    expect(page.data.state).toBe('error');
    expect(text()).toContain('Could not reach the shop');
    wx.networkDown = false;
    orders = [order('A', 'PAID', 1100, 'NZD', 0)];
    await tapText(page, 'Try again');
    expect(page.data.state).toBe('ready');
  });
});
