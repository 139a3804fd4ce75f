/** What the use-cases are asked to do, as the function boundary (server/functions/commands.ts) parses it. */
import type { Currency } from '../core/money';

export interface OrderCommand {
  provider: string;
  currency?: Currency;
  /** The cart as sent; the catalog validates and prices it (core/catalog.ts). */
  items: unknown;
  payCode?: string;
}

export interface CashierOrderCommand extends Omit<OrderCommand, 'payCode'> {
  /** The provider's cashier options (payMethod, channel, subject, extra), checked by its descriptor. */
  options: Readonly<Record<string, unknown>>;
}

export interface CashierPaymentCommand {
  provider?: string;
  providerRef: string;
  payCode: string;
}

