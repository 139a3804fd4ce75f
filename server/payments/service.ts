/**
 * The order lifecycle, independent of where it runs (cloud function or local stack):
 * price on the server, store, ask the provider, apply what providers report through
 * conditional transitions, and keep a timeline of all of it.
 */
import type { AppConfig } from '../config';
import type { Catalog } from '../core/catalog';
import { ConflictError, NotFoundError, PayError, ProviderError, SignatureError, ValidationError, isPayError } from '../core/errors';
import type { Logger } from '../core/log';
import { parseCurrency, sameMoney, toDecimalString, type Currency } from '../core/money';
import { newOrderNo } from '../core/random';
import { mask } from '../core/strings';
import type { OrderStore, TimelineEntry } from '../orders/store';
import { PROVIDER_NAMES, isReference, toPublicOrder, type Order, type OrderStatus, type ProviderName, type PublicOrder } from '../orders/types';
import type { ProviderRegistry } from '../providers/registry';
import { CASHIER_CHANNELS, CASHIER_PAY_METHODS, type CashierChannel, type CashierPayMethod } from '../providers/types';
import type {
  AppPaymentParams,
  CreatedPayment,
  CreatePaymentInput,
  HttpReply,
  InboundNotification,
  PaymentProvider,
  PaymentReport,
  WxPaymentParams,
} from '../providers/types';

export interface ServiceDeps {
  config: AppConfig;
  store: OrderStore;
  providers: ProviderRegistry;
  catalog: Catalog;
  log: Logger;
  now: () => number;
}

export interface CreateOrderInput {
  provider: unknown;
  currency?: unknown;
  items: unknown;
  payCode?: unknown;
}

/** createCashierOrder (NewPay Converge): an order paid on the provider's own cashier page. */
export interface CashierInput {
  provider: unknown;
  currency?: unknown;
  items: unknown;
  payMethod: unknown;
  channel?: unknown;
  subject?: unknown;
  extra?: unknown;
}

const OUTCOME_STATUS: Record<PaymentReport['outcome'], OrderStatus | undefined> = {
  paid: 'PAID',
  failed: 'FAILED',
  closed: 'CLOSED',
  pending: undefined,
};

export class PaymentService {
  constructor(private readonly deps: ServiceDeps) {}

  provider(name: unknown, field = 'provider'): PaymentProvider {
    if (typeof name !== 'string' || !(PROVIDER_NAMES as readonly string[]).includes(name)) {
      throw new ValidationError(field, `must be one of ${PROVIDER_NAMES.join(', ')}`);
    }
    const provider = this.deps.providers.get(name as ProviderName);
    if (!provider) {
      const enabled = [...this.deps.providers.keys()].join(', ') || 'none';
      throw new ValidationError(field, `"${name}" is not enabled here (enabled: ${enabled})`);
    }
    return provider;
  }

  currencyFor(provider: PaymentProvider, raw: unknown): Currency {
    if (raw === undefined || raw === null || raw === '') return provider.currencies[0] as Currency;
    const currency = parseCurrency(raw);
    if (!provider.currencies.includes(currency)) {
      throw new ValidationError('currency', `${provider.name} takes ${provider.currencies.join(' or ')}, not ${currency}`);
    }
    return currency;
  }

  catalog(providerName: unknown, rawCurrency: unknown): { currency: Currency; items: { sku: string; name: string; price: number }[] } {
    const provider = this.provider(providerName);
    const currency = this.currencyFor(provider, rawCurrency);
    return { currency, items: this.deps.catalog.list(currency) };
  }

  private async event(orderNo: string, type: Parameters<OrderStore['appendEvent']>[0]['type'], detail: Record<string, unknown>): Promise<void> {
    await this.deps.store.appendEvent({ orderNo, at: this.deps.now(), type, detail });
  }

  /** Checks provider, currency, cart and payCode without side effects (throws naming the field). */
  validateOrderInput(input: CreateOrderInput): void {
    const provider = this.provider(input.provider);
    this.deps.catalog.price(input.items, this.currencyFor(provider, input.currency));
    this.checkPayCode(provider, input.payCode);
  }

  /**
   * `payCode` is a string when given, and required where the provider spends a second fresh
   * login code itself (NewPay): refused before anything is stored or spent.
   */
  private checkPayCode(provider: PaymentProvider, payCode: unknown, required = provider.requiresPayCode === true): void {
    if (payCode !== undefined && typeof payCode !== 'string') {
      throw new ValidationError('payCode', 'must be a wx.login code string');
    }
    if (required && (typeof payCode !== 'string' || payCode.trim() === '')) {
      throw new ValidationError('payCode', `${provider.name} needs a second fresh wx.login code (payCode) that only ${provider.name} spends`);
    }
  }

  /** The order as stored now (after the provider call moved it), in its public form. */
  private async reloadPublic(order: Order): Promise<PublicOrder> {
    return toPublicOrder((await this.deps.store.get(order.orderNo)) ?? order);
  }

  /** The provider's in-app payment call, or a ValidationError when it offers none. */
  private appPaymentOf(provider: PaymentProvider): NonNullable<PaymentProvider['createAppPayment']> {
    if (!provider.createAppPayment) throw new ValidationError('provider', `${provider.name} does not offer in-app payments`);
    return provider.createAppPayment.bind(provider);
  }

  /** Checks a createAppPayment request without side effects (throws naming the field). */
  validateAppOrderInput(input: CreateOrderInput): void {
    this.validateOrderInput(input);
    this.appPaymentOf(this.provider(input.provider));
  }

  /** Prices, stores and places an order; returns the wx.requestPayment parameters. */
  async createOrder(openid: string, input: CreateOrderInput): Promise<{ order: PublicOrder; payment: WxPaymentParams }> {
    // Before storing: an order the provider cannot be asked about must not be left behind.
    this.checkPayCode(this.provider(input.provider), input.payCode);
    const { order, provider, createdLine } = this.newOrder(openid, input);
    const created = await this.askProvider(
      order,
      provider,
      this.miniPaymentCall(provider, input.payCode),
      (c) => ({ signType: c.payment.signType }),
      createdLine,
    );
    return { order: await this.reloadPublic(order), payment: created.payment };
  }

  /**
   * The same order flow for a merchant's native app (WeChat In-App Payment), for providers
   * that offer it: returns the signed PayReq parameters instead of the mini program's five.
   */
  async createAppOrder(openid: string, input: CreateOrderInput): Promise<{ order: PublicOrder; appPayment: AppPaymentParams }> {
    const createAppPayment = this.appPaymentOf(this.provider(input.provider));
    const { order, provider, createdLine } = this.newOrder(openid, input);
    const created = await this.askProvider(order, provider, createAppPayment, () => ({ kind: 'app' }), createdLine);
    return { order: await this.reloadPublic(order), appPayment: created.appPayment };
  }

  /** Prices a new order (CREATED) from the catalog. askProvider stores it with its first lines. */
  private newOrder(openid: string, input: CreateOrderInput): { order: Order; provider: PaymentProvider; createdLine: TimelineEntry } {
    const provider = this.provider(input.provider);
    const currency = this.currencyFor(provider, input.currency);
    const { lines, total, description } = this.deps.catalog.price(input.items, currency);
    const now = this.deps.now();
    const order: Order = {
      orderNo: newOrderNo(now),
      openid,
      provider: provider.name,
      status: 'CREATED',
      amount: total.amount,
      currency,
      description,
      items: lines,
      createdAt: now,
      updatedAt: now,
      expiresAt: now + this.deps.config.orderTtlMs,
    };
    const createdLine: TimelineEntry = {
      type: 'created',
      detail: { amount: toDecimalString(total), currency, provider: provider.name, items: lines.length },
    };
    return { order, provider, createdLine };
  }

  /** The provider's mini program payment call, with the payCode only it spends where given. */
  private miniPaymentCall(provider: PaymentProvider, payCode: unknown): (input: CreatePaymentInput) => Promise<CreatedPayment> {
    return (input) => provider.createMiniPayment({ ...input, ...(typeof payCode === 'string' ? { payCode } : {}) });
  }

  /**
   * Calls the provider for an order, stores its reference and moves the order to PAYING; on
   * a final refusal moves it to FAILED. Every step goes in the timeline, written with the
   * change it describes. With `createdLine` the order is new: it is stored first, with that
   * line and the request line, in one commit.
   */
  private async askProvider<T extends { providerRef?: string }>(
    order: Order,
    provider: PaymentProvider,
    call: (input: CreatePaymentInput) => Promise<T>,
    detail: (created: T) => Record<string, unknown>,
    createdLine?: TimelineEntry,
  ): Promise<T> {
    const notifyUrl = `${this.deps.config.notifyBaseUrl}/${provider.name}`;
    const requestLine: TimelineEntry = { type: 'provider_request', detail: { provider: provider.name, notifyUrl } };
    if (createdLine) await this.deps.store.insert(order, [createdLine, requestLine]);
    else await this.event(order.orderNo, requestLine.type, requestLine.detail);
    try {
      const created = await call({ order, openid: order.openid, notifyUrl });
      const now = this.deps.now();
      const patch = created.providerRef !== undefined ? { providerRef: created.providerRef } : {};
      const responseLine: TimelineEntry = { type: 'provider_response', detail: { providerRef: created.providerRef ?? null, ...detail(created) } };
      const changedLine: TimelineEntry = { type: 'status_changed', detail: { from: order.status, to: 'PAYING' } };
      if (!(await this.deps.store.transition(order.orderNo, 'PAYING', patch, now, [changedLine, responseLine]))) {
        // Already PAYING (a retry) or overtaken by a notification: keep the reference and the line.
        if (created.providerRef !== undefined) await this.deps.store.setProviderRef(order.orderNo, created.providerRef, now);
        await this.event(order.orderNo, responseLine.type, responseLine.detail);
      }
      return created;
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      const errorLine: TimelineEntry = { type: 'provider_error', detail: { message: reason, code: isPayError(e) ? e.code : 'INTERNAL' } };
      // A refusal is final for this order; a timeout may have created it at the provider,
      // so it stays open for the notification or reconciliation to settle.
      const retryable = e instanceof ProviderError && e.retryable;
      const failed =
        !retryable &&
        order.status === 'CREATED' &&
        (await this.deps.store.transition(order.orderNo, 'FAILED', { statusReason: reason }, this.deps.now(), [
          errorLine,
          { type: 'status_changed', detail: { from: 'CREATED', to: 'FAILED', reason } },
        ]));
      if (!failed) await this.event(order.orderNo, errorLine.type, errorLine.detail);
      throw e;
    }
  }

  // --- Cashier flows (NewPay, design.md flow step 7) ---

  /** Checks a createCashierOrder request without side effects (throws naming the field). */
  validateCashierInput(input: CashierInput): { payMethod: CashierPayMethod; channel: CashierChannel; subject?: string; extra?: string } {
    const provider = this.provider(input.provider);
    if (!provider.createCashierOrder) throw new ValidationError('provider', `${provider.name} has no cashier`);
    this.deps.catalog.price(input.items, this.currencyFor(provider, input.currency));
    const payMethod = input.payMethod;
    if (typeof payMethod !== 'string' || !(CASHIER_PAY_METHODS as readonly string[]).includes(payMethod)) {
      throw new ValidationError('payMethod', `must be one of ${CASHIER_PAY_METHODS.join(', ')}`);
    }
    const channel = input.channel ?? 'web';
    if (typeof channel !== 'string' || !(CASHIER_CHANNELS as readonly string[]).includes(channel)) {
      throw new ValidationError('channel', `must be one of ${CASHIER_CHANNELS.join(', ')}`);
    }
    for (const field of ['subject', 'extra'] as const) {
      const v = input[field];
      if (v !== undefined && (typeof v !== 'string' || v.length > 256)) throw new ValidationError(field, 'must be a string of at most 256 characters');
    }
    const subject = input.subject as string | undefined;
    const extra = input.extra as string | undefined;
    if (payMethod === 'alipay') {
      if (!subject) throw new ValidationError('subject', 'is required for Alipay');
      if (!/ANDROID|IOS/i.test(extra ?? '')) throw new ValidationError('extra', 'must name ANDROID or IOS for Alipay');
    }
    return {
      payMethod: payMethod as CashierPayMethod,
      channel: channel as CashierChannel,
      ...(subject !== undefined ? { subject } : {}),
      ...(extra !== undefined ? { extra } : {}),
    };
  }

  /** Prices and stores an order paid on the provider's cashier page; returns its payUrl. */
  async createCashierOrder(openid: string, input: CashierInput): Promise<{ order: PublicOrder; payUrl: string }> {
    const options = this.validateCashierInput(input);
    const { order, provider, createdLine } = this.newOrder(openid, { provider: input.provider, currency: input.currency, items: input.items });
    const created = await this.askProvider(
      order,
      provider,
      (base) => provider.createCashierOrder!({ order: base.order, notifyUrl: base.notifyUrl, ...options }),
      () => ({ kind: 'cashier', payMethod: options.payMethod, channel: options.channel }),
      createdLine,
    );
    return { order: await this.reloadPublic(order), payUrl: created.payUrl };
  }

  /**
   * The wx.requestPayment parameters for an order the provider opened the mini program with
   * (NewPay's scheme URL carries `newpayOrderNo`). The order may come from any channel, so it
   * is not looked up here: its callback settles it like any other.
   */
  async cashierPayment(
    providerName: unknown,
    providerRef: unknown,
    payCode: unknown,
    /** Establishes the caller (spends the `code` login); runs only once the request is valid. */
    authenticate: () => Promise<unknown> = async () => undefined,
  ): Promise<WxPaymentParams> {
    const provider = this.provider(providerName);
    if (!provider.cashierPayment) throw new ValidationError('provider', `${provider.name} has no cashier`);
    if (!isReference(providerRef)) {
      throw new ValidationError('newpayOrderNo', 'must be the order number from the scheme URL');
    }
    this.checkPayCode(provider, payCode, true);
    await authenticate();
    return provider.cashierPayment(providerRef, payCode as string);
  }

  private checkOrderNo(orderNo: unknown): asserts orderNo is string {
    if (!isReference(orderNo)) throw new ValidationError('orderNo', 'must be an order number returned by createOrder');
  }

  /** The caller's own order; anyone else's is reported as not found. */
  async getOwnOrder(openid: string, orderNo: unknown): Promise<Order> {
    this.checkOrderNo(orderNo);
    const order = await this.deps.store.get(orderNo);
    if (!order || order.openid !== openid) throw new NotFoundError(`order ${orderNo} was not found`, 'orderNo');
    return order;
  }

  /** The caller's order; with `refresh`, a still-PAYING order is settled by asking the provider. */
  async queryOrder(openid: string, orderNo: unknown, refresh: boolean): Promise<PublicOrder> {
    let order = await this.getOwnOrder(openid, orderNo);
    if (refresh && order.status === 'PAYING') order = await this.settleByQuery(order);
    return toPublicOrder(order);
  }

  async listOrders(openid: string, limit = 50): Promise<PublicOrder[]> {
    return (await this.deps.store.listByOpenid(openid, limit)).map(toPublicOrder);
  }

  /**
   * "Pay again" after the shopper cancelled the WeChat Pay sheet: fresh wx.requestPayment
   * parameters for the caller's own order, still PAYING and not expired, from the same
   * provider for the same order (no second order, no second charge). Providers that cannot
   * re-issue parameters for an order they already hold answer ORDER_NOT_PAYABLE.
   * `caller` establishes the openid (spends the login code) once the request is well formed.
   */
  async retryPayment(
    caller: () => Promise<string>,
    orderNo: unknown,
    payCode: unknown,
  ): Promise<{ order: PublicOrder; payment: WxPaymentParams }> {
    this.checkOrderNo(orderNo);
    if (payCode !== undefined && typeof payCode !== 'string') throw new ValidationError('payCode', 'must be a wx.login code string');
    let order = await this.getOwnOrder(await caller(), orderNo);
    if (order.status === 'PAYING' && this.deps.now() >= order.expiresAt) order = await this.settleByQuery(order);
    if (order.status === 'PAID') throw new ConflictError('ORDER_ALREADY_PAID', `order ${orderNo} is already paid`);
    if (order.status === 'CLOSED') throw new ConflictError('ORDER_CLOSED', `order ${orderNo} is closed (${order.statusReason ?? 'expired'}); place a new order`);
    if (order.status !== 'PAYING' || this.deps.now() >= order.expiresAt) {
      throw new ConflictError('ORDER_NOT_PAYABLE', `order ${orderNo} is ${order.status} and cannot be paid again; place a new order`);
    }
    const provider = this.deps.providers.get(order.provider);
    if (!provider?.reissuesPayment) {
      throw new ConflictError('ORDER_NOT_PAYABLE', `${order.provider} cannot issue new payment parameters for an order it already holds; place a new order`);
    }
    this.checkPayCode(provider, payCode);
    const created = await this.askProvider(
      order,
      provider,
      this.miniPaymentCall(provider, payCode),
      (c) => ({ signType: c.payment.signType, retry: true }),
    );
    return { order: await this.reloadPublic(order), payment: created.payment };
  }

  /**
   * Asks the provider where an unsettled order stands and applies the answer through the
   * same conditional transitions as a notification. Orders past expiry that the provider
   * does not report paid are closed.
   */
  async settleByQuery(order: Order): Promise<Order> {
    const provider = this.deps.providers.get(order.provider);
    let report: PaymentReport | undefined;
    if (provider?.queryPayment) {
      try {
        report = await provider.queryPayment(order);
        await this.event(order.orderNo, 'query', { outcome: report.outcome, summary: report.summary });
      } catch (e) {
        await this.event(order.orderNo, 'query', { error: e instanceof Error ? e.message : String(e) });
        this.deps.log.warn('provider query failed', { orderNo: order.orderNo, provider: order.provider });
      }
    }
    if (report && report.outcome !== 'pending') {
      await this.applyReport(order, report, 'query');
    } else if (this.deps.now() > order.expiresAt) {
      await this.deps.store.transition(order.orderNo, 'CLOSED', { statusReason: 'expired before payment' }, this.deps.now(), [
        { type: 'status_changed', detail: { from: order.status, to: 'CLOSED', reason: 'expired' } },
      ]);
    }
    return (await this.deps.store.get(order.orderNo)) ?? order;
  }

  /** Checks a verified report against the order, then applies it at most once. */
  private async applyReport(
    order: Order,
    report: PaymentReport,
    source: 'notification' | 'query',
    /** More lines written with the change, only if it happens (the notification's own line). */
    alsoOnChange: readonly TimelineEntry[] = [],
  ): Promise<boolean> {
    if (report.orderNo !== order.orderNo) throw new ValidationError('orderNo', 'report is about another order');
    if (report.amount && !sameMoney(report.amount, { amount: order.amount, currency: order.currency })) {
      throw new AmountMismatchError(
        `${source} reports ${toDecimalString(report.amount)} ${report.amount.currency}, order is ${toDecimalString({ amount: order.amount, currency: order.currency })} ${order.currency}`,
      );
    }
    const to = OUTCOME_STATUS[report.outcome];
    if (!to) return false;
    const patch = {
      ...(report.providerRef !== undefined ? { providerRef: report.providerRef } : {}),
      ...(to === 'PAID' ? { paidAt: this.deps.now() } : {}),
      ...(to !== 'PAID' ? { statusReason: report.summary } : {}),
    };
    const changed = await this.deps.store.transition(order.orderNo, to, patch, this.deps.now(), [
      { type: 'status_changed', detail: { to, source } },
      ...alsoOnChange,
    ]);
    if (changed) this.deps.log.info('order status changed', { orderNo: order.orderNo, to, source });
    return changed;
  }

  /**
   * A provider's notification: verify over the raw bytes, check it against the order,
   * apply once, record it, and only then acknowledge in the provider's own format.
   * Duplicates and replays are acknowledged and change nothing.
   */
  async handleNotification(providerName: string, inbound: InboundNotification): Promise<HttpReply> {
    const provider = this.deps.providers.get(providerName as ProviderName);
    if (!provider) {
      return { statusCode: 404, headers: { 'Content-Type': 'text/plain' }, body: `unknown provider "${providerName}"` };
    }
    let report: PaymentReport;
    try {
      report = provider.verifyNotification(inbound);
    } catch (e) {
      const reason = e instanceof PayError ? e.message : 'unreadable notification';
      await this.recordRefused(provider, inbound, reason);
      return provider.refuse(e instanceof SignatureError ? 401 : 400, reason);
    }
    const order = await this.deps.store.get(report.orderNo);
    if (!order || order.provider !== provider.name) {
      this.deps.log.warn('notification for an unknown order', { provider: provider.name, orderNo: report.orderNo });
      return provider.refuse(404, `order ${report.orderNo} not found`);
    }
    try {
      // The first delivery writes its line with the state change (one commit); duplicates add theirs.
      const line = (applied: boolean) => ({ verified: true, applied, summary: report.summary });
      const applied = await this.applyReport(order, report, 'notification', [{ type: 'notification', detail: line(true) }]);
      if (!applied) await this.event(order.orderNo, 'notification', line(false));
      if (!applied && report.outcome === 'paid' && order.status !== 'PAID') {
        const current = await this.deps.store.get(order.orderNo);
        if (current && current.status !== 'PAID') {
          // Money moved but the order is FAILED: a person must look (refund or honour it).
          this.deps.log.error('paid notification for an order that cannot become PAID', { orderNo: order.orderNo, status: current.status });
        }
      }
      return provider.acknowledge();
    } catch (e) {
      if (e instanceof AmountMismatchError) {
        await this.event(order.orderNo, 'notification', { verified: true, applied: false, refused: e.message });
        this.deps.log.error('notification amount does not match the order', { orderNo: order.orderNo });
        return provider.refuse(400, e.message);
      }
      this.deps.log.error('notification could not be stored', { orderNo: order.orderNo, error: String(e) });
      return provider.refuse(500, 'temporarily unable to store the notification');
    }
  }

  private async recordRefused(provider: PaymentProvider, inbound: InboundNotification, reason: string): Promise<void> {
    let claimed: string | undefined;
    try {
      claimed = provider.claimedOrderNo(inbound);
    } catch {
      claimed = undefined;
    }
    this.deps.log.warn('notification refused', { provider: provider.name, claimedOrder: claimed ? mask(claimed, 6) : null, reason });
    if (isReference(claimed) && (await this.deps.store.get(claimed))) {
      await this.event(claimed, 'notification', { verified: false, applied: false, refused: reason });
    }
  }
}

/** A verified report whose amount or currency differs from the order: never applied. */
export class AmountMismatchError extends ConflictError {
  constructor(message: string) {
    super('ORDER_NOT_PAYABLE', message);
  }
}
