import { generateKeyPairSync } from 'node:crypto';
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

describe("each provider's secrets are checked for their documented shape at start", () => {
  const base = { WECHAT_APPID: 'wx0123456789abcdef', WECHAT_APP_SECRET: 's', NOTIFY_BASE_URL: 'https://example.com/payNotify' };
  const ottpay = { ...base, PAY_PROVIDERS: 'ottpay', OTTPAY_MERCHANT_ID: 'QC00005496', OTTPAY_OPERATOR_ID: '0000000005', OTTPAY_SIGN_KEY: '6698851A525C9433' };
  const messageOf = (env: Record<string, string>): string => {
    try {
      loadConfig(env, { requireAppSecret: true });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    return '';
  };

  it('OTT Pay: a signkey that is not 16 letters and digits, and a WeChat Pay key that is not 32', () => {
    expect(messageOf(ottpay)).toBe('');
    expect(messageOf({ ...ottpay, OTTPAY_SIGN_KEY: '6698851A525C943' })).toMatch(/OTTPAY_SIGN_KEY: is malformed \(.*16 letters and digits/);
    expect(messageOf({ ...ottpay, OTTPAY_SIGN_KEY: '6698851A 525C943' })).toContain('OTTPAY_SIGN_KEY');
    expect(messageOf({ ...ottpay, OTTPAY_WECHAT_PAY_KEY: 'short' })).toMatch(/OTTPAY_WECHAT_PAY_KEY: is malformed \(.*32 letters and digits/);
    expect(messageOf({ ...ottpay, OTTPAY_WECHAT_PAY_KEY: 'qazwsxedcrfvtgbyhnujmikolp111111' })).toBe('');
  });

  it('Latipay: an API key with spaces or quotes (a broken copy)', () => {
    expect(messageOf({ ...GOOD, LATIPAY_API_KEY: '"abc def"' })).toContain('LATIPAY_API_KEY: is malformed');
  });

  it('NewPay: RSA keys of 2048 bits or more, each of the kind its variable names', () => {
    const pair = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const good = pair(2048);
    const newpay = { ...base, PAY_PROVIDERS: 'newpay', NEWPAY_APP_ID: '6', NEWPAY_MERCHANT_ID: 'M1', NEWPAY_PRIVATE_KEY: good.privateKey, NEWPAY_PUBLIC_KEY: good.publicKey };
    expect(messageOf(newpay)).toBe('');
    expect(messageOf({ ...newpay, NEWPAY_PUBLIC_KEY: good.privateKey })).toMatch(/NEWPAY_PUBLIC_KEY: holds a private key/);
    const small = pair(1024);
    expect(messageOf({ ...newpay, NEWPAY_PRIVATE_KEY: small.privateKey })).toMatch(/NEWPAY_PRIVATE_KEY: is a 1024-bit RSA key/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    expect(messageOf({ ...newpay, NEWPAY_PUBLIC_KEY: ec.publicKey })).toMatch(/NEWPAY_PUBLIC_KEY: is a ec key/);
    expect(messageOf({ ...newpay, NEWPAY_PRIVATE_KEY: 'not a key' })).toContain('NEWPAY_PRIVATE_KEY: is not a valid PEM private key');
  });
});
