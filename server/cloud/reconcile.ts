/**
 * Entry point of the `reconcile` cloud function (bundled to cloudfunctions/reconcile/index.js),
 * run by the timer trigger in cloudfunctions/reconcile/config.json. The timer's event carries
 * nothing we need: every run looks at the orders themselves.
 */
import { errorResult } from '../core/errors';
import { handleReconcile } from '../functions/reconcile';
import { cloudWorld } from './world';

export async function main(): ReturnType<typeof handleReconcile> {
  let app;
  try {
    app = await cloudWorld();
  } catch (e) {
    return errorResult(e); // a configuration problem is logged by cloudWorld
  }
  return handleReconcile(app, process.env);
}
