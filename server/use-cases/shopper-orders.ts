/** What a shopper may read: the catalog, and their own orders (anyone else's is "not found"). */
import type { CatalogReply } from '../contract/wire';
import { NotFoundError } from '../core/errors';
import { CURRENCY_DECIMALS, type Currency } from '../core/money';
import { toPublicOrder, type PublicOrder } from '../domain/order';
import { currencyFor } from '../providers/registry';
import type { StoredOrder } from '../store/types';
import type { PaymentDeps } from './context';
import type { PaymentSettlement } from './settlement/payments';

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
  async query(openid: string, orderNo: string, refresh: boolean): Promise<PublicOrder> {
    let order = await this.getOwn(openid, orderNo);
    if (refresh) order = await this.settlement.refresh(order);
    return toPublicOrder(order);
  }

  async list(openid: string, limit = 50): Promise<PublicOrder[]> {
    return (await this.deps.store.listByOpenid(openid, limit)).map(toPublicOrder);
  }
}
