/** What every part of the payment service is built with, and the timeline writer they share. */
import type { AppConfig } from '../config';
import type { Catalog } from '../core/catalog';
import type { Logger } from '../core/log';
import type { OrderStore } from '../orders/store';
import type { OrderEvent } from '../orders/types';
import type { ProviderRegistry } from '../providers/registry';

export interface PaymentDeps {
  config: AppConfig;
  store: OrderStore;
  providers: ProviderRegistry;
  catalog: Catalog;
  log: Logger;
  now: () => number;
}

/**
 * Establishes who is calling, by spending the login code. Checkout calls it only once a
 * request is known to be valid, so a bad request leaves the shopper's code usable.
 */
export type Caller = () => Promise<string>;

/** Appends one timeline line, stamped now. */
export async function addEvent(deps: PaymentDeps, orderNo: string, type: OrderEvent['type'], detail: Record<string, unknown>): Promise<void> {
  await deps.store.appendEvent({ orderNo, at: deps.now(), type, detail });
}
