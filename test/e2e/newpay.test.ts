import { newpayHarness } from '../providers/newpay-harness';
import { paymentFlowSuite } from './payment-flow';

// Runs in LAK (no decimals) and USD (2 decimals).
paymentFlowSuite(newpayHarness);
