/**
 * The one intake for everything a provider sends us, payments and refunds alike:
 * verify (over the raw bytes) → find (the order, or the order holding the refund) → check
 * (amount, currency, reference) → apply (once) → record. It answers with a domain result; the
 * payNotify function turns that into the provider's own HTTP reply. Notifications that change
 * nothing (forgeries, duplicates, replays) are counted on the order and only the first few are
 * written to its timeline, so a flood costs no storage.
 */
import { PayError, SignatureError } from '../../core/errors';
import { mask } from '../../core/strings';
import { isReference, type Order } from '../../domain/order';
import { findRefund } from '../../domain/refund-state';
import type { TimelineEntry } from '../../domain/timeline';
import type { RegisteredProvider } from '../../providers/registry';
import type { InboundNotification, PaymentReport, RefundReport } from '../../providers/types';
import type { StoredOrder } from '../../store/types';
import { mutate, type PaymentDeps } from '../context';
import { AmountMismatchError, checkReport, type PaymentSettlement } from './payments';
import { checkRefundReport, RefundAmountMismatchError, type RefundSettlement } from './refunds';

/** How many refused (or duplicate) notifications per order get a timeline line; the rest are counted. */
export const RECORDED_UNAPPLIED = 5;

export type NotificationResult =
  /** Stored (or a duplicate of what is stored): acknowledge so the provider stops resending. */
  | { kind: 'accepted'; applied: boolean }
  /** Not counted, and resending will not change that. */
  | { kind: 'refused'; reason: string; why: 'signature' | 'unreadable' | 'unknown-order' | 'amount-mismatch'; retry: false }
  /** Not counted yet: the provider should send it again (our store failed, or a query could not confirm it). */
  | { kind: 'refused'; reason: string; why: 'store-failure' | 'unconfirmed'; retry: true }
  | { kind: 'unknown-provider' };

type Unapplied = 'refused' | 'duplicate';

export class NotificationIntake {
  constructor(
    private readonly deps: PaymentDeps,
    private readonly payments: PaymentSettlement,
    private readonly refunds: RefundSettlement,
  ) {}

  async receive(providerName: string, inbound: InboundNotification): Promise<NotificationResult> {
    const provider = this.deps.providers.get(providerName);
    if (!provider) return { kind: 'unknown-provider' };
    const adapter = provider.adapter;
    let isRefund = false;
    try {
      isRefund = !!adapter.isRefundNotification && !!adapter.verifyRefundNotification && adapter.isRefundNotification(inbound);
    } catch {
      isRefund = false;
    }
    let verified: { kind: 'payment'; report: PaymentReport } | { kind: 'refund'; report: RefundReport };
    try {
      verified = isRefund ? { kind: 'refund', report: adapter.verifyRefundNotification!(inbound) } : { kind: 'payment', report: adapter.verifyNotification(inbound) };
    } catch (e) {
      const reason = e instanceof PayError ? e.message : 'unreadable notification';
      await this.recordRefused(provider, inbound, reason);
      return { kind: 'refused', reason, why: e instanceof SignatureError ? 'signature' : 'unreadable', retry: false };
    }
    try {
      return verified.kind === 'payment' ? await this.payment(provider, verified.report) : await this.refund(provider, verified.report);
    } catch (e) {
      this.deps.log.error('notification could not be stored', { provider: provider.name, error: String(e) });
      return { kind: 'refused', reason: 'temporarily unable to store the notification', why: 'store-failure', retry: true };
    }
  }

  private async payment(provider: RegisteredProvider, report: PaymentReport): Promise<NotificationResult> {
    const order = await this.deps.store.get(report.orderNo);
    if (!order || order.provider !== provider.name) {
      this.deps.log.warn('notification for an unknown order', { provider: provider.name, orderNo: mask(report.orderNo, 6) });
      return { kind: 'refused', reason: `order ${report.orderNo} not found`, why: 'unknown-order', retry: false };
    }
    try {
      checkReport(order, report, 'notification');
    } catch (e) {
      if (!(e instanceof AmountMismatchError)) throw e;
      await this.recordUnapplied(order, 'refused', { verified: true, applied: false, refused: e.message });
      this.deps.log.error('notification does not match the order', { orderNo: order.orderNo });
      return { kind: 'refused', reason: e.message, why: 'amount-mismatch', retry: false };
    }
    const detail = { verified: true, summary: report.summary, ...(report.code !== undefined ? { code: report.code } : {}) };
    if (report.confirm !== undefined || report.outcome === 'uncertain') return this.confirmed(order, report, detail);
    const applied = await this.payments.apply(order.orderNo, report, 'notification', [{ type: 'notification', detail: { ...detail, applied: true } }], order);
    // A duplicate: `order` (as read) is still current unless a write raced it, which the compare-and-set detects.
    if (!applied) await this.recordUnapplied(order, 'duplicate', { ...detail, applied: false });
    return { kind: 'accepted', applied };
  }

  /** An outcome the signature does not cover (or one the provider's table does not document): its query decides. */
  private async confirmed(order: StoredOrder, report: PaymentReport, detail: Record<string, unknown>): Promise<NotificationResult> {
    const before = order.status;
    const after = await this.payments.settleByQuery(order, `confirming a notification: ${report.confirm ?? 'undocumented outcome'}`);
    const changed = after.status !== before;
    if (changed) return { kind: 'accepted', applied: true };
    if (report.outcome === 'pending' && after.status === before) {
      // It said "not yet", and nothing says otherwise: nothing to do, nothing to resend.
      await this.recordUnapplied(after, 'duplicate', { ...detail, applied: false });
      return { kind: 'accepted', applied: false };
    }
    if (!['CREATED', 'PAYING'].includes(after.status)) {
      await this.recordUnapplied(after, 'duplicate', { ...detail, applied: false });
      return { kind: 'accepted', applied: false };
    }
    await this.recordUnapplied(after, 'refused', { ...detail, applied: false, refused: 'not confirmed by the provider yet' });
    return { kind: 'refused', reason: 'not applied until the provider confirms it', why: 'unconfirmed', retry: true };
  }

  private async refund(provider: RegisteredProvider, report: RefundReport): Promise<NotificationResult> {
    const order = await this.deps.store.findByRefundNo(report.refundNo);
    const refund = order && findRefund(order, report.refundNo);
    if (!order || !refund || refund.provider !== provider.name) {
      this.deps.log.warn('refund callback for an unknown refund', { provider: provider.name, refundNo: report.refundNo });
      return { kind: 'refused', reason: `refund ${report.refundNo} not found`, why: 'unknown-order', retry: false };
    }
    try {
      checkRefundReport(refund, report, 'notification');
    } catch (e) {
      if (!(e instanceof RefundAmountMismatchError)) throw e;
      await this.recordUnapplied(order, 'refused', { refundNo: refund.refundNo, verified: true, applied: false, refused: e.message }, 'refund_notification');
      return { kind: 'refused', reason: e.message, why: 'amount-mismatch', retry: false };
    }
    const settledBefore = refund.status;
    const final = report.outcome === 'succeeded' || report.outcome === 'refused';
    const changes = final && (settledBefore === 'PENDING' || (settledBefore === 'FAILED' && report.outcome === 'succeeded'));
    const line: TimelineEntry = { type: 'refund_notification', detail: { refundNo: refund.refundNo, verified: true, applied: changes, outcome: report.outcome, ...(report.code !== undefined ? { code: report.code } : {}), summary: report.summary } };
    if (!changes && settledBefore !== 'PENDING') {
      await this.recordUnapplied(order, 'duplicate', { ...line.detail, applied: false }, 'refund_notification');
      return { kind: 'accepted', applied: false };
    }
    const { refund: after } = await this.refunds.applyReport(order.orderNo, refund.refundNo, report, 'notification', line, provider);
    return { kind: 'accepted', applied: after.status !== settledBefore };
  }

  /** Counts a notification that changed nothing; only the first few get a timeline line (one write). */
  private async recordUnapplied(order: Pick<Order, 'orderNo'> | StoredOrder, kind: Unapplied, detail: Record<string, unknown>, type: 'notification' | 'refund_notification' = 'notification'): Promise<void> {
    const field = kind === 'refused' ? 'refusedNotifications' : 'duplicateNotifications';
    // The order as just read, where the caller has it: one round trip when nobody wrote in between.
    const start = 'rev' in order ? order : undefined;
    await mutate(this.deps, order.orderNo, (o) => {
      const count = (o[field] ?? 0) + 1;
      const lines: TimelineEntry[] = [];
      if (count <= RECORDED_UNAPPLIED) {
        const note = count === RECORDED_UNAPPLIED ? { note: `further ${kind} notifications are counted on the order, not recorded` } : {};
        lines.push({ type, detail: { ...detail, [kind]: count, ...note } });
      }
      return { order: { ...o, [field]: count }, lines, result: undefined };
    }, start);
  }

  private async recordRefused(provider: RegisteredProvider, inbound: InboundNotification, reason: string): Promise<void> {
    let claimed: string | undefined;
    try {
      claimed = provider.adapter.claimedOrderNo(inbound);
    } catch {
      claimed = undefined;
    }
    this.deps.log.warn('notification refused', { provider: provider.name, claimedOrder: claimed ? mask(claimed, 6) : null, reason });
    if (isReference(claimed)) await this.recordUnapplied({ orderNo: claimed }, 'refused', { verified: false, applied: false, refused: reason });
  }
}
