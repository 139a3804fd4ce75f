/** Entry point of the `payNotify` cloud function, reached through HTTP access. */
import { handlePayNotify } from '../functions/pay-notify';
import { cloudWorld } from './world';

export async function main(event: unknown): Promise<{ statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded: false }> {
  try {
    const app = await cloudWorld();
    return await handlePayNotify(event, app.service);
  } catch (e) {
    // Cold-start failures are logged by cloudWorld; this names the request it cost.
    console.error('payNotify could not answer', e instanceof Error ? e.message : String(e));
    // Not acknowledged: the provider retries once the function is healthy.
    return { statusCode: 500, headers: { 'Content-Type': 'text/plain' }, body: 'temporarily unavailable', isBase64Encoded: false };
  }
}
