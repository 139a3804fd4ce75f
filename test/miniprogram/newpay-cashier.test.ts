/**
 * @jest-environment jsdom
 */
import simulate from 'miniprogram-simulate';
import { loadPage, tapText } from './load-page';
import { catalogReply, installWxMock, type WxMock } from './wx-mock';

const PAYMENT = { timeStamp: '1700000000', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'RSA', paySign: 'S' };
const ORDER = { orderNo: '20261121000000000009', status: 'PAYING', amount: 75000, currency: 'LAK', provider: 'newpay', description: 'Flat white', items: [], createdAt: 0, expiresAt: 0 };

describe('NewPay scheme-URL cashier page (pages/newpay-cashier)', () => {
  let wx: WxMock;
  let page: any;
  let cashierReply: Record<string, unknown>;

  const mount = async (query: Record<string, string>) => {
    jest.resetModules(); // simulate.load re-runs the page module; jest caches it otherwise
    page = simulate.render(loadPage('pages/newpay-cashier/index'));
    page.attach(document.createElement('parent-wrapper'));
    await page.instance.onLoad(query);
  };

  beforeEach(async () => {
    wx = installWxMock();
    cashierReply = { ok: true, payment: PAYMENT, order: ORDER };
    wx.backend.mockImplementation(async (event) => {
      if (event.action === 'catalog') return catalogReply({ name: 'newpay', needsPayCode: true, hasCashier: true, cashierRefField: 'newpayOrderNo' }, 'LAK', 0);
      if (event.action === 'cashierPayment') return cashierReply;
      return { ok: false, error: { code: 'INVALID_INPUT', message: 'unexpected' } };
    });
    await mount({ newpayOrderNo: '202209210000006950' });
  });

  const cashierCalls = () => wx.backend.mock.calls.map((c) => c[0]).filter((e) => e.action === 'cashierPayment');
  const text = () => page.dom.textContent as string;

  it('takes newpayOrderNo from the launch query, shows the amount, pays with two distinct fresh codes', async () => {
    const event = cashierCalls()[0];
    expect(event).toMatchObject({ action: 'cashierPayment', provider: 'newpay', newpayOrderNo: '202209210000006950' });
    expect(event.payCode).not.toBe(event.code);
    expect(text()).toContain('₭75,000');
    expect(text()).toContain('Order 202209210000006950');
    await tapText(page, 'Pay with WeChat Pay');
    expect(wx.calls.requestPayment[0]).toMatchObject({ ...PAYMENT, result: 'pay' });
    // WeChat's ok is not proof: the result page asks the server about our order.
    expect(wx.calls.redirectTo).toEqual(['/pages/result/index?orderNo=20261121000000000009&outcome=ok']);
    expect(text()).not.toContain('Payment successful');
  });

  it('without our order in the reply it never claims "paid": submitted, with Check again and My orders', async () => {
    cashierReply = { ok: true, payment: PAYMENT };
    await mount({ newpayOrderNo: '202209210000006950' });
    expect(text()).toContain('The amount is shown in WeChat Pay.');
    await tapText(page, 'Pay with WeChat Pay');
    expect(page.data.view).toBe('submitted');
    expect(text()).toContain('Payment submitted');
    expect(text()).toContain('My orders');
    // Once the shop knows the order, Check again hands over to its result page.
    cashierReply = { ok: true, payment: PAYMENT, order: { orderNo: '20261121000000000009', status: 'PAID', amount: 75000, currency: 'LAK', items: [], description: 'x', provider: 'newpay', createdAt: 0, expiresAt: 0 } };
    await tapText(page, 'Check again');
    expect(wx.calls.redirectTo).toEqual(['/pages/result/index?orderNo=20261121000000000009&outcome=ok']);
  });

  it('after cancel or failure without our order: says so, claims nothing about the money, and offers to pay again', async () => {
    cashierReply = { ok: true, payment: PAYMENT };
    await mount({ newpayOrderNo: '202209210000006950' });
    wx.sheetChoice = 1;
    await tapText(page, 'Pay with WeChat Pay');
    expect(page.data.view).toBe('cancelled');
    expect(text()).not.toMatch(/no money/i);
    wx.sheetChoice = 2;
    await tapText(page, 'Pay again');
    expect(page.data.view).toBe('failed');
    expect(page.data.theme).toBe('error');
    expect(text()).not.toMatch(/no money/i);
  });

  it('after cancel with our order: the result page asks the server before saying anything about the money', async () => {
    wx.sheetChoice = 1;
    await tapText(page, 'Pay with WeChat Pay');
    expect(wx.calls.redirectTo).toEqual(['/pages/result/index?orderNo=20261121000000000009&outcome=cancel']);
  });

  it('NewPay refusing the order says so, with a retry', async () => {
    cashierReply = { ok: false, error: { code: 'PROVIDER_ERROR', message: 'newpay: order expired' } };
    await mount({ newpayOrderNo: '202209210000006950' });
    expect(page.data.view).toBe('error');
    expect(text()).toContain('The payment provider refused this payment');
    expect(wx.calls.requestPayment).toEqual([]);
    cashierReply = { ok: true, payment: PAYMENT, order: ORDER };
    await tapText(page, 'Try again');
    expect(page.data.view).toBe('ready');
  });

  it('without newpayOrderNo there is nothing to pay, and the page says so', async () => {
    wx.backend.mockClear();
    await mount({});
    expect(wx.backend).not.toHaveBeenCalled();
    expect(page.data.view).toBe('missing');
    expect(text()).toContain('This link has no order to pay');
  });

  it('in Chinese on a Chinese phone', async () => {
    wx.language = 'zh_CN';
    await mount({ newpayOrderNo: '202209210000006950' });
    expect(text()).toContain('微信支付');
    expect(wx.calls.titles).toContain('订单支付');
  });
});
