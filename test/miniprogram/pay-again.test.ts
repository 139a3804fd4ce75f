/**
 * @jest-environment jsdom
 */
import path from 'node:path';
import simulate from 'miniprogram-simulate';
import { installWxMock, until, type WxMock } from './wx-mock';

const RESULT = path.resolve(__dirname, '../../miniprogram/pages/result/index');

function order(status: string, provider = 'latipay') {
  return { orderNo: '1', status, amount: 1100, currency: 'NZD', description: 'Coffee', provider, createdAt: 0 };
}
const PARAMS = { timeStamp: '1700000001', nonceStr: 'again', package: 'prepay_id=wx1', signType: 'MD5', paySign: 'S2' };

describe('result page: Pay again after a cancel', () => {
  let wx: WxMock;
  let page: any;
  /** What queryOrder answers; retryPayment answers `retry`. */
  let status: string;
  let provider: string;
  let retry: () => Record<string, unknown>;

  beforeEach(() => {
    jest.useFakeTimers({ advanceTimers: true });
    wx = installWxMock();
    status = 'PAYING';
    provider = 'latipay';
    retry = () => ({ ok: true, order: order('PAYING', provider), payment: PARAMS });
    wx.backend.mockImplementation(async (event) => {
      if (event.action === 'queryOrder') return { ok: true, order: order(status, provider) };
      if (event.action === 'retryPayment') return retry();
      return { ok: false, error: { code: 'INVALID_INPUT', message: 'unexpected' } };
    });
    jest.resetModules(); // simulate.load re-runs the page module; jest caches it otherwise
    page = simulate.render(simulate.load(RESULT));
    page.attach(document.createElement('parent-wrapper'));
  });
  afterEach(() => {
    page.instance.onUnload();
    jest.useRealTimers();
  });

  const retries = () => wx.backend.mock.calls.map((c) => c[0]).filter((e) => e.action === 'retryPayment');

  async function cancelled(outcome = 'cancel') {
    void page.instance.onLoad({ orderNo: '1', outcome });
    await until(() => page.data.status === 'PAYING');
  }

  it('pays the same order again: retryPayment, WeChat Pay, then the server says PAID', async () => {
    await cancelled();
    expect(page.data.canPayAgain).toBe(true);
    expect(page.querySelector('.pay-again').dom.textContent).toBe('Pay again');
    wx.sheetChoice = 0;
    const paying = page.instance.onPayAgain();
    status = 'PAID';
    await paying;
    expect(retries()).toHaveLength(1);
    expect(retries()[0]).toMatchObject({ action: 'retryPayment', orderNo: '1' });
    expect(retries()[0].code).toMatch(/^test-devtools-/);
    expect(retries()[0]).not.toHaveProperty('payCode');
    expect(wx.calls.requestPayment).toEqual([{ ...PARAMS, result: 'pay' }]);
    expect(page.data.canPayAgain).toBe(false);
    await until(() => page.data.status === 'PAID', 10000);
    expect(page.data.text).toBe('Paid. Thank you!');
    expect(page.querySelector('.pay-again')).toBeFalsy();
  });

  it('is offered after a failed attempt too', async () => {
    await cancelled('fail');
    expect(page.data.canPayAgain).toBe(true);
  });

  it('is not offered after ok', async () => {
    void page.instance.onLoad({ orderNo: '1', outcome: 'ok' });
    await until(() => page.data.status === 'PAYING');
    expect(page.data.canPayAgain).toBe(false);
    expect(page.querySelector('.pay-again')).toBeFalsy();
  });

  it('NewPay: a second fresh login code goes along as payCode', async () => {
    provider = 'newpay';
    await cancelled();
    await page.instance.onPayAgain();
    expect(retries()[0].payCode).toMatch(/^test-devtools-/);
    expect(retries()[0].payCode).not.toBe(retries()[0].code);
  });

  it('a double tap asks for one retry', async () => {
    await cancelled();
    await Promise.all([page.instance.onPayAgain(), page.instance.onPayAgain(), page.instance.onPayAgain()]);
    expect(retries()).toHaveLength(1);
  });

  it('cancelled again: says so and keeps the button', async () => {
    await cancelled();
    wx.sheetChoice = 1;
    await page.instance.onPayAgain();
    expect(page.data.text).toBe('Payment cancelled. You can pay again.');
    expect(page.data.canPayAgain).toBe(true);
    expect(page.data.retrying).toBe(false);
  });

  it('a declined payment says it failed and keeps the button', async () => {
    await cancelled();
    wx.sheetChoice = 2;
    await page.instance.onPayAgain();
    expect(page.data.text).toBe('Payment failed. No money was taken.');
    expect(page.data.canPayAgain).toBe(true);
  });

  it('a provider that cannot re-issue: clear message, no more button, no WeChat Pay', async () => {
    await cancelled();
    retry = () => ({ ok: false, error: { code: 'ORDER_NOT_PAYABLE', message: 'ottpay cannot issue new payment parameters' } });
    await page.instance.onPayAgain();
    expect(wx.calls.requestPayment).toEqual([]);
    expect(page.data.text).toBe('This order can no longer be paid. Please order again.');
    expect(page.data.canPayAgain).toBe(false);
    expect(page.querySelector('.pay-again')).toBeFalsy();
  });

  it('paid meanwhile (409 ORDER_ALREADY_PAID): the page settles on PAID', async () => {
    await cancelled();
    status = 'PAID';
    retry = () => ({ ok: false, error: { code: 'ORDER_ALREADY_PAID', message: 'already paid' } });
    await page.instance.onPayAgain();
    expect(wx.calls.requestPayment).toEqual([]);
    await until(() => page.data.status === 'PAID', 10000);
    expect(page.data.text).toBe('Paid. Thank you!');
    expect(page.data.canPayAgain).toBe(false);
  });

  it('network trouble: the network message, and the button stays for another try', async () => {
    await cancelled();
    wx.networkDown = true;
    await page.instance.onPayAgain();
    expect(page.data.text).toBe('Network problem. Check your connection and try again.');
    expect(page.data.canPayAgain).toBe(true);
  });
});
