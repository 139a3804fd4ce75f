/**
 * @jest-environment jsdom
 */
import simulate from 'miniprogram-simulate';
import { loadPage, tapText } from './load-page';
import { catalogReply, flush, installWxMock, type WxMock } from './wx-mock';

function payment() {
  return { timeStamp: '1700000000', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'MD5', paySign: 'S' };
}

describe('checkout page', () => {
  let wx: WxMock;
  let page: any;
  let catalog: Record<string, any>;

  const mount = async () => {
    jest.resetModules(); // simulate.load re-runs the page module; jest caches it otherwise
    page = simulate.render(loadPage('pages/checkout/index'));
    page.attach(document.createElement('parent-wrapper'));
    await page.instance.onLoad();
  };

  beforeEach(async () => {
    wx = installWxMock();
    catalog = catalogReply({ name: 'latipay' });
    wx.backend.mockImplementation(async (event) => {
      if (event.action === 'catalog') return catalog;
      if (event.action === 'createOrder') {
        return { ok: true, order: { orderNo: '20261121000000000001', status: 'PAYING', amount: 1100, currency: 'NZD' }, payment: payment() };
      }
      return { ok: false, error: { code: 'INVALID_INPUT', message: 'unexpected' } };
    });
    await mount();
  });

  const events = (action: string) => wx.backend.mock.calls.map((c) => c[0]).filter((e) => e.action === action);
  const text = (selector: string) => page.querySelector(selector)?.dom.textContent.trim();
  /** What the stepper of line `index` reports when the shopper taps its plus. */
  const plus = async (index = 0) => {
    const line = page.data.lines[index];
    page.instance.onQuantity({ currentTarget: { dataset: { sku: line.sku } }, detail: { value: line.quantity + 1 } });
    await flush();
  };

  it('shows the catalog in the shop’s currency, without naming the acquirer, and a server-bound total', async () => {
    expect(events('catalog')[0]).toMatchObject({ provider: 'latipay' });
    expect(page.data.state).toBe('ready');
    expect(page.data.lines.map((l: any) => [l.name, l.priceText])).toEqual([
      ['Flat white', 'NZ$5.50'],
      ['Carrot cake', 'NZ$7.25'],
    ]);
    // Only the local demo's switch, labelled as a demo, names the acquirer.
    expect(page.dom.textContent.replace('Demo only: acquirerlatipay', '')).not.toMatch(/latipay/i);
    expect(page.data.canPay).toBe(false);
    await plus(0);
    await plus(0);
    await plus(1);
    expect(page.data.totalText).toBe('NZ$18.25');
    expect(text('.total-amount')).toBe('NZ$18.25');
    expect(page.data.canPay).toBe(true);
    expect(wx.calls.titles).toEqual(['Checkout']);
  });

  it('speaks Chinese on a Chinese phone: item names, labels, title', async () => {
    wx.language = 'zh_CN';
    await mount();
    expect(page.data.lines[0].name).toBe('馥芮白');
    expect(text('.total-label')).toBe('合计');
    expect(wx.calls.titles).toContain('确认订单');
  });

  it('pays: sends SKUs and quantities only (no amount), then opens the result page', async () => {
    await plus(0);
    await page.instance.onPay();
    const create = events('createOrder')[0];
    expect(create).toMatchObject({ provider: 'latipay', currency: 'NZD', items: [{ sku: 'coffee', quantity: 1 }] });
    expect(create.code).toMatch(/^test-devtools-/);
    expect(create).not.toHaveProperty('amount');
    expect(create).not.toHaveProperty('payCode');
    expect(wx.calls.requestPayment[0]).toMatchObject({ ...payment(), result: 'pay' });
    expect(wx.calls.navigateTo).toEqual(['/pages/result/index?orderNo=20261121000000000001&outcome=ok']);
    expect(page.data.paying).toBe(false);
  });

  it('a double tap creates one order', async () => {
    await plus(0);
    await Promise.all([page.instance.onPay(), page.instance.onPay(), page.instance.onPay()]);
    expect(events('createOrder')).toHaveLength(1);
  });

  it('cancel and failure in the WeChat Pay sheet go to the result page as such', async () => {
    wx.sheetChoice = 1;
    await plus(0);
    await page.instance.onPay();
    wx.sheetChoice = 2;
    await page.instance.onPay();
    expect(wx.calls.navigateTo).toEqual([expect.stringMatching(/outcome=cancel$/), expect.stringMatching(/outcome=fail$/)]);
  });

  it('each backend error says what happened and what to do', async () => {
    await plus(0);
    const said: Record<string, string> = {};
    for (const code of ['PROVIDER_ERROR', 'CONFIG_INVALID', 'INVALID_INPUT', 'LOGIN_CODE_USED', 'INTERNAL']) {
      wx.backend.mockImplementation(async (event) => (event.action === 'catalog' ? catalog : { ok: false, error: { code, message: 'x' } }));
      await page.instance.onPay();
      said[code] = page.data.error;
    }
    expect(wx.calls.navigateTo).toEqual([]);
    expect(said.PROVIDER_ERROR).toBe('The payment provider refused this payment. No money was taken. Try again later.');
    expect(said.CONFIG_INVALID).toMatch(/setup is incomplete/);
    expect(said.INVALID_INPUT).toMatch(/could not accept this order/);
    expect(said.LOGIN_CODE_USED).toBe('WeChat sign-in failed. Try again.');
    expect(new Set(Object.values(said)).size).toBe(5);
    expect(text('.error')).toMatch(/Something went wrong/);
  });

  it('a network failure shows the network message, in Chinese on a Chinese phone', async () => {
    wx.language = 'zh_CN';
    await mount();
    wx.networkDown = true;
    await plus(0);
    await page.instance.onPay();
    expect(page.data.error).toBe('无法连接商家，请检查网络后重试。');
  });

  it('a catalog that failed to load says why and offers retry', async () => {
    wx.networkDown = true;
    await mount();
    expect(page.data.state).toBe('error');
    expect(page.dom.textContent).toContain('Could not reach the shop');
    wx.networkDown = false;
    await tapText(page, 'Try again');
    expect(page.data.state).toBe('ready');
    expect(page.data.lines).toHaveLength(2);
  });

  it('an empty catalog is shown as such', async () => {
    catalog = { ...catalog, items: [] };
    await mount();
    expect(page.data.state).toBe('empty');
    expect(page.dom.textContent).toContain('Nothing for sale right now');
  });

  it('links to the shopper’s orders', async () => {
    await tapText(page, 'My orders');
    expect(wx.calls.navigateTo).toEqual(['/pages/orders/index']);
  });

  it('a provider that spends its own login code gets a second fresh one (payCode), as the server says', async () => {
    catalog = catalogReply({ name: 'newpay', needsPayCode: true }, 'LAK', 0);
    await mount();
    expect(page.data.lines[0].priceText).toBe('₭75,000');
    await plus(0);
    await page.instance.onPay();
    const create = events('createOrder')[0];
    expect(create.payCode).toMatch(/^test-devtools-/);
    expect(create.payCode).not.toBe(create.code);
  });

  it('several currencies: a currency picker, and no acquirer picker where one provider serves the shop', async () => {
    jest.doMock('../../miniprogram/config', () => ({ config: { ...jest.requireActual('../../miniprogram/config').config, demoProviders: [] } }));
    catalog = catalogReply({ name: 'newpay', currencies: [{ code: 'LAK', decimals: 0 }, { code: 'USD', decimals: 2 }] }, 'LAK', 0);
    await mount();
    jest.dontMock('../../miniprogram/config');
    expect(page.data.demoProviders).toEqual([]);
    expect(page.dom.textContent).not.toMatch(/newpay|acquirer/i);
    expect(page.data.currencies).toEqual(['LAK', 'USD']);
    page.instance.onCurrencyChange({ detail: { value: 1 } });
    await flush(60);
    expect(events('catalog').at(-1)).toMatchObject({ currency: 'USD' });
  });

  it('"pay another way" (a provider with a cashier): a QR card with amount and expiry, copied on tap, reused for the same cart, and it notices the payment', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
    catalog = catalogReply({ name: 'newpay', hasCashier: true }, 'LAK', 0);
    let status = 'PAYING';
    const cashierOrder = () => ({ orderNo: '9', status, amount: 75000, currency: 'LAK', provider: 'newpay', items: [], description: 'x', createdAt: 0, expiresAt: new Date(2026, 10, 21, 15, 2).getTime() });
    wx.backend.mockImplementation(async (event) => {
      if (event.action === 'catalog') return catalog;
      if (event.action === 'queryOrder') return { ok: true, order: cashierOrder() };
      return { ok: true, order: cashierOrder(), payUrl: 'https://cashier.example/9' };
    });
    await mount();
    await plus(0);
    await tapText(page, 'Pay another way');
    const event = events('createCashierOrder')[0];
    expect(event).toMatchObject({ provider: 'newpay', currency: 'LAK', channel: 'mobile', items: [{ sku: 'coffee', quantity: 1 }] });
    expect(page.data.payUrl).toBe('https://cashier.example/9');
    expect(page.data.cashierAmountText).toBe('₭75,000');
    expect(page.data.cashierExpiresText).toBe('Valid until 2026-11-21 15:02');
    expect(page.data.qrLabel).toBe('QR code to pay ₭75,000. Tap to copy the link.');
    expect(wx.api.pageScrollTo).toHaveBeenCalledWith({ selector: '.another-way', duration: 300 });
    expect(page.dom.querySelector('[class*="t-qrcode"]')).toBeTruthy();
    page.instance.copyLink();
    expect(wx.api.setClipboardData).toHaveBeenCalledWith(expect.objectContaining({ data: 'https://cashier.example/9' }));
    expect(wx.api.showToast).toHaveBeenCalledWith({ title: 'Link copied', icon: 'success' });
    // The same cart again: the same order, no second one.
    await page.instance.onPayAnotherWay();
    expect(events('createCashierOrder')).toHaveLength(1);
    // Paid on the other phone: the page notices and opens the result page.
    status = 'PAID';
    await jest.advanceTimersByTimeAsync(3000);
    expect(wx.calls.navigateTo).toContain('/pages/result/index?orderNo=9&outcome=ok');
    page.instance.onUnload();
    jest.useRealTimers();
  });

  it('steppers name their item for screen readers, and step by one', async () => {
    const line = page.data.lines[0];
    expect(line.ariaLess).toBe('One fewer Flat white');
    expect(line.ariaMore).toBe('One more Flat white');
    page.instance.onStep({ currentTarget: { dataset: { sku: line.sku, delta: 1 } } });
    page.instance.onStep({ currentTarget: { dataset: { sku: line.sku, delta: 1 } } });
    page.instance.onStep({ currentTarget: { dataset: { sku: line.sku, delta: -1 } } });
    expect(page.data.lines[0].quantity).toBe(1);
    expect(page.data.lines[0].ariaQuantity).toBe('Flat white: 1');
  });

  it('where the shop has message templates, Pay first asks the shopper to allow them; a refusal still pays', async () => {
    catalog = { ...catalogReply({ name: 'latipay' }), subscribeTemplates: ['tpl-paid', 'tpl-refund'] };
    const asked: Record<string, unknown>[] = [];
    const backend = wx.backend.getMockImplementation()!;
    wx.backend.mockImplementation(async (event, fn) => {
      if (event.tmplIds) {
        asked.push(event);
        return { errMsg: 'requestSubscribeMessage:ok' };
      }
      return backend(event, fn);
    });
    await mount();
    await plus(0);
    wx.sheetChoice = 1; // "Not now" in the prompt; then Cancel in the WeChat Pay stand-in
    await page.instance.onPay();
    expect(asked).toEqual([expect.objectContaining({ tmplIds: ['tpl-paid', 'tpl-refund'], result: 'reject' })]);
    const order = wx.backend.mock.calls.findIndex((c) => c[0].action === 'createOrder');
    const prompt = wx.backend.mock.calls.findIndex((c) => c[0].tmplIds);
    expect(prompt).toBeGreaterThanOrEqual(0);
    expect(prompt).toBeLessThan(order);
    expect(wx.calls.navigateTo.at(-1)).toMatch(/^\/pages\/result\/index\?orderNo=/);
  });

  it('no templates, no prompt', async () => {
    await plus(0);
    await page.instance.onPay();
    expect(wx.backend.mock.calls.some((c) => c[0].tmplIds)).toBe(false);
  });

  it('no cashier, no "pay another way"', async () => {
    expect(page.querySelector('.pay-another-way')).toBeFalsy();
  });
});
