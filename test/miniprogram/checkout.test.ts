/**
 * @jest-environment jsdom
 */
import path from 'node:path';
import simulate from 'miniprogram-simulate';
import { installWxMock, until, type WxMock } from './wx-mock';

const CHECKOUT = path.resolve(__dirname, '../../miniprogram/pages/checkout/index');

const CATALOG = {
  ok: true,
  currency: 'NZD',
  items: [
    { sku: 'coffee', name: 'Flat white', price: 550 },
    { sku: 'cake', name: 'Carrot cake', price: 725 },
  ],
};

function payment() {
  return { timeStamp: '1700000000', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'MD5', paySign: 'S' };
}

describe('checkout page', () => {
  let wx: WxMock;
  let page: any;

  beforeEach(async () => {
    wx = installWxMock();
    wx.backend.mockImplementation(async (event) => {
      if (event.action === 'catalog') return CATALOG;
      if (event.action === 'createOrder') {
        return { ok: true, order: { orderNo: '20261121000000000001', status: 'PAYING', amount: 1100, currency: 'NZD' }, payment: payment() };
      }
      return { ok: false, error: { code: 'INVALID_INPUT', message: 'unexpected' } };
    });
    jest.resetModules(); // simulate.load re-runs the page module; jest caches it otherwise
    const id = simulate.load(CHECKOUT);
    page = simulate.render(id);
    page.attach(document.createElement('parent-wrapper'));
    await page.instance.onLoad();
  });

  // j-component delivers taps asynchronously: wait a turn after each.
  const tap = async (selector: string, index = 0) => {
    page.querySelectorAll(selector)[index].dispatchEvent('tap');
    await simulate.sleep(0);
  };

  it('shows the catalog with prices in the provider currency and a server-bound total', async () => {
    expect(page.data.lines.map((l: any) => l.priceText)).toEqual(['NZ$5.50', 'NZ$7.25']);
    expect(page.data.canPay).toBe(false);
    await tap('.plus', 0);
    await tap('.plus', 0);
    await tap('.plus', 1);
    expect(page.data.totalText).toBe('NZ$18.25');
    expect(page.querySelector('.total-amount').dom.textContent).toBe('NZ$18.25');
    expect(page.data.canPay).toBe(true);
  });

  it('pays: sends SKUs and quantities only (no amount), then opens the result page', async () => {
    await tap('.plus', 0);
    await page.instance.onPay();
    const create = wx.backend.mock.calls.map((c) => c[0]).find((e) => e.action === 'createOrder')!;
    expect(create).toMatchObject({ provider: 'latipay', currency: 'NZD', items: [{ sku: 'coffee', quantity: 1 }] });
    expect(create.code).toMatch(/^test-devtools-/);
    expect(create).not.toHaveProperty('amount');
    expect(wx.calls.requestPayment[0]).toMatchObject({ ...payment(), result: 'pay' });
    expect(wx.calls.navigateTo).toEqual(['/pages/result/index?orderNo=20261121000000000001&outcome=ok']);
    expect(page.data.paying).toBe(false);
  });

  it('a double tap creates one order', async () => {
    await tap('.plus', 0);
    await Promise.all([page.instance.onPay(), page.instance.onPay(), page.instance.onPay()]);
    expect(wx.backend.mock.calls.filter((c) => c[0].action === 'createOrder')).toHaveLength(1);
  });

  it('cancel in the WeChat Pay sheet goes to the result page as cancel', async () => {
    wx.sheetChoice = 1;
    await tap('.plus', 0);
    await page.instance.onPay();
    expect(wx.calls.navigateTo[0]).toMatch(/outcome=cancel$/);
  });

  it('a failed payment goes to the result page as fail', async () => {
    wx.sheetChoice = 2;
    await tap('.plus', 0);
    await page.instance.onPay();
    expect(wx.calls.navigateTo[0]).toMatch(/outcome=fail$/);
  });

  it('a provider refusal stays on checkout with a clear message', async () => {
    wx.backend.mockImplementation(async (event) =>
      event.action === 'catalog' ? CATALOG : { ok: false, error: { code: 'PROVIDER_ERROR', message: 'latipay: refused' } },
    );
    await tap('.plus', 0);
    await page.instance.onPay();
    expect(wx.calls.navigateTo).toEqual([]);
    expect(page.data.error).toBe('The payment provider refused this payment.');
    expect(page.querySelector('.error').dom.textContent).toContain('refused');
  });

  it('a network failure shows the network message, in Chinese on a Chinese phone', async () => {
    wx.language = 'zh_CN';
    await page.instance.onLoad();
    wx.networkDown = true;
    await tap('.plus', 0);
    await page.instance.onPay();
    expect(page.data.error).toBe('网络异常，请检查网络后重试。');
  });

  it('links to the shopper’s orders', async () => {
    await tap('.orders-link');
    expect(wx.calls.navigateTo).toEqual(['/pages/orders/index']);
  });

  it('NewPay orders carry a second fresh login code for NewPay', async () => {
    page.instance.onProviderChange({ detail: { value: 2 } });
    await until(() => !page.data.loading);
    await tap('.plus', 0);
    await page.instance.onPay();
    const create = wx.backend.mock.calls.map((c) => c[0]).find((e) => e.action === 'createOrder')!;
    expect(create.provider).toBe('newpay');
    expect(create.payCode).toMatch(/^test-devtools-/);
    expect(create.payCode).not.toBe(create.code);
  });

  it('NewPay "pay another way" creates a cashier order and copies its payUrl', async () => {
    wx.api.setClipboardData = jest.fn();
    (globalThis as any).wx.setClipboardData = wx.api.setClipboardData;
    wx.backend.mockImplementation(async (event) =>
      event.action === 'catalog'
        ? { ...CATALOG, currency: 'LAK', items: [{ sku: 'coffee', name: 'Flat white', price: 75000 }] }
        : { ok: true, order: { orderNo: '9', status: 'PAYING', amount: 75000, currency: 'LAK' }, payUrl: 'https://cashier.example/9' },
    );
    page.instance.onProviderChange({ detail: { value: 2 } });
    await until(() => !page.data.loading);
    expect(page.data.lines[0].priceText).toBe('₭75,000');
    await tap('.plus', 0);
    await page.instance.onPayAnotherWay();
    const event = wx.backend.mock.calls.map((c) => c[0]).find((e) => e.action === 'createCashierOrder')!;
    expect(event).toMatchObject({ provider: 'newpay', currency: 'LAK', payMethod: 'newpay', channel: 'mobile', items: [{ sku: 'coffee', quantity: 1 }] });
    expect(wx.api.setClipboardData).toHaveBeenCalledWith({ data: 'https://cashier.example/9' });
    expect(page.querySelector('.pay-url').dom.textContent).toContain('https://cashier.example/9');
  });
});
