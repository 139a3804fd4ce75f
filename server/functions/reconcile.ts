/**
 * The `reconcile` cloud function, run by a timer trigger (POST /fn/reconcile on the local
 * stack): options from the environment, one run of the reconcile use-case over everything due
 * (use-cases/reconcile.ts), and every failure as an `{ok: false}` reply.
 */
import { errorResult } from '../core/errors';
import type { Env } from '../config/env';
import type { Logger } from '../core/log';
import { reconcileOptionsFromEnv, type ReconcileSummary } from '../use-cases/reconcile';
import type { PaymentService } from '../use-cases/service';

export type { ReconcileSummary } from '../use-cases/reconcile';

export async function handleReconcile(deps: { service: PaymentService; log?: Logger }, env: Env): Promise<ReconcileSummary | ReturnType<typeof errorResult>> {
  try {
    return await deps.service.reconcile(reconcileOptionsFromEnv(env));
  } catch (e) {
    deps.log?.error('reconcile failed', { error: e instanceof Error ? e.message : String(e) });
    return errorResult(e);
  }
}
