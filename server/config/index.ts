/**
 * The cloud functions' configuration, read from environment variables once at cold start.
 * Secrets live only here (the functions' environment); nothing in it is ever returned to
 * the mini program.
 */
import { ConfigError } from '../core/errors';
import { PROVIDER_NAMES, type ProviderName } from '../orders/types';
import { readLatipayConfig, type LatipayConfig } from '../providers/latipay/config';
import { readNewPayConfig, type NewPayConfig } from '../providers/newpay/config';
import { readOttpayConfig, type OttpayConfig } from '../providers/ottpay/config';
import { EnvReader, type Env } from './env';

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
  latipay?: LatipayConfig;
  newpay?: NewPayConfig;
  ottpay?: OttpayConfig;
}

export const WECHAT_DEFAULT_API_BASE = 'https://api.weixin.qq.com';

/**
 * Reads and validates the configuration. Throws one ConfigError naming every variable
 * that is missing or malformed. `requireAppSecret` is false in WeChat's cloud, where
 * the caller's openid comes from the WeChat context instead of jscode2session.
 */
export function loadConfig(env: Env, options: { requireAppSecret: boolean }): AppConfig {
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
    providers: read.list('PAY_PROVIDERS', PROVIDER_NAMES),
    providerTimeoutMs: read.integer('PROVIDER_TIMEOUT_MS', 10_000, 100, 60_000),
    orderTtlMs: read.integer('ORDER_TTL_MINUTES', 30, 1, 24 * 60) * 60_000,
  };
  if (config.providers.includes('latipay')) config.latipay = readLatipayConfig(read);
  if (config.providers.includes('newpay')) config.newpay = readNewPayConfig(read);
  if (config.providers.includes('ottpay')) config.ottpay = readOttpayConfig(read);
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
