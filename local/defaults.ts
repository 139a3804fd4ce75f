/**
 * The local stack's embedded defaults: used for every variable the developer left unset,
 * so `npm start` works with no accounts. The simulators use the same values. Documented
 * in the README; never used by the deployed cloud functions.
 */
export const LOCAL_DEFAULTS: Readonly<Record<string, string>> = {
  WECHAT_APPID: 'wx0123456789abcdef',
  WECHAT_APP_SECRET: 'local-app-secret-not-for-production',
  PAY_PROVIDERS: 'latipay',
  LATIPAY_USER_ID: 'U000000001',
  LATIPAY_WALLET_ID: 'W000000001',
  LATIPAY_API_KEY: 'local-latipay-api-key',
  LATIPAY_CURRENCY: 'NZD',
  // The WeChat Pay API key the provider simulators sign mini program parameters with.
  SANDBOX_WECHAT_PAY_KEY: 'sandboxwechatpaykey0123456789abc',
  // How often a simulator resends an unacknowledged notification (real providers: 30 s to 5 min).
  SANDBOX_RETRY_MS: '300',
};

/** Variables whose default depends on where the stack listens. */
export function urlDefaults(baseUrl: string): Record<string, string> {
  return {
    WECHAT_API_BASE: `${baseUrl}/sandbox/wechat`,
    LATIPAY_API_BASE: `${baseUrl}/sandbox/latipay`,
    NOTIFY_BASE_URL: `${baseUrl}/notify`,
  };
}

/** The environment the local stack runs with: the developer's values win over defaults. */
export function localEnv(env: NodeJS.ProcessEnv, baseUrl: string): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = { ...LOCAL_DEFAULTS, ...urlDefaults(baseUrl) };
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') merged[k] = v;
  return merged;
}
