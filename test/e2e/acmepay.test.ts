/** The fixture provider runs the whole payment flow on the local stack, like the real three. */
import { acmepayHarness } from '../providers/acmepay-harness';
import { paymentFlowSuite } from './payment-flow';

paymentFlowSuite(acmepayHarness);
