/** Entry point of the `admin` cloud function (bundled to cloudfunctions/admin/index.js): operators only. */
import { errorResult } from '../core/errors';
import { handleAdmin } from '../functions/admin';
import { callerOpenid, cloudWorld } from './world';

export async function main(event: unknown): Promise<Record<string, unknown>> {
  try {
    const app = await cloudWorld();
    const openid = callerOpenid();
    return await handleAdmin(event, openid ? { openid } : {}, app);
  } catch (e) {
    return errorResult(e);
  }
}
