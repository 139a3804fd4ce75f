/** What a shopper may read: the catalog, and their own orders (anyone else's is "not found"). */
import type { CatalogReply, PublicRefund } from '../contract/wire';
import { ConflictError, NotFoundError } from '../core/errors';
import { CURRENCY_DECIMALS, type Currency } from '../core/money';
import { toPublicOrder, type OrderStatus, type PublicOrder } from '../domain/order';
import { toPublicRefund } from '../domain/refund';
import { currencyFor } from '../providers/registry';
import type { StoredOrder } from '../store/types';
import type { PaymentDeps } from './context';
import type { PaymentSettlement } from './settlement/payments';

const PAID: readonly OrderStatus[] = ['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED'];

export class ShopperOrders {
  constructor(
    private readonly deps: PaymentDeps,
    private readonly settlement: PaymentSettlement,
  ) {}

  /** The catalog in a provider's currency (default: its first), and what the page must know about providers. */
  catalog(providerName: string | undefined, currency: Currency | undefined): CatalogReply {
    const { providers } = this.deps;
    const provider = providers.require(providerName ?? providers.names()[0]);
    const chosen = currencyFor(provider, currency);
    return {
      currency: chosen,
      decimals: CURRENCY_DECIMALS[chosen],
      items: this.deps.catalog.list(chosen),
      provider: providers.info(provider.name),
      providers: providers.names().map((n) => providers.info(n)),
    };
  }

  async getOwn(openid: string, orderNo: string): Promise<StoredOrder> {
    const order = await this.deps.store.get(orderNo);
    if (!order || order.openid !== openid) throw new NotFoundError(`order ${orderNo} was not found`, 'orderNo');
    return order;
  }

  /**
   * The caller's order; with `refresh`, an unpaid order is settled by asking the provider, at
   * most once per order per 10 s whoever calls (PaymentSettlement.refresh).
   */
  async query(openid: string, orderNo: string, refresh: boolean): Promise<{ order: PublicOrder; refunds?: PublicRefund[] }> {
    let order = await this.getOwn(openid, orderNo);
    if (refresh) order = await this.settlement.refresh(order);
    // A paid order's refunds travel in its document: the order page costs no second read.
    const refunds = PAID.includes(order.status) ? (order.refunds ?? []).map(toPublicRefund).sort((a, b) => b.createdAt - a.createdAt) : undefined;
    return { order: toPublicOrder(order), ...(refunds ? { refunds } : {}) };
  }

  /**
   * The shopper closes their own unpaid order (`cancelOrder`): closed at the provider where it
   * can close a payment (its answer that the payment was made pays the order instead), and here
   * with a compare-and-set from CREATED or PAYING only. A payment that arrives later still wins
   * (paid is final, marked for a person); a paid order cannot be cancelled.
   */
  async cancel(openid: string, orderNo: string): Promise<PublicOrder> {
    const order = await this.getOwn(openid, orderNo);
    if (PAID.includes(order.status)) throw new ConflictError('ORDER_ALREADY_PAID', `order ${orderNo} is paid; it cannot be cancelled (ask the shop for a refund)`);
    const after = await this.settlement.cancel(order);
    if (PAID.includes(after.status)) throw new ConflictError('ORDER_ALREADY_PAID', `order ${orderNo} was paid meanwhile; it cannot be cancelled`);
    return toPublicOrder(after);
  }

  async list(openid: string, limit = 50): Promise<PublicOrder[]> {
    return (await this.deps.store.listByOpenid(openid, limit)).map(toPublicOrder);
  }
}
