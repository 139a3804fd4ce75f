/**
 * The composition root: from configuration and a store to the objects the functions use.
 * The cloud entry points and the local stack both build their world here.
 */
import type { AppConfig } from './config';
import { defaultCatalog, type Catalog } from './core/catalog';
import { createHttpSend, type HttpSend } from './core/http';
import { createLogger, type Logger } from './core/log';
import type { OrderStore } from './orders/store';
import type { ProviderName } from './orders/types';
import { PaymentService } from './payments/service';
import type { AnyProviderDescriptor } from './providers/descriptor';
import { createProviders } from './providers/registry';
import { createCode2Session, type OpenidResolver } from './wechat/code2session';

export interface App {
  config: AppConfig;
  service: PaymentService;
  resolveOpenid: OpenidResolver;
  store: OrderStore;
  log: Logger;
}

export interface AppOptions {
  catalog?: Catalog;
  now?: () => number;
  httpFor?: (provider: ProviderName | 'wechat') => HttpSend;
  log?: Logger;
  /** The provider modules (default: server/providers/index.ts); tests add a fixture provider. */
  providers?: readonly AnyProviderDescriptor[];
}

export function createApp(config: AppConfig, store: OrderStore, options: AppOptions = {}): App {
  const log = options.log ?? createLogger('pay');
  const httpFor = options.httpFor ?? ((name: string) => createHttpSend(name, { urlVariables: config.urlVariables, log }));
  const now = options.now ?? Date.now;
  const service = new PaymentService({
    config,
    store,
    providers: createProviders(config, httpFor, { now, ...(options.providers ? { descriptors: options.providers } : {}) }),
    catalog: options.catalog ?? defaultCatalog,
    log,
    now,
  });
  const resolveOpenid = createCode2Session(config.wechat, httpFor('wechat'), config.providerTimeoutMs);
  return { config, service, resolveOpenid, store, log };
}
