/**
 * @jest-environment ./test/helpers/jsdom-with-node-http.js
 *
 * The checkout and result pages against the real local stack, in process: every wx.request
 * really goes over HTTP to POST /fn/pay, and the simulated WeChat Pay sheet posts to
 * /sandbox/wechat/requestPayment, which checks the real paySign and makes the provider
 * simulator notify. Nothing about the contract is mocked.
 */
import simulate from 'miniprogram-simulate';
import { startTestStack, type TestStack } from '../helpers/local-stack';
import { loadPage } from './load-page';
import { installWxMock, until, type WxMock } from './wx-mock';

describe('checkout and result pages on the local stack', () => {
  let stack: TestStack;
  let wx: WxMock;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(() => {
    wx = installWxMock();
    wx.forwardTo = stack.url;
  });

  const mount = (name: string) => {
    jest.resetModules(); // simulate.load re-runs the page module; jest caches it otherwise
    const page = simulate.render(loadPage(name));
    page.attach(document.createElement('parent-wrapper'));
    return page;
  };

  it.each(['latipay', 'newpay'])('%s: checkout creates the order, WeChat Pay (sandbox) pays it, and the result page sees PAID', async (provider) => {
    const checkout = mount('pages/checkout/index');
    await checkout.instance.onLoad();
    if (provider !== checkout.data.provider) await checkout.instance.onDemoProviderChange({ detail: { value: checkout.data.demoProviders.indexOf(provider) } });
    expect(checkout.data.state).toBe('ready');
    const line = checkout.data.lines[0];
    checkout.instance.onQuantity({ currentTarget: { dataset: { sku: line.sku } }, detail: { value: 2 } });
    wx.sheetChoice = 0;
    await checkout.instance.onPay();
    expect(checkout.data.error).toBe('');
    const url = wx.calls.navigateTo[0]!;
    expect(url).toMatch(/^\/pages\/result\/index\?orderNo=\w+&outcome=ok$/);
    expect(wx.calls.requestPayment).toHaveLength(1);

    const orderNo = /orderNo=(\w+)/.exec(url)![1]!;
    const result = mount('pages/result/index');
    void result.instance.onLoad({ orderNo, outcome: 'ok' });
    await until(() => result.data.view === 'paid', 10000);
    expect(result.data.amountText).toBe(checkout.data.totalText);
    result.instance.onUnload();
  });

  it('a cancel in the sandbox sheet: the result page shows the order unpaid and offers to pay again', async () => {
    const checkout = mount('pages/checkout/index');
    await checkout.instance.onLoad();
    checkout.instance.onQuantity({ currentTarget: { dataset: { sku: checkout.data.lines[0].sku } }, detail: { value: 1 } });
    wx.sheetChoice = 1;
    await checkout.instance.onPay();
    const orderNo = /orderNo=(\w+)&outcome=cancel/.exec(wx.calls.navigateTo[0]!)![1]!;
    const result = mount('pages/result/index');
    await result.instance.onLoad({ orderNo, outcome: 'cancel' });
    expect(result.data.view).toBe('cancelled');
    expect(result.data.payable).toBe(true);
    wx.sheetChoice = 0;
    await result.instance.onPayAgain();
    await until(() => result.data.view === 'paid', 10000);
    result.instance.onUnload();
  });
});
