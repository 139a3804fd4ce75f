/**
 * The payment service, independent of where it runs (cloud function or local stack): its
 * parts, each with one job, built from the same dependencies.
 */
import { Checkout } from './checkout';
import type { PaymentDeps } from './context';
import { NotificationIngress } from './notifications';
import { Settlement } from './settlement';
import { ShopperOrders } from './shopper-orders';

export type { PaymentDeps } from './context';

export class PaymentService {
  readonly settlement: Settlement;
  readonly orders: ShopperOrders;
  readonly checkout: Checkout;
  readonly notifications: NotificationIngress;

  constructor(readonly deps: PaymentDeps) {
    this.settlement = new Settlement(deps);
    this.orders = new ShopperOrders(deps, this.settlement);
    this.checkout = new Checkout(deps, this.settlement, this.orders);
    this.notifications = new NotificationIngress(deps, this.settlement);
  }
}
