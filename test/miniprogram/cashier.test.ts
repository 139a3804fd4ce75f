/**
 * @jest-environment jsdom
 */
import path from 'node:path';
import simulate from 'miniprogram-simulate';
import { installWxMock, type WxMock } from './wx-mock';

const CASHIER = path.resolve(__dirname, '../../miniprogram/pages/cashier/index');
const PAYMENT = { timeStamp: '1700000000', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'RSA', paySign: 'S' };

describe('NewPay scheme-URL cashier page', () => {
  let wx: WxMock;
  let page: any;

  beforeEach(() => {
    wx = installWxMock();
    wx.backend.mockResolvedValue({ ok: true, payment: PAYMENT });
    jest.resetModules(); // simulate.load re-runs the page module; jest caches it otherwise
    page = simulate.render(simulate.load(CASHIER));
    page.attach(document.createElement('parent-wrapper'));
    page.instance.onLoad({ newpayOrderNo: '202209210000006950' });
  });

  it('takes newpayOrderNo from the launch query and pays with two distinct fresh codes', async () => {
    expect(page.querySelector('.order-no').dom.textContent).toBe('#202209210000006950');
    await page.instance.onPay();
    const event = wx.backend.mock.calls[0]![0];
    expect(event).toMatchObject({ action: 'cashierPayment', provider: 'newpay', newpayOrderNo: '202209210000006950' });
    expect(event.code).toMatch(/^test-devtools-/);
    expect(event.payCode).toMatch(/^test-devtools-/);
    expect(event.payCode).not.toBe(event.code);
    expect(wx.calls.requestPayment[0]).toMatchObject({ ...PAYMENT, result: 'pay' });
    expect(page.data.done).toBe(true);
    expect(page.data.text).toBe('Paid. Thank you!');
    await page.instance.onPay();
    expect(wx.backend).toHaveBeenCalledTimes(1);
  });

  it('after cancel the shopper can try again', async () => {
    wx.sheetChoice = 1;
    await page.instance.onPay();
    expect(page.data.text).toBe('Payment cancelled. You can pay again.');
    expect(page.data.done).toBe(false);
    wx.sheetChoice = 0;
    await page.instance.onPay();
    expect(page.data.done).toBe(true);
  });

  it('shows NewPay refusing the order (e.g. expired) as a refusal', async () => {
    wx.backend.mockResolvedValue({ ok: false, error: { code: 'PROVIDER_ERROR', message: 'newpay: order expired' } });
    await page.instance.onPay();
    expect(page.data.error).toBe('The payment provider refused this payment.');
    expect(wx.calls.requestPayment).toEqual([]);
  });

  it('without newpayOrderNo there is nothing to pay', async () => {
    page.instance.onLoad({});
    await page.instance.onPay();
    expect(wx.backend).not.toHaveBeenCalled();
    expect(page.data.error).not.toBe('');
  });
});
