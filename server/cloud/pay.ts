/** Entry point of the `pay` cloud function (bundled to cloudfunctions/pay/index.js). */
import { errorResult } from '../core/errors';
import { handlePay } from '../functions/pay';
import { callerOpenid, cloudWorld } from './world';

export async function main(event: unknown): Promise<Record<string, unknown>> {
  try {
    const app = await cloudWorld();
    const openid = callerOpenid();
    return await handlePay(event, openid ? { openid } : {}, app);
  } catch (e) {
    return errorResult(e);
  }
}
