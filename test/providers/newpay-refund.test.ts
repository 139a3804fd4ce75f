/**
 * NewPay's refund callback: decided by its signed transStatus only (the table's 1 success; the
 * example's 0 with "Transaction Success" contradicts the table, so 0 is uncertain and the v2
 * refund query decides), told apart from payment callbacks by its shape, verified with the
 * platform key, and applied through payNotify at the same URL.
 */
import { SignatureError } from '../../server/core/errors';
import { handleAdmin } from '../../server/functions/admin';
import { isNewPayRefundCallback } from '../../server/providers/newpay/refund';
import type { InboundNotification } from '../../server/providers/types';
import { startTestStack, type TestStack } from '../helpers/local-stack';
import { OTHER_PRIVATE_KEY } from './newpay-harness';
import { createSign } from 'node:crypto';

const inbound = (body: string): InboundNotification => ({ headers: { 'content-type': 'application/json' }, rawBody: Buffer.from(body, 'utf8'), query: {} });

describe('NewPay refund callback routing', () => {
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

  it('reads a callback by its signed code only: 1 succeeded, 0 uncertain whatever transInfo says', async () => {
    const { order, refundNo } = await paidRefund('np-words');
    const adapter = stack.app.service.deps.providers.require('newpay').adapter;
    // Genuinely signed with NewPay's platform key (the simulator's callback signer), refund fields added.
    const signed = (fields: Record<string, unknown>) => inbound(stack.sandboxes.newpay.signedNotification(order.orderNo, undefined, { refundOrderNo: refundNo, ...fields }).body);
    expect(adapter.verifyRefundNotification!(signed({ transStatus: 1 }))).toMatchObject({ refundNo, outcome: 'succeeded', code: '1' });
    for (const transInfo of ['Transaction Success', 'Transaction Unsuccessful', 'Refund not successful']) {
      expect(adapter.verifyRefundNotification!(signed({ transStatus: 0, transInfo }))).toMatchObject({ outcome: 'uncertain', code: '0' });
    }
    expect(adapter.verifyRefundNotification!(signed({ transStatus: 1, transInfo: 'Refund not successful' })).outcome).toBe('succeeded');
    expect(adapter.verifyRefundNotification!(signed({ transStatus: 7, transInfo: 'Transaction Success' })).outcome).toBe('uncertain');
  });

  it('applies the table-style callback (transStatus 1) once, acknowledged {"transResult":"SUCCESS"}', async () => {
    const { order, refundNo } = await paidRefund('np-table');
    stack.sandboxes.newpay.refunds.callbackStyle = 'table';
    try {
      const body = stack.sandboxes.newpay.refunds.callbackBody(refundNo, order.currency);
      for (let i = 0; i < 3; i++) {
        const reply = await stack.post('/notify/newpay', body, 'application/json');
        expect([reply.status, JSON.parse(reply.text)]).toEqual([200, { transResult: 'SUCCESS' }]);
      }
    } finally {
      stack.sandboxes.newpay.refunds.callbackStyle = 'example';
    }
    const shopper = await stack.waitForStatus(order.orderNo, 'np-table', 'REFUNDED');
    expect(shopper).toMatchObject({ status: 'REFUNDED', refundedAmount: order.amount });
    const view = (await (await fetch(`${stack.url}/api/orders/${order.orderNo}`)).json()) as { events: { type: string; detail: { applied?: boolean } }[] };
    expect(view.events.filter((e) => e.type === 'refund_notification').map((e) => e.detail.applied)).toEqual([true, false, false]);
  });

  it('holds the example-style callback (transStatus 0, "Transaction Success") and lets uniQueryRefund decide', async () => {
    const { order, refundNo } = await paidRefund('np-example');
    const body = stack.sandboxes.newpay.refunds.callbackBody(refundNo, order.currency);
    const reply = await stack.post('/notify/newpay', body, 'application/json');
    expect(reply.status).toBe(200);
    expect((await stack.fn('pay', { action: 'queryOrder', orderNo: order.orderNo, code: stack.code('np-example') })).body.order).toMatchObject({ status: 'PAID', refundedAmount: 0 });
    // The refund query (v2 uniQueryRefund by mchRefundNo) says SUCCESS: now it is refunded.
    const asked = await stack.fn('admin', { action: 'queryRefund', code: stack.code('operator'), refundNo });
    expect(asked.body.refund).toMatchObject({ refundNo, status: 'SUCCEEDED' });
    expect((await stack.fn('pay', { action: 'queryOrder', orderNo: order.orderNo, code: stack.code('np-example') })).body.order).toMatchObject({ status: 'REFUNDED', refundedAmount: order.amount });
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
