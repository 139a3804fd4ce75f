import { ottDecrypt } from '../../local/sandboxes/ottpay/sandbox';
import type { ProviderHarness } from '../helpers/provider-harness';

export const ottpayHarness: ProviderHarness = {
  provider: 'ottpay',
  capabilities: { secondLoginCode: false, reissue: false, query: true, cashier: false, inApp: true, refund: true, refundQuery: true, refundResend: true },
  currencies: ['CAD'],
  silence: (stack) => {
    stack.sandboxes.ottpay.silentNotifications = true;
  },
  notification: (stack, orderNo) => stack.sandboxes.ottpay.signedNotification(orderNo),
  // Encrypted with another merchant's signkey: the md5/AES check must fail.
  forged: (stack, orderNo) => stack.sandboxes.ottpay.signedNotification(orderNo, 'AnotherSignKey16'),
  wrongAmount: (stack, orderNo) => {
    // Genuinely encrypted with the merchant's signkey, but one cent more than the order.
    const genuine = JSON.parse(stack.sandboxes.ottpay.signedNotification(orderNo).body) as { data: string; md5: string };
    const data = ottDecrypt(genuine.data, genuine.md5, stack.env.OTTPAY_SIGN_KEY!)!;
    return stack.sandboxes.ottpay.signedNotification(orderNo, undefined, { amount: String(Number(data.amount) + 1) });
  },
  isAck: (status, text) => {
    if (status !== 200) return false;
    try {
      return (JSON.parse(text) as { rsp_code?: unknown }).rsp_code === 'SUCCESS';
    } catch {
      return false;
    }
  },
};
