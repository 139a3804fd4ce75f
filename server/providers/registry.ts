/**
 * The enabled providers, built from the descriptor list and the configuration. Everything
 * that needs a provider by name asks here: its adapter, what it can do, and what the mini
 * program may learn about it.
 */
import type { AppConfig } from '../config';
import type { ProviderInfo } from '../contract/wire';
import { ValidationError } from '../core/errors';
import { createHttpSend, type HttpSend } from '../core/http';
import { CURRENCY_DECIMALS, type Currency } from '../core/money';
import type { ProviderName } from '../domain/order';
import type { AnyProviderDescriptor, ProviderCapabilities } from './descriptor';
import { PROVIDERS } from '.';
import type { PaymentProvider } from './types';

export interface RegisteredProvider {
  readonly name: ProviderName;
  readonly descriptor: AnyProviderDescriptor;
  readonly capabilities: Readonly<ProviderCapabilities>;
  readonly adapter: PaymentProvider;
  /** The currencies this merchant account charges; first is the default. */
  readonly currencies: readonly Currency[];
}

export class ProviderRegistry {
  private readonly byName: ReadonlyMap<ProviderName, RegisteredProvider>;

  constructor(entries: readonly RegisteredProvider[]) {
    this.byName = new Map(entries.map((e) => [e.name, e]));
  }

  names(): ProviderName[] {
    return [...this.byName.keys()];
  }

  get(name: ProviderName): RegisteredProvider | undefined {
    return this.byName.get(name);
  }

  /** The enabled provider `name` names, or a ValidationError on `field`. */
  require(name: unknown, field = 'provider'): RegisteredProvider {
    const found = typeof name === 'string' ? this.byName.get(name) : undefined;
    if (!found) {
      const enabled = this.names().join(', ') || 'none';
      throw new ValidationError(field, typeof name === 'string' && name !== '' ? `"${name}" is not enabled here (enabled: ${enabled})` : `must be one of ${enabled}`);
    }
    return found;
  }

  /** What the mini program learns about a provider (catalog reply): never a secret. */
  info(name: ProviderName): ProviderInfo {
    const p = this.require(name);
    return {
      name: p.name,
      displayName: p.descriptor.displayName,
      currencies: p.currencies.map((code) => ({ code, decimals: CURRENCY_DECIMALS[code] })),
      needsPayCode: p.capabilities.secondLoginCode,
      canReissue: p.capabilities.reissue,
      hasCashier: p.capabilities.cashier,
      canQuery: p.capabilities.query,
      ...(p.descriptor.cashierRefField ? { cashierRefField: p.descriptor.cashierRefField } : {}),
    };
  }
}

export function createProviders(
  config: AppConfig,
  httpFor: (provider: ProviderName) => HttpSend = createHttpSend,
  options: { descriptors?: readonly AnyProviderDescriptor[]; now?: () => number } = {},
): ProviderRegistry {
  const entries: RegisteredProvider[] = [];
  for (const descriptor of options.descriptors ?? PROVIDERS) {
    if (!config.providers.includes(descriptor.name)) continue;
    const own = config.providerConfigs[descriptor.name];
    const adapter = descriptor.createAdapter(own, {
      wechatAppId: config.wechat.appId,
      http: httpFor(descriptor.name),
      timeoutMs: config.providerTimeoutMs,
      now: options.now ?? Date.now,
    });
    const capabilities = descriptor.capabilitiesFor?.(own) ?? descriptor.capabilities;
    entries.push({ name: descriptor.name, descriptor, capabilities, adapter, currencies: descriptor.currencies(own) });
  }
  return new ProviderRegistry(entries);
}

/** The currency an order is in: the one asked for, if the provider takes it, else its default. */
export function currencyFor(provider: RegisteredProvider, currency: Currency | undefined): Currency {
  const chosen = currency ?? (provider.currencies[0] as Currency);
  if (!provider.currencies.includes(chosen)) {
    throw new ValidationError('currency', `${provider.name} takes ${provider.currencies.join(' or ')}, not ${chosen}`);
  }
  return chosen;
}

/** Providers with `secondLoginCode` need `payCode`: refused before anything is stored or spent. */
export function requirePayCode(provider: RegisteredProvider, payCode: string | undefined): void {
  if (provider.capabilities.secondLoginCode && (payCode === undefined || payCode.trim() === '')) {
    throw new ValidationError('payCode', `${provider.name} needs a second fresh wx.login code (payCode) that only ${provider.name} spends`);
  }
}
