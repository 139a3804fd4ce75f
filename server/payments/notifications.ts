/**
 * Notification ingress: a provider's notification verified over its raw bytes, checked
 * against the order, applied once and recorded. It answers with a domain result; the
 * payNotify function turns that into the provider's own HTTP reply.
 */
import { PayError, SignatureError } from '../core/errors';
import { mask } from '../core/strings';
import { isReference } from '../orders/types';
import type { RegisteredProvider } from '../providers/registry';
import type { InboundNotification, PaymentReport } from '../providers/types';
import { addEvent, type PaymentDeps } from './context';
import { AmountMismatchError, type Settlement } from './settlement';

export type NotificationResult =
  /** Stored (or a duplicate of what is stored): acknowledge so the provider stops resending. */
  | { kind: 'accepted'; applied: boolean }
  /** Not counted; `retry` says whether the provider should send it again. */
  | { kind: 'refused'; reason: string; why: 'signature' | 'unreadable' | 'unknown-order' | 'amount-mismatch'; retry: false }
  | { kind: 'refused'; reason: string; why: 'store-failure'; retry: true }
  | { kind: 'unknown-provider' };

export class NotificationIngress {
  constructor(
    private readonly deps: PaymentDeps,
    private readonly settlement: Settlement,
  ) {}

  async receive(providerName: string, inbound: InboundNotification): Promise<NotificationResult> {
    const provider = this.deps.providers.get(providerName);
    if (!provider) return { kind: 'unknown-provider' };
    let report: PaymentReport;
    try {
      report = provider.adapter.verifyNotification(inbound);
    } catch (e) {
      const reason = e instanceof PayError ? e.message : 'unreadable notification';
      await this.recordRefused(provider, inbound, reason);
      return { kind: 'refused', reason, why: e instanceof SignatureError ? 'signature' : 'unreadable', retry: false };
    }
    const order = await this.deps.store.get(report.orderNo);
    if (!order || order.provider !== provider.name) {
      this.deps.log.warn('notification for an unknown order', { provider: provider.name, orderNo: report.orderNo });
      return { kind: 'refused', reason: `order ${report.orderNo} not found`, why: 'unknown-order', retry: false };
    }
    try {
      // The first delivery writes its line with the state change (one commit); duplicates add theirs.
      const line = (applied: boolean) => ({ verified: true, applied, summary: report.summary });
      const applied = await this.settlement.apply(order, report, 'notification', [{ type: 'notification', detail: line(true) }]);
      if (!applied) await addEvent(this.deps, order.orderNo, 'notification', line(false));
      if (!applied && report.outcome === 'paid' && order.status !== 'PAID') {
        const current = await this.deps.store.get(order.orderNo);
        if (current && current.status !== 'PAID') {
          this.deps.log.error('paid notification for an order that cannot become PAID', { orderNo: order.orderNo, status: current.status });
        }
      }
      return { kind: 'accepted', applied };
    } catch (e) {
      if (e instanceof AmountMismatchError) {
        await addEvent(this.deps, order.orderNo, 'notification', { verified: true, applied: false, refused: e.message });
        this.deps.log.error('notification amount does not match the order', { orderNo: order.orderNo });
        return { kind: 'refused', reason: e.message, why: 'amount-mismatch', retry: false };
      }
      this.deps.log.error('notification could not be stored', { orderNo: order.orderNo, error: String(e) });
      return { kind: 'refused', reason: 'temporarily unable to store the notification', why: 'store-failure', retry: true };
    }
  }

  private async recordRefused(provider: RegisteredProvider, inbound: InboundNotification, reason: string): Promise<void> {
    let claimed: string | undefined;
    try {
      claimed = provider.adapter.claimedOrderNo(inbound);
    } catch {
      claimed = undefined;
    }
    this.deps.log.warn('notification refused', { provider: provider.name, claimedOrder: claimed ? mask(claimed, 6) : null, reason });
    if (isReference(claimed) && (await this.deps.store.get(claimed))) {
      await addEvent(this.deps, claimed, 'notification', { verified: false, applied: false, refused: reason });
    }
  }
}
