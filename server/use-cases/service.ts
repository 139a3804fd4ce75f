/**
 * The payment service, independent of where it runs (cloud function or local stack): its
 * parts, each with one job, built from the same dependencies.
 */
import { Checkout } from './checkout';
import type { PaymentDeps } from './context';
import { Operator } from './operator';
import { reconcile, type ReconcileOptions, type ReconcileSummary } from './reconcile';
import { NotificationIntake } from './settlement/intake';
import { PaymentSettlement } from './settlement/payments';
import { RefundSettlement } from './settlement/refunds';
import { ShopperOrders } from './shopper-orders';

export type { PaymentDeps } from './context';

export class PaymentService {
  readonly settlement: PaymentSettlement;
  readonly refunds: RefundSettlement;
  readonly orders: ShopperOrders;
  readonly checkout: Checkout;
  readonly notifications: NotificationIntake;
  readonly operator: Operator;

  constructor(readonly deps: PaymentDeps) {
    this.settlement = new PaymentSettlement(deps);
    this.refunds = new RefundSettlement(deps);
    this.orders = new ShopperOrders(deps, this.settlement);
    this.checkout = new Checkout(deps, this.settlement, this.orders);
    this.notifications = new NotificationIntake(deps, this.settlement, this.refunds);
    this.operator = new Operator(deps, this.refunds);
  }

  /** One reconcile run over everything due (use-cases/reconcile.ts). */
  reconcile(options: Partial<ReconcileOptions> = {}): Promise<ReconcileSummary> {
    return reconcile({ store: this.deps.store, payments: this.settlement, refunds: this.refunds, now: this.deps.now, log: this.deps.log }, options);
  }
}
