/** How OTT Pay's REFUND answers are read (server/providers/ottpay/refund.ts), on a scripted processV2. */
import { ProviderError } from '../../server/core/errors';
import type { Order } from '../../server/domain/order';
import { ottpayQueryRefund, ottpayRefund, type OttCall } from '../../server/providers/ottpay/refund';
import type { Refund } from '../../server/domain/refund';

const order = { orderNo: '20261202000000123456', currency: 'CAD', amount: 1000 } as Order;
const refund: Refund = { refundNo: 'R1', orderNo: order.orderNo, provider: 'ottpay', amount: 250, currency: 'CAD', status: 'PENDING', createdAt: 1, updatedAt: 1 };
const input = { order, refund, notifyUrl: 'http://x/notify/ottpay' };

function answering(answer: Awaited<ReturnType<OttCall>>): { call: OttCall; sent: unknown[] } {
  const sent: unknown[] = [];
  return { sent, call: async (...args) => (sent.push(args), answer) };
}

describe('OTT Pay REFUND', () => {
  it('sends a new order_id (the refundNo), the paid order and cents', async () => {
    const { call, sent } = answering({ httpStatus: 200, rspCode: 'SUCCESS', rspMsg: 'success', data: { order_id: 'R1', refund_amt: '250', order_status: 'SUCCESS' } });
    expect(await ottpayRefund(call, input)).toMatchObject({ refundNo: 'R1', outcome: 'succeeded', amount: { amount: 250, currency: 'CAD' } });
    expect(sent).toEqual([['REFUND', '1.0', { order_id: 'R1', ori_order_id: order.orderNo, refund_amt: '250' }]]);
  });

  it('counts SUCCESS only with encrypted data: without it, or PROCESSING, the refund is pending', async () => {
    expect((await ottpayRefund(answering({ httpStatus: 200, rspCode: 'SUCCESS', rspMsg: '' }).call, input)).outcome).toBe('pending');
    expect((await ottpayRefund(answering({ httpStatus: 200, rspCode: 'PROCESSING', rspMsg: '' }).call, input)).outcome).toBe('pending');
    expect((await ottpayRefund(answering({ httpStatus: 200, rspCode: 'SUCCESS', rspMsg: '', data: { order_status: 'PROCESSING' } }).call, input)).outcome).toBe('pending');
  });

  it('refuses data about another refund, and turns refusals into ProviderErrors (uncertain ones retryable)', async () => {
    await expect(ottpayRefund(answering({ httpStatus: 200, rspCode: 'SUCCESS', rspMsg: '', data: { order_id: 'R2' } }).call, input)).rejects.toThrow(ProviderError);
    const used = ottpayRefund(answering({ httpStatus: 200, rspCode: 'ORDER_USED', rspMsg: 'order_id was used' }).call, input);
    await expect(used).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('send a new refundNo') });
    await expect(ottpayRefund(answering({ httpStatus: 200, rspCode: 'SYSTEM_ERROR', rspMsg: '' }).call, input)).rejects.toMatchObject({ retryable: true });
  });

  it('queries a refund by STATUS_QUERY on its own order_id', async () => {
    const { call, sent } = answering({ httpStatus: 200, rspCode: 'SUCCESS', rspMsg: '', data: { order_id: 'R1', order_status: 'SUCCESS', refund_amt: '250' } });
    expect(await ottpayQueryRefund(call, refund)).toMatchObject({ outcome: 'succeeded' });
    expect(sent).toEqual([['STATUS_QUERY', '1.0', { order_id: 'R1' }, 2]]);
    await expect(ottpayQueryRefund(answering({ httpStatus: 200, rspCode: 'FAIL', rspMsg: 'order not found' }).call, refund)).rejects.toThrow(ProviderError);
  });
});
