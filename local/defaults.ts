/**
 * The local stack's embedded defaults: used for every variable the developer left unset,
 * so `npm start` works with no accounts. The simulators use the same values. Documented
 * in the README; never used by the deployed cloud functions.
 */
export const LOCAL_DEFAULTS: Readonly<Record<string, string>> = {
  WECHAT_APPID: 'wx0123456789abcdef',
  WECHAT_APP_SECRET: 'local-app-secret-not-for-production',
  PAY_PROVIDERS: 'latipay,ottpay,newpay',
  LATIPAY_USER_ID: 'U000000001',
  LATIPAY_WALLET_ID: 'W000000001',
  LATIPAY_API_KEY: 'local-latipay-api-key',
  LATIPAY_CURRENCY: 'NZD',
  // OTT Pay (the signkey is 16 characters like the docs' examples; OTTPAY_APP_ID is the
  // native app's Open Platform AppID, used by in-app payments only).
  OTTPAY_MERCHANT_ID: 'QC00000001',
  OTTPAY_OPERATOR_ID: '0000000001',
  OTTPAY_SIGN_KEY: 'L0CA1517E5164E1A',
  OTTPAY_APP_ID: 'wxfedcba9876543210',
  // NewPay. NEWPAY_PRIVATE_KEY (merchant) and NEWPAY_PUBLIC_KEY (the simulator's platform key)
  // have no fixed default: the local stack generates both RSA pairs at start (local/stack.ts).
  NEWPAY_APP_ID: '6',
  NEWPAY_MERCHANT_ID: 'M000000001',
  NEWPAY_ENV_VERSION: 'release',
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
    OTTPAY_API_BASE: `${baseUrl}/sandbox/ottpay`,
    NEWPAY_API_BASE: `${baseUrl}/sandbox/newpay`,
    NEWPAY_RETURN_URL: `${baseUrl}/`,
    NOTIFY_BASE_URL: `${baseUrl}/notify`,
  };
}

/** The environment the local stack runs with: the developer's values win over defaults. */
export function localEnv(env: NodeJS.ProcessEnv, baseUrl: string): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = { ...LOCAL_DEFAULTS, ...urlDefaults(baseUrl) };
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') merged[k] = v;
  return merged;
}
