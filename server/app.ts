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
import { httpsSender, templateIds, withSubscribeMessages, type SendSubscribeMessage, type SubscribeTemplates } from './wechat/subscribe-messages';

export interface App {
  config: AppConfig;
  service: PaymentService;
  resolveOpenid: OpenidResolver;
  store: OrderStore;
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

export function createApp(config: AppConfig, store: OrderStore, options: AppOptions = {}): App {
  const httpFor = options.httpFor ?? createHttpSend;
  const log = options.log ?? createLogger('pay');
  const now = options.now ?? Date.now;
  const templates = options.subscribe?.templates ?? {};
  const send = options.subscribe?.send ?? httpsSender(config.wechat, httpFor('wechat'), config.providerTimeoutMs, now);
  // Every path to PAID and to a SUCCEEDED refund goes through the store: messages are sent there.
  const messagingStore = withSubscribeMessages(store, { templates, send, log });
  const service = new PaymentService({
    config,
    store: messagingStore,
    providers: createProviders(config, httpFor, { now, ...(options.providers ? { descriptors: options.providers } : {}) }),
    catalog: options.catalog ?? defaultCatalog,
    log,
    now,
  });
  const resolveOpenid = createCode2Session(config.wechat, httpFor('wechat'), config.providerTimeoutMs);
  return { config, service, resolveOpenid, store, log, subscribeTemplates: templateIds(templates) };
}
