/**
 * Notification ingress: a provider's notification verified over its raw bytes, checked
 * against the order, confirmed by a query where its outcome is not signed, applied once and
 * recorded. It answers with a domain result; the payNotify function turns that into the
 * provider's own HTTP reply. Notifications that change nothing (forgeries, duplicates) are
 * counted on the order and only the first few are written to its timeline, so a flood costs
 * no storage and leaves the order's page small.
 */
import { PayError, SignatureError } from '../core/errors';
import { mask } from '../core/strings';
import type { UnappliedNotification } from '../orders/store';
import { isReference, type Order } from '../orders/types';
import type { RegisteredProvider } from '../providers/registry';
import type { InboundNotification, PaymentReport } from '../providers/types';
import { addEvent, type PaymentDeps } from './context';
import { AmountMismatchError, type Settlement } from './settlement';

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
      this.deps.log.warn('notification for an unknown order', { provider: provider.name, orderNo: mask(report.orderNo, 6) });
      return { kind: 'refused', reason: `order ${report.orderNo} not found`, why: 'unknown-order', retry: false };
    }
    try {
      // An uncertain outcome is never applied: the provider's query decides, as for an unsigned one.
      return report.confirm !== undefined || report.outcome === 'uncertain' ? await this.confirmed(order, report) : await this.applied(order, report);
    } catch (e) {
      if (e instanceof AmountMismatchError) {
        await this.recordUnapplied(order.orderNo, 'refused', { verified: true, applied: false, refused: e.message });
        this.deps.log.error('notification amount does not match the order', { orderNo: order.orderNo });
        return { kind: 'refused', reason: e.message, why: 'amount-mismatch', retry: false };
      }
      this.deps.log.error('notification could not be stored', { orderNo: order.orderNo, error: String(e) });
      return { kind: 'refused', reason: 'temporarily unable to store the notification', why: 'store-failure', retry: true };
    }
  }

  /** A fully signed report: applied as it stands. */
  private async applied(order: Order, report: PaymentReport): Promise<NotificationResult> {
    // The first delivery writes its line with the state change (one commit); duplicates are counted.
    const line = (applied: boolean) => ({ verified: true, applied, summary: report.summary });
    const applied = await this.settlement.apply(order, report, 'notification', [{ type: 'notification', detail: line(true) }]);
    if (!applied) await this.recordUnapplied(order.orderNo, 'duplicate', line(false));
    return { kind: 'accepted', applied };
  }

  /** A report whose outcome is unsigned: the provider's query decides; the notification only prompted it. */
  private async confirmed(order: Order, report: PaymentReport): Promise<NotificationResult> {
    // What the notification does sign (its order and amount) must still match before we ask.
    this.settlement.check(order, report, 'notification');
    const confirmation = await this.settlement.confirmByQuery(order, report);
    const detail = { verified: true, summary: report.summary, confirmBecause: report.confirm };
    if (confirmation.kind === 'unconfirmed' && confirmation.pending && report.outcome === 'pending') {
      // It said "not yet", and so does the provider: nothing to do, nothing to resend.
      await this.recordUnapplied(order.orderNo, 'duplicate', { ...detail, applied: false });
      return { kind: 'accepted', applied: false };
    }
    if (confirmation.kind === 'unconfirmed') {
      await this.recordUnapplied(order.orderNo, 'refused', { ...detail, applied: false, refused: confirmation.reason });
      return { kind: 'refused', reason: `not applied until confirmed: ${confirmation.reason}`, why: 'unconfirmed', retry: true };
    }
    const line = { ...detail, applied: confirmation.changed, confirmedBy: confirmation.query.summary };
    if (confirmation.changed) await addEvent(this.deps, order.orderNo, 'notification', line);
    else await this.recordUnapplied(order.orderNo, 'duplicate', line);
    return { kind: 'accepted', applied: confirmation.changed };
  }

  /** Counts a notification that changed nothing; only the first few get a timeline line. */
  private async recordUnapplied(orderNo: string, kind: UnappliedNotification, detail: Record<string, unknown>): Promise<void> {
    const count = await this.deps.store.countUnapplied(orderNo, kind);
    if (count === 0 || count > RECORDED_UNAPPLIED) return;
    const note = count === RECORDED_UNAPPLIED ? { note: `further ${kind} notifications are counted on the order, not recorded` } : {};
    await addEvent(this.deps, orderNo, 'notification', { ...detail, [kind]: count, ...note });
  }

  private async recordRefused(provider: RegisteredProvider, inbound: InboundNotification, reason: string): Promise<void> {
    let claimed: string | undefined;
    try {
      claimed = provider.adapter.claimedOrderNo(inbound);
    } catch {
      claimed = undefined;
    }
    this.deps.log.warn('notification refused', { provider: provider.name, claimedOrder: claimed ? mask(claimed, 6) : null, reason });
    if (isReference(claimed)) await this.recordUnapplied(claimed, 'refused', { verified: false, applied: false, refused: reason });
  }
}
