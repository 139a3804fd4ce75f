import { loadConfig } from '../../server/app';
import { ConfigError } from '../../server/core/errors';

const GOOD = {
  WECHAT_APPID: 'wx0123456789abcdef',
  WECHAT_APP_SECRET: 'secret',
  NOTIFY_BASE_URL: 'https://example.com/payNotify',
  PAY_PROVIDERS: 'latipay',
  LATIPAY_USER_ID: 'U000000001',
  LATIPAY_WALLET_ID: 'W000000001',
  LATIPAY_API_KEY: 'key',
};

function problemsOf(env: Record<string, string>, requireAppSecret = true): string[] {
  try {
    loadConfig(env, { requireAppSecret });
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => p.variable);
  }
}

describe('configuration', () => {
  it('reads a complete environment', () => {
    const config = loadConfig(GOOD, { requireAppSecret: true });
    expect(config.providerConfigs.latipay).toMatchObject({ userId: 'U000000001', currency: 'NZD', apiBase: 'https://api.latipay.net' });
    expect(config.providerTimeoutMs).toBe(10000);
  });

  it('names every missing variable at once', () => {
    expect(problemsOf({ PAY_PROVIDERS: 'latipay' }).sort()).toEqual(
      ['LATIPAY_API_KEY', 'LATIPAY_USER_ID', 'LATIPAY_WALLET_ID', 'NOTIFY_BASE_URL', 'WECHAT_APPID', 'WECHAT_APP_SECRET'].sort(),
    );
  });

  it('names malformed variables and says what is expected', () => {
    try {
      loadConfig({ ...GOOD, WECHAT_APPID: 'nope', NOTIFY_BASE_URL: 'ftp://x', PROVIDER_TIMEOUT_MS: 'soon', PAY_PROVIDERS: 'latipay,paypal', LATIPAY_CURRENCY: 'USD' }, { requireAppSecret: true });
      throw new Error('expected a ConfigError');
    } catch (e) {
      const message = (e as Error).message;
      for (const v of ['WECHAT_APPID', 'NOTIFY_BASE_URL', 'PROVIDER_TIMEOUT_MS', 'PAY_PROVIDERS', 'LATIPAY_CURRENCY']) expect(message).toContain(v);
      expect(message).toContain('paypal');
    }
  });

  it('does not need the app secret inside WeChat cloud (openid from context)', () => {
    const { WECHAT_APP_SECRET: _, ...env } = GOOD;
    expect(problemsOf(env, false)).toEqual([]);
  });
});

describe('ADMIN_OPENIDS', () => {
  it('is empty (nobody is an operator) when unset or blank, and a trimmed list otherwise', () => {
    expect(loadConfig(GOOD, { requireAppSecret: true }).adminOpenids).toEqual([]);
    expect(loadConfig({ ...GOOD, ADMIN_OPENIDS: ' ' }, { requireAppSecret: true }).adminOpenids).toEqual([]);
    expect(loadConfig({ ...GOOD, ADMIN_OPENIDS: 'oAbc123456, oDef_-7890 ' }, { requireAppSecret: true }).adminOpenids).toEqual(['oAbc123456', 'oDef_-7890']);
  });

  it('names the variable when an entry is not an openid', () => {
    expect(problemsOf({ ...GOOD, ADMIN_OPENIDS: 'oAbc123456,not an openid' })).toEqual(['ADMIN_OPENIDS']);
  });
});
