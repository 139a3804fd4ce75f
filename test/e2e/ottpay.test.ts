import { ottpayHarness } from '../providers/ottpay-harness';
import { paymentFlowSuite } from './payment-flow';

paymentFlowSuite(ottpayHarness);
