/**
 * The one way the engine asks a provider anything (create aside): the call, and whatever goes
 * wrong turned into an uncertain answer. A provider that throws (no answer, a timeout, an
 * unreadable or unsigned body, a bug in our own adapter) has told us nothing: the money is
 * held and the question is asked again later; nothing is failed or freed on a throw.
 */
import { isPayError } from '../../core/errors';
import type { Logger } from '../../core/log';
import type { TimelineEntry } from '../../domain/timeline';
import type { PaymentReport, RefundReport } from '../../providers/types';

/** Calls the provider; a throw becomes the uncertain report `uncertain` builds, saying why (logged, never secret). */
export async function ask<R extends PaymentReport | RefundReport>(log: Logger, what: string, meta: Record<string, unknown>, call: () => Promise<R>, uncertain: (summary: string, code: string) => R): Promise<R> {
  try {
    return await call();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const code = isPayError(e) ? e.code : 'INTERNAL';
    log.warn(`${what}: no answer we can rely on`, { ...meta, code, error: message });
    return uncertain(`no answer we can rely on: ${message}`, code);
  }
}

/** The uncertain report for a payment question that got no answer. */
export const uncertainPayment = (orderNo: string) => (summary: string, code: string): PaymentReport => ({ orderNo, outcome: 'uncertain', summary, code });

/** The uncertain report for a refund question that got no answer. */
export const uncertainRefund = (refundNo: string) => (summary: string, code: string): RefundReport => ({ refundNo, outcome: 'uncertain', summary, code });

/** The `provider_query` line every question asked of a provider writes: what was asked, why, and the answer. */
export function queryLine(report: PaymentReport | RefundReport, why: string): TimelineEntry {
  const about = 'refundNo' in report ? { about: 'refund', refundNo: report.refundNo } : { about: 'payment' };
  return { type: 'provider_query', detail: { ...about, why, outcome: report.outcome, ...(report.code !== undefined ? { code: report.code } : {}), summary: report.summary } };
}
