import { latipayHarness } from '../providers/latipay-harness';
import { paymentFlowSuite } from './payment-flow';

paymentFlowSuite(latipayHarness);
