/**
 * The cloud functions' configuration, read from environment variables once at cold start.
 * Secrets live only here (the functions' environment); nothing in it is ever returned to
 * the mini program.
 */
import { ConfigError } from '../core/errors';
import { EnvReader, type Env } from './env';

/** A provider id (PAY_PROVIDERS). */
type ProviderName = string;

/**
 * What configuration needs of a provider module: its name and how it reads its own variables.
 * The provider descriptors (server/providers/) satisfy it; the list is passed in by the
 * composition roots, so configuration depends on no provider.
 */
export interface ProviderConfigReader {
  readonly name: string;
  readConfig(env: EnvReader): unknown;
}

export interface WechatConfig {
  appId: string;
  /** Needed only where there is no WeChat context (local stack, self-hosting): jscode2session. */
  appSecret?: string;
  apiBase: string;
}

export interface AppConfig {
  wechat: WechatConfig;
  /** The payNotify HTTP access URL; each provider is told `${notifyBaseUrl}/${provider}`. */
  notifyBaseUrl: string;
  providers: ProviderName[];
  providerTimeoutMs: number;
  /** How long a shopper has to pay before the order may be closed. */
  orderTtlMs: number;
  /**
   * RECONCILE_AFTER_MINUTES: how long after its last change an open item (unpaid order,
   * pending refund) is first asked about; later checks back off (domain/schedule.ts).
   */
  reconcileAfterMs: number;
  /** Each enabled provider's own configuration, as its descriptor read it. */
  providerConfigs: Readonly<Record<ProviderName, unknown>>;
  /** Openids allowed to call the `admin` function (ADMIN_OPENIDS); empty: nobody. */
  adminOpenids: readonly string[];
  /** Each URL variable read (set or defaulted) and its value: an unreachable URL's error names its variable. */
  urlVariables: Readonly<Record<string, string>>;
}

/** An enabled provider's configuration (tests and tools; the registry passes it to the adapter). */
export function providerConfig<C>(config: AppConfig, name: ProviderName): C {
  if (!(name in config.providerConfigs)) throw new Error(`provider "${name}" is not enabled`);
  return config.providerConfigs[name] as C;
}

export const WECHAT_DEFAULT_API_BASE = 'https://api.weixin.qq.com';

/**
 * Reads and validates the configuration. Throws one ConfigError naming every variable
 * that is missing or malformed. `requireAppSecret` is false in WeChat's cloud, where
 * the caller's openid comes from the WeChat context instead of jscode2session.
 */
export function loadConfig(
  env: Env,
  options: { requireAppSecret: boolean; providers: readonly ProviderConfigReader[] },
): AppConfig {
  const descriptors = options.providers;
  const read = new EnvReader(env);
  const wechat: WechatConfig = {
    appId: read.required('WECHAT_APPID', /^wx[0-9a-zA-Z]{14,18}$/, 'the mini program AppID, wx followed by 16 characters'),
    apiBase: read.url('WECHAT_API_BASE', WECHAT_DEFAULT_API_BASE),
  };
  const appSecret = options.requireAppSecret
    ? read.required('WECHAT_APP_SECRET', undefined, 'needed for jscode2session where there is no WeChat context')
    : read.optionalOrUndefined('WECHAT_APP_SECRET');
  if (appSecret !== undefined) wechat.appSecret = appSecret;

  const config: AppConfig = {
    wechat,
    notifyBaseUrl: read.url('NOTIFY_BASE_URL'),
    providers: read.list(
      'PAY_PROVIDERS',
      descriptors.map((d) => d.name),
    ),
    providerTimeoutMs: read.integer('PROVIDER_TIMEOUT_MS', 10_000, 100, 60_000),
    orderTtlMs: read.integer('ORDER_TTL_MINUTES', 30, 1, 24 * 60) * 60_000,
    reconcileAfterMs: read.integer('RECONCILE_AFTER_MINUTES', 2, 0, 24 * 60) * 60_000,
    providerConfigs: {},
    adminOpenids: readAdminOpenids(read),
    urlVariables: read.urls,
  };
  const providerConfigs: Record<ProviderName, unknown> = {};
  for (const descriptor of descriptors) {
    if (config.providers.includes(descriptor.name)) providerConfigs[descriptor.name] = descriptor.readConfig(read);
  }
  config.providerConfigs = providerConfigs;
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}

/** ADMIN_OPENIDS: comma-separated openids of the operators; unset or empty means nobody is an operator. */
function readAdminOpenids(read: EnvReader): string[] {
  const raw = read.optional('ADMIN_OPENIDS', '');
  const ids = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = ids.filter((id) => !/^[0-9A-Za-z_-]{6,64}$/.test(id));
  if (bad.length > 0) read.problem('ADMIN_OPENIDS', `has ${bad.length} entr${bad.length === 1 ? 'y' : 'ies'} that are not openids (letters, digits, _ and -, comma-separated)`);
  return ids;
}
