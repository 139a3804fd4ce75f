/**
 * Cold start in WeChat's cloud: initialise wx-server-sdk, read and validate the
 * configuration once, and build the app on the CloudBase database. Any cold-start failure
 * is logged (a configuration problem naming every variable), and every call then answers
 * with it until a later call starts cleanly.
 */
import cloud from 'wx-server-sdk';
import { createApp, loadConfig, type App } from '../app';
import { ConfigError } from '../core/errors';
import { CloudBaseOrderStore, type CloudDatabase } from '../store/cloudbase/order-store';
import { cloudSender, readSubscribeTemplates } from '../wechat/subscribe-messages';

let initialised = false;

/**
 * Initialises the SDK on the first call rather than when the bundle is loaded: its init starts
 * a request (CloudBase's runtime check) that was most of what loading our bundle cost beyond
 * loading the SDK (npm run bench, cold start), and a failure in it is now caught and logged
 * below like every other cold-start failure instead of failing the require.
 */
function initOnce(): void {
  if (initialised) return;
  // DYNAMIC_CURRENT_ENV: the environment the function is deployed in (typed as a symbol by the SDK).
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  initialised = true;
}

let world: Promise<App> | undefined;

export function cloudWorld(): Promise<App> {
  world ??= (async () => {
    initOnce();
    // No app secret needed: in the cloud the caller's openid comes from getWXContext().
    const config = loadConfig(process.env, { requireAppSecret: false });
    const store = new CloudBaseOrderStore(cloud.database() as unknown as CloudDatabase);
    await store.ensureCollections();
    // Subscription messages go through cloud.openapi here (no access token needed in CloudBase).
    const templates = readSubscribeTemplates(process.env);
    return createApp(config, store, { subscribe: { templates, send: cloudSender(cloud.openapi as unknown as Parameters<typeof cloudSender>[0]) } });
  })().catch((e: unknown) => {
    // Every cold-start failure is logged once, here: a configuration problem names each
    // variable; anything else (the database, the SDK) is logged whole for the developer.
    if (e instanceof ConfigError) console.error(e.message);
    else console.error('cold start failed', e);
    world = undefined; // a fixed environment is picked up without a redeploy
    throw e;
  });
  return world;
}

export function callerOpenid(): string | undefined {
  initOnce();
  return cloud.getWXContext().OPENID || undefined;
}
