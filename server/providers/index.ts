/**
 * The one list of provider modules. The server's configuration, registry and checks iterate
 * over it; adding an acquirer is its folder plus one line here (and one in
 * local/sandboxes/index.ts for its simulator).
 */
import type { AnyProviderDescriptor } from './descriptor';
import { latipay } from './latipay';
import { newpay } from './newpay';
import { ottpay } from './ottpay';
import { wechatpay } from './wechatpay';

export const PROVIDERS: readonly AnyProviderDescriptor[] = [latipay, ottpay, newpay, wechatpay];
