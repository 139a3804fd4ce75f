/**
 * Placing an order with its provider: price it into a new CREATED order, store it, ask the
 * provider, and record the answer (PAYING with its reference, or FAILED on a final refusal).
 * Every step is a timeline line written with the change it describes.
 */
import { ConflictError, ProviderError, isPayError } from '../core/errors';
import { toDecimalString, type Currency } from '../core/money';
import { newOrderNo } from '../core/random';
import type { TimelineEntry } from '../orders/store';
import type { Order } from '../orders/types';
import { currencyFor, type RegisteredProvider } from '../providers/registry';
import type { CreatePaymentInput } from '../providers/types';
import { addEvent, type PaymentDeps } from './context';

/** A priced order not yet stored: checkout builds it before spending the login code. */
export interface PricedOrder {
  provider: RegisteredProvider;
  currency: Currency;
  lines: Order['items'];
  total: number;
  description: string;
}

/** How many fresh order numbers to try when one is already taken (see core/random.newOrderNo). */
const ORDER_NO_ATTEMPTS = 3;

export class Placement {
  constructor(private readonly deps: PaymentDeps) {}

  /** Prices a cart for a provider (throws naming the field); no side effects. */
  price(provider: RegisteredProvider, currency: Currency | undefined, items: unknown): PricedOrder {
    const chosen = currencyFor(provider, currency);
    const { lines, total, description } = this.deps.catalog.price(items, chosen);
    return { provider, currency: chosen, lines, total: total.amount, description };
  }

  /** The CREATED order for `openid`, with a fresh order number. */
  private newOrder(openid: string, priced: PricedOrder): Order {
    const now = this.deps.now();
    return {
      orderNo: newOrderNo(now),
      openid,
      provider: priced.provider.name,
      status: 'CREATED',
      amount: priced.total,
      currency: priced.currency,
      description: priced.description,
      items: priced.lines,
      createdAt: now,
      updatedAt: now,
      expiresAt: now + this.deps.config.orderTtlMs,
    };
  }

  /**
   * Stores a new order with its first lines (one commit). A taken order number is retried
   * with a fresh one before anything is sent to the provider.
   */
  private async store(openid: string, priced: PricedOrder, lines: readonly TimelineEntry[]): Promise<Order> {
    for (let attempt = 1; ; attempt++) {
      const order = this.newOrder(openid, priced);
      try {
        await this.deps.store.insert(order, lines);
        return order;
      } catch (e) {
        if (!(e instanceof ConflictError && e.code === 'DUPLICATE_ORDER') || attempt >= ORDER_NO_ATTEMPTS) throw e;
        this.deps.log.warn('order number taken, drawing another', { attempt });
      }
    }
  }

  /** Stores a new order and asks its provider (see `ask`). */
  async placeNew<T extends { providerRef?: string }>(
    openid: string,
    priced: PricedOrder,
    call: (input: CreatePaymentInput) => Promise<T>,
    detail: (created: T) => Record<string, unknown>,
  ): Promise<{ order: Order; created: T }> {
    const createdLine: TimelineEntry = {
      type: 'created',
      detail: { amount: toDecimalString({ amount: priced.total, currency: priced.currency }), currency: priced.currency, provider: priced.provider.name, items: priced.lines.length },
    };
    const order = await this.store(openid, priced, [createdLine, this.requestLine(priced.provider)]);
    return { order, created: await this.ask(order, priced.provider, call, detail) };
  }

  private requestLine(provider: RegisteredProvider): TimelineEntry {
    return { type: 'provider_request', detail: { provider: provider.name, notifyUrl: this.notifyUrl(provider) } };
  }

  notifyUrl(provider: RegisteredProvider): string {
    return `${this.deps.config.notifyBaseUrl}/${provider.name}`;
  }

  /** Asks the provider again for an order it already holds (retryPayment). */
  async askAgain<T extends { providerRef?: string }>(
    order: Order,
    provider: RegisteredProvider,
    call: (input: CreatePaymentInput) => Promise<T>,
    detail: (created: T) => Record<string, unknown>,
  ): Promise<T> {
    const line = this.requestLine(provider);
    await addEvent(this.deps, order.orderNo, line.type, line.detail);
    return this.ask(order, provider, call, detail);
  }

  /**
   * Calls the provider for a stored order, stores its reference and moves the order to
   * PAYING; on a final refusal moves it to FAILED. A timeout may have created the order at
   * the provider, so it stays open for the notification or reconciliation to settle.
   */
  private async ask<T extends { providerRef?: string }>(
    order: Order,
    provider: RegisteredProvider,
    call: (input: CreatePaymentInput) => Promise<T>,
    detail: (created: T) => Record<string, unknown>,
  ): Promise<T> {
    try {
      const created = await call({ order, openid: order.openid, notifyUrl: this.notifyUrl(provider) });
      const now = this.deps.now();
      const patch = created.providerRef !== undefined ? { providerRef: created.providerRef } : {};
      const responseLine: TimelineEntry = { type: 'provider_response', detail: { providerRef: created.providerRef ?? null, ...detail(created) } };
      const changedLine: TimelineEntry = { type: 'status_changed', detail: { from: order.status, to: 'PAYING' } };
      if (!(await this.deps.store.transition(order.orderNo, 'PAYING', patch, now, [changedLine, responseLine]))) {
        // Already PAYING (a retry) or overtaken by a notification: keep the reference and the line.
        if (created.providerRef !== undefined) await this.deps.store.setProviderRef(order.orderNo, created.providerRef, now);
        await addEvent(this.deps, order.orderNo, responseLine.type, responseLine.detail);
      }
      return created;
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      const errorLine: TimelineEntry = { type: 'provider_error', detail: { message: reason, code: isPayError(e) ? e.code : 'INTERNAL' } };
      const retryable = e instanceof ProviderError && e.retryable;
      const failed =
        !retryable &&
        order.status === 'CREATED' &&
        (await this.deps.store.transition(order.orderNo, 'FAILED', { statusReason: reason }, this.deps.now(), [
          errorLine,
          { type: 'status_changed', detail: { from: 'CREATED', to: 'FAILED', reason } },
        ]));
      if (!failed) await addEvent(this.deps, order.orderNo, errorLine.type, errorLine.detail);
      throw e;
    }
  }
}
