/**
 * @jest-environment jsdom
 */
import simulate from 'miniprogram-simulate';
import { loadPage } from './load-page';
import { catalogReply, flush, installWxMock, type WxMock } from './wx-mock';

const POLL_INTERVAL_MS = 1500;

function order(status: string, provider: string, orderNo = '1') {
  return {
    orderNo,
    status,
    amount: 1100,
    currency: 'NZD',
    description: 'Coffee',
    provider,
    items: [{ sku: 'coffee', name: 'Flat white', quantity: 2, unitPrice: 550 }],
    createdAt: 0,
    expiresAt: Date.now() + 3_600_000,
  };
}
const PARAMS = { timeStamp: '1700000001', nonceStr: 'again', package: 'prepay_id=wx1', signType: 'MD5', paySign: 'S2' };

describe('paying an unpaid order again (result page)', () => {
  let wx: WxMock;
  let page: any;
  /** What queryOrder answers, by orderNo; retryPayment answers `retry`. */
  let status: Record<string, string>;
  let info: Record<string, unknown>;
  let retry: () => Record<string, unknown>;

  beforeEach(() => {
    jest.useFakeTimers();
    wx = installWxMock();
    status = { '1': 'PAYING', '2': 'PAYING' };
    info = { name: 'latipay', canReissue: true, needsPayCode: false };
    retry = () => ({ ok: true, order: order('PAYING', String(info.name)), payment: PARAMS });
    wx.backend.mockImplementation(async (event) => {
      if (event.action === 'catalog') return catalogReply(info as { name: string });
      if (event.action === 'queryOrder') return { ok: true, order: order(status[event.orderNo]!, String(info.name), event.orderNo) };
      if (event.action === 'retryPayment') return retry();
      if (event.action === 'createOrder') return { ok: true, order: order('PAYING', String(info.name), '2'), payment: PARAMS };
      return { ok: false, error: { code: 'INVALID_INPUT', message: 'unexpected' } };
    });
    jest.resetModules(); // simulate.load re-runs the page module; jest caches it otherwise
    page = simulate.render(loadPage('pages/result/index'));
    page.attach(document.createElement('parent-wrapper'));
  });
  afterEach(() => {
    page.instance.onUnload();
    jest.useRealTimers();
  });

  const calls = (action: string) => wx.backend.mock.calls.map((c) => c[0]).filter((e) => e.action === action);

  async function cancelled(outcome = 'cancel') {
    await page.instance.onLoad({ orderNo: '1', outcome });
    expect(page.data.payable).toBe(true);
  }

  it('same order where the provider re-issues: retryPayment, WeChat Pay, then the server says PAID', async () => {
    await cancelled();
    const paying = page.instance.onPayAgain();
    status['1'] = 'PAID';
    await paying;
    await flush(60);
    expect(calls('retryPayment')).toHaveLength(1);
    expect(calls('retryPayment')[0]).toMatchObject({ action: 'retryPayment', orderNo: '1' });
    expect(calls('retryPayment')[0]).not.toHaveProperty('payCode');
    expect(calls('createOrder')).toHaveLength(0);
    expect(wx.calls.requestPayment).toEqual([{ ...PARAMS, result: 'pay' }]);
    expect(page.data.view).toBe('paid');
    expect(page.data.payable).toBe(false);
  });

  it('a fresh order for the same items where the provider cannot re-issue (as the catalog says)', async () => {
    info = { name: 'ottpay', canReissue: false, needsPayCode: false };
    await cancelled('fail');
    await page.instance.onPayAgain();
    expect(calls('retryPayment')).toHaveLength(0);
    expect(calls('createOrder')[0]).toMatchObject({ provider: 'ottpay', currency: 'NZD', items: [{ sku: 'coffee', quantity: 2 }] });
    expect(page.data.orderNo).toBe('2');
    status['2'] = 'PAID';
    await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
    expect(page.data.view).toBe('paid');
  });

  it('a provider that needs a second login code gets one (payCode)', async () => {
    info = { name: 'newpay', canReissue: true, needsPayCode: true };
    await cancelled();
    await page.instance.onPayAgain();
    expect(calls('retryPayment')[0].payCode).toMatch(/^test-devtools-/);
    expect(calls('retryPayment')[0].payCode).not.toBe(calls('retryPayment')[0].code);
  });

  it('a double tap asks for one retry', async () => {
    await cancelled();
    await Promise.all([page.instance.onPayAgain(), page.instance.onPayAgain(), page.instance.onPayAgain()]);
    expect(calls('retryPayment')).toHaveLength(1);
  });

  it('cancelled again: says so and keeps the button', async () => {
    await cancelled();
    wx.sheetChoice = 1;
    await page.instance.onPayAgain();
    await flush(60);
    expect(page.data.view).toBe('cancelled');
    expect(page.data.payable).toBe(true);
    expect(page.data.retrying).toBe(false);
  });

  it('declined: shown as failed (not as cancelled), and the button stays', async () => {
    await cancelled();
    wx.sheetChoice = 2;
    await page.instance.onPayAgain();
    await flush(60);
    expect(page.data.view).toBe('failed');
    expect(page.data.payable).toBe(true);
  });

  it('paid meanwhile (ORDER_ALREADY_PAID): the page settles on PAID without WeChat Pay', async () => {
    await cancelled();
    status['1'] = 'PAID';
    retry = () => ({ ok: false, error: { code: 'ORDER_ALREADY_PAID', message: 'already paid' } });
    await page.instance.onPayAgain();
    await flush(60);
    expect(wx.calls.requestPayment).toEqual([]);
    expect(page.data.view).toBe('paid');
  });

  it('network trouble: the network message, and the button stays for another try', async () => {
    await cancelled();
    wx.networkDown = true;
    await page.instance.onPayAgain();
    expect(page.data.notice).toBe('Could not reach the shop. Check your connection and try again.');
    expect(page.data.payable).toBe(true);
  });
});
