import { generateKeyPairSync } from 'node:crypto';
import type { ProviderHarness } from '../helpers/provider-harness';

/** Another party's RSA key: callbacks signed with it are forgeries. */
export const OTHER_PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

/** orderAmt one minor unit higher: "75001" (LAK), "12.35" (USD). */
export function oneUnitMore(orderAmt: string, currency: string): string {
  if (currency === 'LAK') return String(Number(orderAmt) + 1);
  const cents = String(Number(orderAmt.replace('.', '')) + 1).padStart(3, '0');
  return `${cents.slice(0, -2)}.${cents.slice(-2)}`;
}

export const newpayHarness: ProviderHarness = {
  provider: 'newpay',
  capabilities: { secondLoginCode: true, reissue: false, query: true, cashier: true, inApp: false, refund: true, refundQuery: true, refundResend: true },
  currencies: ['LAK', 'USD'],
  // NewPay spends a second fresh wx.login code itself (getMiniPayment).
  createExtras: (stack, user) => ({ payCode: stack.code(user) }),
  silence: (stack) => {
    stack.sandboxes.newpay.silentNotifications = true;
  },
  notification: (stack, orderNo) => stack.sandboxes.newpay.signedNotification(orderNo),
  forged: (stack, orderNo) => stack.sandboxes.newpay.signedNotification(orderNo, OTHER_PRIVATE_KEY),
  wrongAmount: (stack, orderNo) => {
    // Genuinely signed with NewPay's platform key, for one minor unit more than the order.
    const order = stack.sandboxes.newpay.find(orderNo);
    return stack.sandboxes.newpay.signedNotification(orderNo, undefined, { orderAmt: oneUnitMore(order.orderAmt, order.currency) });
  },
  isAck: (status, text) => {
    try {
      return status === 200 && (JSON.parse(text) as { transResult?: unknown }).transResult === 'SUCCESS';
    } catch {
      return false;
    }
  },
};
