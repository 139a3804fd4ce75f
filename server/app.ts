/**
 * The composition root: from configuration and a store to the objects the functions use.
 * The cloud entry points and the local stack both build their world here.
 */
import { loadConfig as readConfig, type AppConfig } from './config';
import type { Env } from './config/env';
import { defaultCatalog, type Catalog } from './core/catalog';
import { createHttpSend, type HttpSend } from './core/http';
import { createLogger, type Logger } from './core/log';
import type { ProviderName } from './domain/order';
import type { Store } from './store/types';
import { PaymentService } from './use-cases/service';
import { PROVIDERS } from './providers';
import type { AnyProviderDescriptor } from './providers/descriptor';
import { createProviders } from './providers/registry';
import { createCode2Session, type OpenidResolver } from './wechat/code2session';
import { httpsSender, subscribeMessagesOnChange, templateIds, type SendSubscribeMessage, type SubscribeTemplates } from './wechat/subscribe-messages';

export interface App {
  config: AppConfig;
  service: PaymentService;
  resolveOpenid: OpenidResolver;
  store: Store;
  log: Logger;
  /** Subscription message templates the mini program asks the shopper to allow (catalog reply). */
  subscribeTemplates: string[];
}

export interface AppOptions {
  catalog?: Catalog;
  now?: () => number;
  httpFor?: (provider: ProviderName | 'wechat') => HttpSend;
  log?: Logger;
  /** The provider modules (default: server/providers/index.ts); tests add a fixture provider. */
  providers?: readonly AnyProviderDescriptor[];
  /**
   * Subscription messages (server/wechat/subscribe-messages.ts): the templates configured, and
   * how to send (CloudBase: cloud.openapi; default: the HTTPS API at WECHAT_API_BASE).
   */
  subscribe?: { templates: SubscribeTemplates; send?: SendSubscribeMessage };
}

/**
 * Reads and validates the configuration for the provider modules (default: the one list,
 * server/providers/index.ts). Throws one ConfigError naming every variable at fault.
 */
export function loadConfig(env: Env, options: { requireAppSecret: boolean; providers?: readonly AnyProviderDescriptor[] }): AppConfig {
  return readConfig(env, { requireAppSecret: options.requireAppSecret, providers: options.providers ?? PROVIDERS });
}

export function createApp(config: AppConfig, store: Store, options: AppOptions = {}): App {
  const log = options.log ?? createLogger('pay');
  const httpFor = options.httpFor ?? ((name: string) => createHttpSend(name, { urlVariables: config.urlVariables, log }));
  const now = options.now ?? Date.now;
  const templates = options.subscribe?.templates ?? {};
  const send = options.subscribe?.send ?? httpsSender(config.wechat, httpFor('wechat'), config.providerTimeoutMs, now);
  // Every path to PAID and to a SUCCEEDED refund is a committed change: messages are sent after it.
  const onChange = subscribeMessagesOnChange({ templates, send, log });
  const service = new PaymentService({
    config,
    store,
    ...(onChange ? { onChange } : {}),
    providers: createProviders(config, httpFor, { now, ...(options.providers ? { descriptors: options.providers } : {}) }),
    catalog: options.catalog ?? defaultCatalog,
    log,
    now,
  });
  const resolveOpenid = createCode2Session(config.wechat, httpFor('wechat'), config.providerTimeoutMs);
  return { config, service, resolveOpenid, store, log, subscribeTemplates: templateIds(templates) };
}
