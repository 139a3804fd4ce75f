/**
 * Placing an order with its provider: price it into a new CREATED order, store it, ask the
 * provider, and record the answer (PAYING with its reference, or FAILED on a final refusal).
 * Every step is a timeline line written with the change it describes.
 */
import { ConflictError, ProviderError, isPayError } from '../core/errors';
import { toDecimalString, type Currency } from '../core/money';
import { newOrderNo } from '../core/random';
import type { Order } from '../domain/order';
import { end, placed } from '../domain/payment-state';
import { firstCheck } from '../domain/schedule';
import { appendLines, type TimelineEntry } from '../domain/timeline';
import { currencyFor, type RegisteredProvider } from '../providers/registry';
import type { CreatePaymentInput } from '../providers/types';
import type { StoredOrder } from '../store/types';
import { mutate, record, type PaymentDeps } from './context';

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

  /** The CREATED order for `openid`, with a fresh order number, its first lines and its first check. */
  private newOrder(openid: string, priced: PricedOrder, lines: readonly TimelineEntry[]): Order {
    const now = this.deps.now();
    const order: Order = {
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
      // Asked about if the provider call dies with us (it may have created the payment).
      check: firstCheck(now, this.deps.config.reconcileAfterMs),
    };
    return { ...order, ...appendLines(order, lines, now) };
  }

  /**
   * Stores a new order with its first lines (one commit). A taken order number is retried
   * with a fresh one before anything is sent to the provider.
   */
  private async store(openid: string, priced: PricedOrder, lines: readonly TimelineEntry[]): Promise<StoredOrder> {
    for (let attempt = 1; ; attempt++) {
      const order = this.newOrder(openid, priced, lines);
      try {
        await this.deps.store.insert(order);
        return { ...order, rev: 1 };
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
  ): Promise<{ order: StoredOrder; created: T }> {
    const createdLine: TimelineEntry = {
      type: 'created',
      detail: { amount: toDecimalString({ amount: priced.total, currency: priced.currency }), currency: priced.currency, provider: priced.provider.name, items: priced.lines.length },
    };
    const order = await this.store(openid, priced, [createdLine, this.requestLine(priced.provider)]);
    return this.ask(order, priced.provider, call, detail);
  }

  private requestLine(provider: RegisteredProvider): TimelineEntry {
    return { type: 'provider_request', detail: { provider: provider.name, notifyUrl: this.notifyUrl(provider) } };
  }

  notifyUrl(provider: RegisteredProvider): string {
    return `${this.deps.config.notifyBaseUrl}/${provider.name}`;
  }

  /** Asks the provider again for an order it already holds (retryPayment). */
  async askAgain<T extends { providerRef?: string }>(
    order: StoredOrder,
    provider: RegisteredProvider,
    call: (input: CreatePaymentInput) => Promise<T>,
    detail: (created: T) => Record<string, unknown>,
  ): Promise<{ order: StoredOrder; created: T }> {
    const stored = (await record(this.deps, order.orderNo, [this.requestLine(provider)], order)) ?? order;
    return this.ask(stored, provider, call, detail);
  }

  /**
   * Calls the provider for a stored order, stores its reference and moves the order to
   * PAYING; on a final refusal moves it to FAILED. A timeout may have created the order at
   * the provider, so it stays open for the notification or reconciliation to settle.
   */
  private async ask<T extends { providerRef?: string }>(
    order: StoredOrder,
    provider: RegisteredProvider,
    call: (input: CreatePaymentInput) => Promise<T>,
    detail: (created: T) => Record<string, unknown>,
  ): Promise<{ order: StoredOrder; created: T }> {
    let created: T;
    try {
      created = await call({ order, openid: order.openid, notifyUrl: this.notifyUrl(provider) });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      const errorLine: TimelineEntry = { type: 'provider_error', detail: { message: reason, code: isPayError(e) ? e.code : 'INTERNAL' } };
      // Only a definite refusal fails the order; a timeout may have created it at the provider,
      // so it stays open for the notification or reconcile to settle.
      const refused = e instanceof ProviderError && !e.retryable;
      const now = this.deps.now();
      await mutate(this.deps, order.orderNo, (o) => {
        const change = refused && o.status === 'CREATED' ? end(o, 'FAILED', reason, now, 'answer', this.deps.config.reconcileAfterMs) : null;
        return change ? { order: change.order, lines: [errorLine, ...change.lines], result: undefined } : { order: o, lines: [errorLine], result: undefined };
      }, order);
      throw e;
    }
    const responseLine: TimelineEntry = { type: 'provider_response', detail: { providerRef: created.providerRef ?? null, ...detail(created) } };
    const now = this.deps.now();
    // PAYING with the reference, and the line, in one write (a notification may have overtaken us: then only the line).
    const done = await mutate(this.deps, order.orderNo, (o) => {
      const change = placed(o, now, this.deps.config.reconcileAfterMs, created.providerRef);
      return { order: change?.order ?? o, lines: [...(change?.lines ?? []), responseLine], result: undefined };
    }, order);
    return { order: done.order ?? order, created };
  }
}
