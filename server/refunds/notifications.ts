/**
 * Refund callbacks reach payNotify like payment notifications (same URL: `<NOTIFY_BASE_URL>/
 * <provider>`); the adapter tells them apart by their shape (isRefundNotification, e.g. a
 * body carrying a refund order number). Only a verified callback changes a refund; it is applied
 * at most once and acknowledged in the provider's own format.
 */
import { PayError, SignatureError } from '../core/errors';
import type { InboundNotification, RefundReport } from '../providers/types';
import { addEvent, type PaymentDeps } from '../payments/context';
import type { NotificationResult } from '../payments/notifications';
import type { RefundService } from './service';
import { RefundAmountMismatchError } from './service';

export class RefundNotificationIngress {
  constructor(
    private readonly deps: PaymentDeps,
    private readonly refunds: RefundService,
  ) {}

  /** Whether this inbound notification is a refund callback of an enabled provider (routing only). */
  handles(providerName: string, inbound: InboundNotification): boolean {
    const adapter = this.deps.providers.get(providerName)?.adapter;
    if (!adapter?.isRefundNotification || !adapter.verifyRefundNotification) return false;
    try {
      return adapter.isRefundNotification(inbound);
    } catch {
      return false;
    }
  }

  async receive(providerName: string, inbound: InboundNotification): Promise<NotificationResult> {
    const provider = this.deps.providers.get(providerName);
    if (!provider?.adapter.verifyRefundNotification) return { kind: 'unknown-provider' };
    let report: RefundReport;
    try {
      report = provider.adapter.verifyRefundNotification(inbound);
    } catch (e) {
      const reason = e instanceof PayError ? e.message : 'unreadable refund callback';
      this.deps.log.warn('refund callback refused', { provider: provider.name, reason });
      return { kind: 'refused', reason, why: e instanceof SignatureError ? 'signature' : 'unreadable', retry: false };
    }
    const refund = await this.deps.store.getRefund(report.refundNo);
    if (!refund || refund.provider !== provider.name) {
      this.deps.log.warn('refund callback for an unknown refund', { provider: provider.name, refundNo: report.refundNo });
      return { kind: 'refused', reason: `refund ${report.refundNo} not found`, why: 'unknown-order', retry: false };
    }
    const line = (applied: boolean) => ({ type: 'refund_notification' as const, detail: { refundNo: refund.refundNo, verified: true, applied, outcome: report.outcome, summary: report.summary } });
    try {
      const applied = await this.refunds.apply(refund, report, 'notification', [line(true)]);
      if (!applied) await addEvent(this.deps, refund.orderNo, 'refund_notification', line(false).detail);
      return { kind: 'accepted', applied };
    } catch (e) {
      if (e instanceof RefundAmountMismatchError) {
        await addEvent(this.deps, refund.orderNo, 'refund_notification', { refundNo: refund.refundNo, verified: true, applied: false, refused: e.message });
        return { kind: 'refused', reason: e.message, why: 'amount-mismatch', retry: false };
      }
      this.deps.log.error('refund callback could not be stored', { refundNo: refund.refundNo, error: String(e) });
      return { kind: 'refused', reason: 'temporarily unable to store the refund callback', why: 'store-failure', retry: true };
    }
  }
}
