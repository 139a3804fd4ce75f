import { wechatpayHarness } from '../providers/wechatpay-harness';
import { paymentFlowSuite } from './payment-flow';

paymentFlowSuite(wechatpayHarness);
