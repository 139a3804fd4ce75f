/**
 * Subscription messages on the local stack: the catalog names the templates, the WeChat
 * sandbox plays wx.requestSubscribeMessage (one accept = one message) and the HTTPS API;
 * "payment succeeded" goes out when an order is PAID and "refund succeeded" when a refund
 * SUCCEEDED; a shopper who allowed nothing gets nothing (43101), and the order is paid anyway.
 * The console lists what was sent, openids masked.
 */
import { readSubscribeTemplates } from '../../server/wechat/subscribe-messages';
import { ConfigError } from '../../server/core/errors';
import { startTestStack, type TestStack } from '../helpers/local-stack';

const PAID_TEMPLATE = 'local-template-payment-succeeded';
const REFUND_TEMPLATE = 'local-template-refund-succeeded';

describe('subscription messages on the local stack', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  const allow = (user: string, tmplIds: string[], result = 'accept') =>
    fetch(`${stack.url}/sandbox/wechat/requestSubscribeMessage`, { method: 'POST', body: JSON.stringify({ code: stack.code(user), tmplIds, result }) }).then((r) => r.json() as Promise<Record<string, unknown>>);
  const messagesFor = (user: string) => stack.sandboxes.wechat.sentMessages().filter((m) => m.touser === stack.sandboxes.wechat.openidFor(user));

  async function paidOrder(user: string) {
    const created = await stack.fn('pay', { action: 'createOrder', provider: 'latipay', items: [{ sku: 'coffee', quantity: 1 }], code: stack.code(user) });
    expect(created.body.ok).toBe(true);
    await stack.requestPayment(created.body.payment, 'pay');
    await stack.waitForStatus(created.body.order.orderNo, user, 'PAID');
    return created.body.order as { orderNo: string; amount: number };
  }

  it('the catalog tells the mini program which templates to ask for', async () => {
    const catalog = await stack.fn('pay', { action: 'catalog' });
    expect(catalog.body.subscribeTemplates).toEqual([PAID_TEMPLATE, REFUND_TEMPLATE]);
  });

  it('a shopper who allowed it hears "payment succeeded", once, pointing at the order page', async () => {
    expect(await allow('listener', [PAID_TEMPLATE, REFUND_TEMPLATE])).toMatchObject({ errMsg: 'requestSubscribeMessage:ok', [PAID_TEMPLATE]: 'accept' });
    const order = await paidOrder('listener');
    const sent = messagesFor('listener');
    expect(sent).toEqual([
      expect.objectContaining({ templateId: PAID_TEMPLATE, errcode: 0, page: `pages/order/index?orderNo=${order.orderNo}` }),
    ]);
    expect(sent[0]!.data).toMatchObject({ character_string1: { value: order.orderNo }, amount2: { value: '5.50 NZD' }, thing4: { value: 'Flat white' } });

    // The refund: "refund succeeded", with the refund's amount.
    const refund = await stack.fn('admin', { action: 'refund', orderNo: order.orderNo, amount: 150, code: stack.code('operator') });
    expect(refund.body.ok).toBe(true);
    await stack.waitForStatus(order.orderNo, 'listener', 'PARTIALLY_REFUNDED');
    const refundMessages = messagesFor('listener').filter((m) => m.templateId === REFUND_TEMPLATE);
    expect(refundMessages).toEqual([expect.objectContaining({ errcode: 0, data: expect.objectContaining({ amount2: { value: '1.50 NZD' } }) })]);
  });

  it('a shopper who allowed nothing: WeChat answers 43101, nothing is retried, and the order is paid all the same', async () => {
    expect(await allow('quiet', [PAID_TEMPLATE], 'reject')).toMatchObject({ [PAID_TEMPLATE]: 'reject' });
    const order = await paidOrder('quiet');
    expect(messagesFor('quiet')).toEqual([expect.objectContaining({ templateId: PAID_TEMPLATE, errcode: 43101 })]);
    const query = await stack.fn('pay', { action: 'queryOrder', orderNo: order.orderNo, code: stack.code('quiet') });
    expect(query.body.order.status).toBe('PAID');
  });

  it('the console lists the messages with openids masked', async () => {
    const body = (await (await fetch(`${stack.url}/api/messages`)).json()) as { messages: { touser: string }[] };
    expect(body.messages.length).toBeGreaterThan(0);
    const full = stack.sandboxes.wechat.openidFor('listener');
    expect(JSON.stringify(body)).not.toContain(full);
  });

  it('the console gets the mini program’s money formatter as /money.js', async () => {
    const res = await fetch(`${stack.url}/money.js`);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    const script = await res.text();
    const sandbox: { Money?: { formatMoney: (a: number, c: string, d: number, l: string) => string } } = {};
    new Function('self', 'window', `${script}; self.Money = Money;`)(sandbox, sandbox);
    expect(sandbox.Money!.formatMoney(1250000, 'LAK', 0, 'en')).toBe('₭1,250,000');
  });
});

describe('subscription templates from the environment', () => {
  it('reads both variables, and names the one that is malformed', () => {
    expect(readSubscribeTemplates({ WECHAT_SUBSCRIBE_TEMPLATE_PAID: 'abcDEF123_-xyz', WECHAT_SUBSCRIBE_TEMPLATE_REFUND: '' })).toEqual({ paid: 'abcDEF123_-xyz' });
    expect(() => readSubscribeTemplates({ WECHAT_SUBSCRIBE_TEMPLATE_REFUND: 'has spaces in it' })).toThrow(ConfigError);
    expect(() => readSubscribeTemplates({ WECHAT_SUBSCRIBE_TEMPLATE_REFUND: 'has spaces in it' })).toThrow(/WECHAT_SUBSCRIBE_TEMPLATE_REFUND/);
  });
});
