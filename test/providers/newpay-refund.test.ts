/**
 * NewPay's refund callback: both readings of transStatus the docs give (the table: 1 success;
 * the example: 0 with "Transaction Success"), told apart from payment callbacks by its shape,
 * verified with the platform key, and applied through payNotify at the same URL.
 */
import { SignatureError, ValidationError } from '../../server/core/errors';
import { handleAdmin } from '../../server/functions/admin';
import { isNewPayRefundCallback, refundCallbackOutcome } from '../../server/providers/newpay/refund';
import type { InboundNotification } from '../../server/providers/types';
import { startTestStack, type TestStack } from '../helpers/local-stack';
import { OTHER_PRIVATE_KEY } from './newpay-harness';
import { createSign } from 'node:crypto';

const inbound = (body: string): InboundNotification => ({ headers: { 'content-type': 'application/json' }, rawBody: Buffer.from(body, 'utf8'), query: {} });

describe('NewPay refund callback readings', () => {
  it('lets transInfo decide when it says success or failure, else the table (1 success, 0 failure)', () => {
    expect(refundCallbackOutcome('0', 'Transaction Success')).toBe('succeeded');
    expect(refundCallbackOutcome('1', 'Transaction Success')).toBe('succeeded');
    expect(refundCallbackOutcome('1', '')).toBe('succeeded');
    expect(refundCallbackOutcome('0', '')).toBe('failed');
    expect(refundCallbackOutcome('1', 'Transaction Failed')).toBe('failed');
    expect(() => refundCallbackOutcome('7', '')).toThrow(ValidationError);
  });

  it('tells refund callbacks from payment callbacks by refundOrderNo', () => {
    expect(isNewPayRefundCallback(inbound('{"refundOrderNo":"R1","transStatus":1}'))).toBe(true);
    expect(isNewPayRefundCallback(inbound('{"orderNo":"1","transStatus":0}'))).toBe(false);
    expect(isNewPayRefundCallback(inbound('not json'))).toBe(false);
  });
});

describe('NewPay refunds on the local stack', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  async function paidRefund(user: string) {
    const res = await stack.fn('pay', { action: 'createOrder', provider: 'newpay', items: [{ sku: 'coffee', quantity: 1 }], code: stack.code(user), payCode: stack.code(user) });
    await stack.requestPayment(res.body.payment, 'pay');
    const order = await stack.waitForStatus(res.body.order.orderNo, user, 'PAID');
    stack.sandboxes.newpay.refunds.silentCallbacks = true;
    stack.sandboxes.newpay.refunds.loseNextAnswer = true;
    try {
      const refund = await stack.fn('admin', { action: 'refund', code: stack.code('operator'), orderNo: order.orderNo, amount: order.amount });
      expect(refund.body.refund.status).toBe('PENDING');
      return { order, refundNo: refund.body.refund.refundNo as string };
    } finally {
      stack.sandboxes.newpay.refunds.silentCallbacks = false;
    }
  }

  it.each(['example', 'table'] as const)('verifies and applies the %s-style callback once, acknowledged {"transResult":"SUCCESS"}', async (style) => {
    const { order, refundNo } = await paidRefund(`np-${style}`);
    const adapter = stack.app.service.deps.providers.require('newpay').adapter;
    stack.sandboxes.newpay.refunds.callbackStyle = style;
    try {
      const body = stack.sandboxes.newpay.refunds.callbackBody(refundNo, order.currency);
      expect(adapter.verifyRefundNotification!(inbound(body))).toMatchObject({ refundNo, outcome: 'succeeded' });
      for (let i = 0; i < 3; i++) {
        const reply = await stack.post('/notify/newpay', body, 'application/json');
        expect([reply.status, JSON.parse(reply.text)]).toEqual([200, { transResult: 'SUCCESS' }]);
      }
    } finally {
      stack.sandboxes.newpay.refunds.callbackStyle = 'example';
    }
    const shopper = await stack.waitForStatus(order.orderNo, `np-${style}`, 'REFUNDED');
    expect(shopper).toMatchObject({ status: 'REFUNDED', refundedAmount: order.amount });
    const view = (await (await fetch(`${stack.url}/api/orders/${order.orderNo}`)).json()) as { events: { type: string; detail: { applied?: boolean } }[] };
    expect(view.events.filter((e) => e.type === 'refund_notification').map((e) => e.detail.applied)).toEqual([true, false, false]);
  });

  it('refuses a refund callback signed with another key, and changes nothing', async () => {
    const { order, refundNo } = await paidRefund('np-forged');
    const adapter = stack.app.service.deps.providers.require('newpay').adapter;
    const fields = { refundOrderAmt: String(order.amount), newpayRefundOrderNo: '1', refundOrderNo: refundNo, transStatus: 1 };
    const text = Object.keys(fields).sort().map((k) => `${k}=${String(fields[k as keyof typeof fields])}`).join('&');
    const forged = JSON.stringify({ ...fields, sign: createSign('RSA-SHA256').update(text).sign(OTHER_PRIVATE_KEY, 'base64') });
    expect(() => adapter.verifyRefundNotification!(inbound(forged))).toThrow(SignatureError);
    const reply = await stack.post('/notify/newpay', forged, 'application/json');
    expect(reply.status).toBe(401);
    expect((await stack.fn('pay', { action: 'queryOrder', orderNo: order.orderNo, code: stack.code('np-forged') })).body.order).toMatchObject({ status: 'PAID', refundedAmount: 0 });
  });

  it('admin: the WeChat context openid must be in ADMIN_OPENIDS; an empty list lets nobody in', async () => {
    const operator = stack.sandboxes.wechat.openidFor('operator');
    expect(stack.env.ADMIN_OPENIDS).toBe(operator);
    expect(await handleAdmin({ action: 'listOrders' }, { openid: operator }, stack.app)).toMatchObject({ ok: true });
    expect(await handleAdmin({ action: 'listOrders' }, { openid: 'oSomeoneElse000' }, stack.app)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const closed = { ...stack.app, config: { ...stack.app.config, adminOpenids: [] } };
    expect(await handleAdmin({ action: 'listOrders' }, { openid: operator }, closed)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
