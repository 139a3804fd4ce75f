import type { ProviderHarness } from '../helpers/provider-harness';

export const wechatpayHarness: ProviderHarness = {
  provider: 'wechatpay',
  capabilities: { secondLoginCode: false, reissue: false, query: true, cashier: false, inApp: false, refund: true, refundQuery: true, refundResend: true, close: true },
  currencies: ['HKD'],
  silence: (stack) => {
    stack.sandboxes.wechatpay.silentNotifications = true;
    // The shared suites refund back to back; WeChat's one-minute rule has its own tests.
    stack.sandboxes.wechatpay.refundIntervalMs = 0;
  },
  notification: (stack, orderNo) => stack.sandboxes.wechatpay.signedNotification(orderNo),
  forged: (stack, orderNo) => stack.sandboxes.wechatpay.forgedNotification(orderNo),
  wrongAmount: (stack, orderNo) => {
    const tx = stack.sandboxes.wechatpay.find(orderNo);
    return stack.sandboxes.wechatpay.signedNotification(orderNo, { amount: { total: tx.total + 1, currency: tx.currency } });
  },
  // WeChat Pay reads the status only: 200 or 204.
  isAck: (status) => status === 200 || status === 204,
};
