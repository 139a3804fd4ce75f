/**
 * Entry point of the `reconcile` cloud function (bundled to cloudfunctions/reconcile/index.js),
 * run by the timer trigger in cloudfunctions/reconcile/config.json. The timer's event carries
 * nothing we need: every run looks at the orders themselves.
 */
import { errorResult } from '../core/errors';
import { reconcile, reconcileOptionsFromEnv, type ReconcileSummary } from '../functions/reconcile';
import { cloudWorld } from './world';

export async function main(): Promise<ReconcileSummary | ReturnType<typeof errorResult>> {
  try {
    const options = reconcileOptionsFromEnv(process.env);
    const app = await cloudWorld();
    return await reconcile({ service: app.service, store: app.store, log: app.log }, Date.now(), options);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return errorResult(e);
  }
}
