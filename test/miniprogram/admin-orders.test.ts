/**
 * @jest-environment jsdom
 */
import { ADMIN_ORDERS, adminOrder, miniConfig, flush, installAdminWx, renderPage, tap, text, texts, type AdminWx } from './admin-wx';
import { adminMessages } from '../../miniprogram/services/admin-messages';

const en = adminMessages('en');
const zh = adminMessages('zh_CN');

const CATALOG = {
  ok: true,
  currency: 'NZD',
  decimals: 2,
  items: [],
  providers: [
    { name: 'latipay', displayName: 'Latipay', currencies: [{ code: 'NZD', decimals: 2 }], needsPayCode: false, canReissue: true, hasCashier: false, canQuery: true },
    { name: 'ottpay', displayName: 'OTT Pay', currencies: [{ code: 'CAD', decimals: 2 }], needsPayCode: false, canReissue: false, hasCashier: false, canQuery: true },
  ],
};

function orders(prefix: string, n: number) {
  return Array.from({ length: n }, (_, i) => adminOrder({ orderNo: `${prefix}${i}`, amount: 1000 + i }));
}

describe('operator orders page', () => {
  let wx: AdminWx;
  let page: any;

  async function open(): Promise<void> {
    jest.resetModules(); // simulate.load re-runs the page module; jest caches it otherwise
    page = renderPage(ADMIN_ORDERS);
    await page.instance.onLoad();
    await flush();
  }

  beforeEach(() => {
    wx = installAdminWx();
    wx.pay.mockResolvedValue(CATALOG);
  });

  it('loads the first page as the local operator and shows each order', async () => {
    wx.admin.mockResolvedValue({
      ok: true,
      orders: [
        adminOrder({ orderNo: 'A1', amount: 1250000, currency: 'LAK', provider: 'newpay', status: 'PAYING' }),
        adminOrder({ orderNo: 'A2', status: 'PARTIALLY_REFUNDED', attention: 'paid after close' }),
      ],
    });
    await open();
    const [event] = wx.events('listOrders');
    expect(event).toEqual({ action: 'listOrders', limit: 20, code: expect.stringMatching(/^test-operator-/) });
    expect(texts(page, '.order-no')).toEqual(['A1', 'A2']);
    expect(texts(page, '.amount')).toEqual(['₭1,250,000', 'NZ$20.00']);
    expect(texts(page, '.provider')).toEqual(['newpay', 'Latipay']); // display names, as the server gave them
    expect(texts(page, '.status')).toEqual([en.status_PAYING, en.status_PARTIALLY_REFUNDED]);
    expect(texts(page, '.badge')).toEqual([en.attentionBadge]); // only the order marked for attention
    expect(page.querySelector('.load-more')).toBeFalsy();
    expect(text(page, '.no-more')).toBe(en.noMore);
    expect(wx.titles).toEqual([en.ordersTitle]);
  });

  it('each filter sends its event field, and the provider choices come from the server', async () => {
    wx.admin.mockResolvedValue({ ok: true, orders: [] });
    await open();
    expect(page.data.providerOptions).toEqual([en.filterAll, 'Latipay', 'OTT Pay']);
    expect(text(page, '.empty')).toContain(en.empty);
    expect(text(page, '.empty')).toContain(en.clearFilters);

    page.querySelector('.status-filter').dispatchEvent('change', { detail: { value: 1 } });
    await flush();
    expect(wx.events('listOrders').at(-1)).toMatchObject({ status: 'PAID' });
    expect(text(page, '.status-filter .filter-value')).toBe(en.status_PAID);

    page.querySelector('.provider-filter').dispatchEvent('change', { detail: { value: 2 } });
    await flush();
    expect(wx.events('listOrders').at(-1)).toMatchObject({ status: 'PAID', provider: 'ottpay' });

    await tap(page, '.attention-toggle');
    const last = wx.events('listOrders').at(-1)!;
    expect(last).toMatchObject({ status: 'PAID', provider: 'ottpay', attention: true });
    expect(last).not.toHaveProperty('cursor');
    expect(text(page, '.attention-toggle')).toBe(en.attentionAny);

    // Back to "All" everywhere: no filter field at all.
    page.querySelector('.status-filter').dispatchEvent('change', { detail: { value: 0 } });
    page.querySelector('.provider-filter').dispatchEvent('change', { detail: { value: 0 } });
    await flush();
    await tap(page, '.attention-toggle');
    expect(wx.events('listOrders').at(-1)).toEqual({ action: 'listOrders', limit: 20, code: expect.any(String) });
  });

  it('load more sends nextCursor with the same filters and appends, until there is no cursor', async () => {
    wx.admin.mockImplementation(async (e) => {
      if (!e.cursor) return { ok: true, orders: orders('P1-', 20), nextCursor: 'cursor-1' };
      if (e.cursor === 'cursor-1') return { ok: true, orders: orders('P2-', 3) };
      return { ok: false, error: { code: 'INVALID_INPUT', message: 'bad cursor', field: 'cursor' } };
    });
    await open();
    page.querySelector('.status-filter').dispatchEvent('change', { detail: { value: 1 } });
    await flush();
    expect(page.querySelectorAll('.order')).toHaveLength(20);
    expect(text(page, '.load-more')).toBe(en.loadMore);
    await tap(page, '.load-more');
    expect(wx.events('listOrders').at(-1)).toMatchObject({ status: 'PAID', cursor: 'cursor-1', limit: 20 });
    expect(page.querySelectorAll('.order')).toHaveLength(23);
    expect(texts(page, '.order-no').slice(19)).toEqual(['P1-19', 'P2-0', 'P2-1', 'P2-2']);
    expect(page.querySelector('.load-more')).toBeFalsy();
    expect(text(page, '.no-more')).toBe(en.noMore);
  });

  it('a load-more that fails keeps the rows and says why', async () => {
    wx.admin.mockResolvedValue({ ok: true, orders: orders('P1-', 2), nextCursor: 'c' });
    await open();
    wx.failNext = 1;
    await tap(page, '.load-more');
    expect(page.querySelectorAll('.order')).toHaveLength(2);
    expect(text(page, '.more-error')).toBe(en.errNETWORK);
    expect(page.querySelector('.load-more')).toBeTruthy();
  });

  it('FORBIDDEN: "not allowed", nothing of the shop’s orders, and a way out to the shop', async () => {
    wx.admin.mockResolvedValue({ ok: false, error: { code: 'FORBIDDEN', message: 'not an operator' } });
    await open();
    expect(text(page, '.forbidden')).toContain(en.forbiddenTitle);
    expect(text(page, '.forbidden')).toContain(en.forbiddenHint);
    for (const selector of ['.filters', '.order', '.retry', '.error', '.empty', '.load-more', '.loading']) {
      expect(page.querySelector(selector)).toBeFalsy();
    }
    await tap(page, '.back-to-shop');
    expect(wx.api.reLaunch).toHaveBeenCalledWith({ url: '/pages/checkout/index' });
  });

  it('FORBIDDEN with the caller\'s own openid: shows it to add to ADMIN_OPENIDS, and nothing else', async () => {
    wx.admin.mockResolvedValue({ ok: false, error: { code: 'FORBIDDEN', message: 'not an operator', openid: 'oNewOperator_0123456789' } });
    await open();
    expect(text(page, '.forbidden')).toContain(en.forbiddenHint);
    expect(text(page, '.your-openid .openid')).toBe('oNewOperator_0123456789');
    expect(text(page, '.your-openid')).toContain('ADMIN_OPENIDS');
    for (const selector of ['.filters', '.order', '.retry', '.error', '.empty', '.load-more', '.loading']) {
      expect(page.querySelector(selector)).toBeFalsy();
    }
  });

  it('a network failure shows the message and a retry that loads the list', async () => {
    wx.failNext = 1;
    wx.admin.mockResolvedValue({ ok: true, orders: orders('R', 1) });
    await open();
    expect(text(page, '.error')).toBe(en.errNETWORK);
    expect(text(page, '.retry')).toBe(en.retry);
    expect(page.querySelector('.order')).toBeFalsy();
    await tap(page, '.retry');
    expect(page.querySelector('.error')).toBeFalsy();
    expect(texts(page, '.order-no')).toEqual(['R0']);
  });

  it('a reply to filters the operator has since changed is dropped', async () => {
    let release: (v: unknown) => void = () => undefined;
    wx.admin.mockImplementationOnce(() => new Promise((resolve) => (release = resolve)));
    wx.admin.mockResolvedValue({ ok: true, orders: orders('PAID-', 1) });
    jest.resetModules();
    page = renderPage(ADMIN_ORDERS);
    const first = page.instance.onLoad();
    await flush();
    page.querySelector('.status-filter').dispatchEvent('change', { detail: { value: 1 } });
    await flush();
    release({ ok: true, orders: orders('STALE-', 1) });
    await first;
    await flush();
    expect(texts(page, '.order-no')).toEqual(['PAID-0']);
  });

  it('tapping an order opens its detail page', async () => {
    wx.admin.mockResolvedValue({ ok: true, orders: [adminOrder({ orderNo: '20261202000000000009' })] });
    await open();
    await tap(page, '.order');
    expect(wx.navigateTo).toEqual(['/pages/admin/order/index?orderNo=20261202000000000009']);
  });

  it('in Chinese, every word comes from the zh_CN messages', async () => {
    wx.language = 'zh_CN';
    wx.admin.mockResolvedValue({ ok: true, orders: [adminOrder({ attention: 'late' })], nextCursor: 'c' });
    await open();
    expect(wx.titles).toEqual([zh.ordersTitle]);
    expect(texts(page, '.filter-label')).toEqual([zh.filterStatus, zh.filterProvider]);
    expect(texts(page, '.filter-value')).toEqual([zh.filterAll, zh.filterAll]);
    expect(text(page, '.attention-toggle')).toBe(zh.attentionOnly);
    expect(texts(page, '.status')).toEqual([zh.status_PAID]);
    expect(text(page, '.badge')).toBe(zh.attentionBadge);
    expect(text(page, '.load-more')).toBe(zh.loadMore);
    expect(page.data.statusOptions).toEqual([zh.filterAll, zh.status_PAID, zh.status_PARTIALLY_REFUNDED, zh.status_REFUNDED, zh.status_PAYING, zh.status_CREATED, zh.status_FAILED, zh.status_CLOSED]);
  });

  it('in Chinese, FORBIDDEN and network errors are Chinese too', async () => {
    wx.language = 'zh_CN';
    wx.admin.mockResolvedValue({ ok: false, error: { code: 'FORBIDDEN', message: 'no' } });
    await open();
    expect(text(page, '.forbidden')).toContain(zh.forbiddenHint);
    wx.failNext = 1;
    await page.instance.load();
    expect(text(page, '.error')).toBe(zh.errNETWORK);
    expect(text(page, '.retry')).toBe(zh.retry);
  });

  it('any other language falls back to English', async () => {
    wx.language = 'fr';
    wx.admin.mockResolvedValue({ ok: true, orders: [] });
    await open();
    expect(text(page, '.empty')).toContain(en.empty);
    await tap(page, '.clear-filters');
    expect(wx.events('listOrders')).toHaveLength(2);
  });

  it('in the cloud: wx.cloud.callFunction("admin"), and no wx.login (the cloud knows the caller)', async () => {
    jest.resetModules();
    miniConfig().backend = 'cloud';
    wx.admin.mockResolvedValue({ ok: true, orders: orders('C', 1), nextCursor: 'n' });
    page = renderPage(ADMIN_ORDERS);
    await page.instance.onLoad();
    await flush();
    await tap(page, '.load-more');
    expect(wx.api.request).not.toHaveBeenCalled();
    const calls = wx.api.cloud.callFunction.mock.calls.map((c: any[]) => c[0]).filter((c: any) => c.name === 'admin');
    expect(calls).toHaveLength(2);
    expect(calls.map((c: any) => c.data.code)).toEqual([undefined, undefined]);
    expect(wx.api.login).not.toHaveBeenCalled();
    expect(texts(page, '.order-no')).toEqual(['C0']); // the same order on the next page is not shown twice
  });
});
