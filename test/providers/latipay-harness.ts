import CryptoJS from 'crypto-js';
import type { ProviderHarness } from '../helpers/provider-harness';

export const latipayHarness: ProviderHarness = {
  provider: 'latipay',
  capabilities: { secondLoginCode: false, reissue: true, query: true, cashier: false, inApp: false, refund: true, refundQuery: false, refundResend: false },
  currencies: ['NZD'],
  silence: (stack) => {
    stack.sandboxes.latipay.silentNotifications = true;
  },
  notification: (stack, orderNo) => stack.sandboxes.latipay.signedNotification(orderNo),
  forged: (stack, orderNo) => stack.sandboxes.latipay.signedNotification(orderNo, 'another-merchants-key'),
  wrongAmount: (stack, orderNo) => {
    // Correctly signed by Latipay's key, but for an amount one cent higher than the order.
    const genuine = new URLSearchParams(stack.sandboxes.latipay.signedNotification(orderNo).body);
    const amount = (Number(genuine.get('amount')!.replace('.', '')) + 1).toString().padStart(3, '0');
    const decimal = `${amount.slice(0, -2)}.${amount.slice(-2)}`;
    genuine.set('amount', decimal);
    const message = `${genuine.get('merchant_reference')}${genuine.get('payment_method')}${genuine.get('status')}${genuine.get('currency')}${decimal}`;
    genuine.set('signature', CryptoJS.HmacSHA256(message, stack.env.LATIPAY_API_KEY!).toString());
    return { body: genuine.toString(), contentType: 'application/x-www-form-urlencoded' };
  },
  isAck: (status, text) => status === 200 && text === 'sent',
};
