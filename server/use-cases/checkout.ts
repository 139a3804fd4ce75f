/**
 * Checkout: every way a shopper starts paying (mini program order, retry, provider cashier,
 * native app). Each follows one rule: validate and price first, with no side effects, then
 * spend the login code (`caller`), then store and ask the provider.
 */
import { ConflictError, ValidationError } from '../core/errors';
import { toPublicOrder, type PublicOrder } from '../domain/order';
import { requirePayCode, type RegisteredProvider } from '../providers/registry';
import type { AppPaymentParams, CreatedPayment, CreatePaymentInput, WxPaymentParams } from '../providers/types';
import type { CashierOrderCommand, CashierPaymentCommand, OrderCommand } from './commands';
import type { Caller, PaymentDeps } from './context';
import { Placement, type PricedOrder } from './placement';
import type { PaymentSettlement } from './settlement/payments';
import type { ShopperOrders } from './shopper-orders';

export class Checkout {
  private readonly placement: Placement;

  constructor(
    private readonly deps: PaymentDeps,
    private readonly settlement: PaymentSettlement,
    private readonly orders: ShopperOrders,
  ) {
    this.placement = new Placement(deps);
  }

  /** Checks provider, currency, cart and payCode, and prices the order; no side effects. */
  prepare(command: OrderCommand): PricedOrder {
    const provider = this.deps.providers.require(command.provider);
    const priced = this.placement.price(provider, command.currency, command.items);
    requirePayCode(provider, command.payCode);
    return priced;
  }


  /** The provider's mini program payment call, with the payCode only it spends where given. */
  private miniPaymentCall(provider: RegisteredProvider, payCode: string | undefined): (input: CreatePaymentInput) => Promise<CreatedPayment> {
    return (input) => provider.adapter.createMiniPayment({ ...input, ...(payCode !== undefined ? { payCode } : {}) });
  }

  /** Prices, stores and places an order; returns the wx.requestPayment parameters. */
  async createOrder(command: OrderCommand, caller: Caller): Promise<{ order: PublicOrder; payment: WxPaymentParams }> {
    const priced = this.prepare(command);
    const openid = await caller();
    const { order, created } = await this.placement.placeNew(
      openid,
      priced,
      this.miniPaymentCall(priced.provider, command.payCode),
      (c) => ({ signType: c.payment.signType }),
    );
    return { order: toPublicOrder(order), payment: created.payment };
  }

  /** The same for a merchant's native app (WeChat In-App Payment): the signed PayReq fields. */
  async createAppOrder(command: OrderCommand, caller: Caller): Promise<{ order: PublicOrder; appPayment: AppPaymentParams }> {
    const priced = this.prepare(command);
    const adapter = priced.provider.adapter;
    if (!priced.provider.capabilities.inApp || !adapter.createAppPayment) {
      throw new ValidationError('provider', `${priced.provider.name} does not offer in-app payments`);
    }
    const openid = await caller();
    const { order, created } = await this.placement.placeNew(openid, priced, (input) => adapter.createAppPayment!(input), () => ({ kind: 'app' }));
    return { order: toPublicOrder(order), appPayment: created.appPayment };
  }

  /** An order paid on the provider's own cashier page; returns where to send the shopper. */
  async createCashierOrder(command: CashierOrderCommand, caller: Caller): Promise<{ order: PublicOrder; payUrl: string }> {
    const provider = this.deps.providers.require(command.provider);
    const { descriptor, adapter } = provider;
    if (!provider.capabilities.cashier || !adapter.createCashierOrder || !descriptor.cashierOptions) {
      throw new ValidationError('provider', `${provider.name} has no cashier`);
    }
    const priced = this.placement.price(provider, command.currency, command.items);
    const options = descriptor.cashierOptions(command.options);
    const openid = await caller();
    const { order, created } = await this.placement.placeNew(
      openid,
      priced,
      (base) => adapter.createCashierOrder!({ order: base.order, notifyUrl: base.notifyUrl, ...options }),
      () => ({ kind: 'cashier', payMethod: options.payMethod, channel: options.channel }),
    );
    return { order: toPublicOrder(order), payUrl: created.payUrl };
  }

  /**
   * The wx.requestPayment parameters for an order the provider opened the mini program with
   * (its scheme URL carries the provider's order number). The order may come from any channel, so it
   * is not looked up here: its callback settles it like any other.
   */
  async cashierPayment(command: CashierPaymentCommand, caller: Caller): Promise<{ payment: WxPaymentParams; order?: PublicOrder }> {
    const provider = this.cashierProvider(command.provider);
    const openid = await caller();
    const payment = await provider.adapter.cashierPayment!(command.providerRef, command.payCode);
    // Where we placed the order ourselves, for this shopper, the page can show it and poll it.
    const order = await this.deps.store.findByProviderRef(provider.name, command.providerRef);
    return order && order.openid === openid ? { payment, order: toPublicOrder(order) } : { payment };
  }

  /** The provider named (default: the first enabled one with a cashier), if it has a cashier. */
  cashierProvider(name: string | undefined): RegisteredProvider {
    const { providers } = this.deps;
    const provider = name !== undefined ? providers.require(name) : providers.names().map((n) => providers.get(n)!).find((p) => p.capabilities.cashier);
    if (!provider || !provider.capabilities.cashier || !provider.adapter.cashierPayment) {
      throw new ValidationError('provider', `${provider?.name ?? 'no enabled provider'} has no cashier`);
    }
    return provider;
  }

  /**
   * "Pay again" after the shopper cancelled the WeChat Pay sheet: fresh parameters for the
   * caller's own order, still PAYING and not expired, from the same provider for the same
   * order (no second order, no second charge). Providers that cannot re-issue parameters
   * for an order they hold answer ORDER_NOT_PAYABLE.
   */
  async retryPayment(orderNo: string, payCode: string | undefined, caller: Caller): Promise<{ order: PublicOrder; payment: WxPaymentParams }> {
    let order = await this.orders.getOwn(await caller(), orderNo);
    if (order.status === 'PAYING' && this.deps.now() >= order.expiresAt) order = await this.settlement.settleByQuery(order, 'pay again after expiry');
    // Refunded in part or in full, it was still paid: never paid again.
    if (order.status === 'PAID' || order.status === 'PARTIALLY_REFUNDED' || order.status === 'REFUNDED') {
      throw new ConflictError('ORDER_ALREADY_PAID', `order ${orderNo} is already paid`);
    }
    if (order.status === 'CLOSED') throw new ConflictError('ORDER_CLOSED', `order ${orderNo} is closed (${order.statusReason ?? 'expired'}); place a new order`);
    if (order.status !== 'PAYING' || this.deps.now() >= order.expiresAt) {
      throw new ConflictError('ORDER_NOT_PAYABLE', `order ${orderNo} is ${order.status} and cannot be paid again; place a new order`);
    }
    const provider = this.deps.providers.get(order.provider);
    if (!provider?.capabilities.reissue) {
      throw new ConflictError('ORDER_NOT_PAYABLE', `${order.provider} cannot issue new payment parameters for an order it already holds; place a new order`);
    }
    requirePayCode(provider, payCode);
    const again = await this.placement.askAgain(order, provider, this.miniPaymentCall(provider, payCode), (c) => ({ signType: c.payment.signType, retry: true }));
    return { order: toPublicOrder(again.order), payment: again.created.payment };
  }
}
