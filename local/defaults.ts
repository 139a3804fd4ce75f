/**
 * The local stack's embedded defaults: used for every variable the developer left unset,
 * so `npm start` works with no accounts. Each provider's own defaults live in its simulator
 * module (local/sandboxes/<provider>/index.ts). Documented in the README; never used by the
 * deployed cloud functions.
 */
import type { AnyProviderDescriptor } from '../server/providers/descriptor';
import type { SimulatorModule } from './sandboxes/simulator';
import { WechatSandbox } from './sandboxes/wechat';

/** The test user whose sandbox openid is the local stack's default operator (ADMIN_OPENIDS). */
export const LOCAL_OPERATOR_USER = 'operator';

export const LOCAL_DEFAULTS: Readonly<Record<string, string>> = {
  WECHAT_APPID: 'wx0123456789abcdef',
  WECHAT_APP_SECRET: 'local-app-secret-not-for-production',
  // The WeChat Pay API key the provider simulators sign mini program parameters with.
  SANDBOX_WECHAT_PAY_KEY: 'sandboxwechatpaykey0123456789abc',
  // Subscription message templates (server/wechat/subscribe-messages.ts): sent to the sandbox.
  WECHAT_SUBSCRIBE_TEMPLATE_PAID: 'local-template-payment-succeeded',
  WECHAT_SUBSCRIBE_TEMPLATE_REFUND: 'local-template-refund-succeeded',
  // How often a simulator resends an unacknowledged notification (real providers: 30 s to 5 min).
  SANDBOX_RETRY_MS: '300',
};

/** Where a provider's simulator is mounted on a stack at `baseUrl`. */
export function simulatorUrl(baseUrl: string, name: string): string {
  return `${baseUrl}/sandbox/${name}`;
}

/**
 * The environment the local stack runs with: the developer's values win over defaults.
 * Every provider that has a simulator is enabled by default and pointed at it.
 */
export function localEnv(
  env: NodeJS.ProcessEnv,
  baseUrl: string,
  providers: readonly AnyProviderDescriptor[],
  simulators: readonly SimulatorModule[],
): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = {
    ...LOCAL_DEFAULTS,
    PAY_PROVIDERS: simulators.map((s) => s.name).join(','),
    WECHAT_API_BASE: simulatorUrl(baseUrl, 'wechat'),
    NOTIFY_BASE_URL: `${baseUrl}/notify`,
  };
  for (const simulator of simulators) {
    const descriptor = providers.find((p) => p.name === simulator.name);
    if (!descriptor) throw new Error(`simulator "${simulator.name}" has no provider module`);
    Object.assign(merged, simulator.defaults(simulatorUrl(baseUrl, simulator.name)));
    merged[descriptor.apiBaseVariable] = simulatorUrl(baseUrl, simulator.name);
  }
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') merged[k] = v;
  // The operator: the WeChat sandbox openid of test user `operator` (codes test-operator-…).
  // The sandbox derives openids from the app id alone, so it is known before the stack starts.
  if (env.ADMIN_OPENIDS === undefined) merged.ADMIN_OPENIDS = new WechatSandbox(merged.WECHAT_APPID ?? '', '').openidFor(LOCAL_OPERATOR_USER);
  return merged;
}
