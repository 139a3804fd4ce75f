/**
 * The one list of provider simulators the local stack mounts, each at /sandbox/<name>.
 * Adding an acquirer's simulator is its folder plus one line here.
 */
import { latipaySimulator } from './latipay';
import { newpaySimulator } from './newpay';
import { ottpaySimulator } from './ottpay';
import { wechatpaySimulator } from './wechatpay';
import type { SimulatorModule } from './simulator';

export const SIMULATORS: readonly SimulatorModule[] = [latipaySimulator, ottpaySimulator, newpaySimulator, wechatpaySimulator];
