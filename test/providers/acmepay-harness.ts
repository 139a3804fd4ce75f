import type { AcmeSandbox } from '../fixtures/acmepay/simulator';
import { WITH_ACMEPAY } from '../fixtures/acmepay';
import type { ProviderHarness } from '../helpers/provider-harness';
import type { TestStack } from '../helpers/local-stack';

const sim = (stack: TestStack) => stack.simulator('acmepay') as AcmeSandbox;

export const acmepayHarness: ProviderHarness = {
  provider: 'acmepay',
  capabilities: { secondLoginCode: false, reissue: false, query: true, cashier: false, inApp: false, refund: false, refundQuery: false, refundResend: false },
  stackOptions: WITH_ACMEPAY,
  currencies: ['USD'],
  silence: (stack) => {
    sim(stack).silentNotifications = true;
  },
  notification: (stack, orderNo) => sim(stack).signedNotification(orderNo),
  forged: (stack, orderNo) => sim(stack).forgedNotification(orderNo),
  wrongAmount: (stack, orderNo) => sim(stack).wrongAmountNotification(orderNo),
  isAck: (status, text) => status === 200 && text.includes('"received":true'),
};
