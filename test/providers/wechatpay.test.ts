import { providerContract } from './contract';
import { wechatpayHarness } from './wechatpay-harness';

providerContract(wechatpayHarness);
