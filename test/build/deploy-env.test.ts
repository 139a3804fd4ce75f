/**
 * `npm run deploy:env` (scripts/deploy-env.ts): one .env becomes each function's environment,
 * holding only what that function reads for the enabled providers, checked first the way the
 * functions will check it; and a table per function for pasting into DevTools.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../scripts/deploy-env';

const dir = mkdtempSync(join(tmpdir(), 'deploy-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOTIFY = 'https://shop-1a2b3c.ap-shanghai.app.tcloudbase.com/payNotify';
const GOOD = [
  'ENV_ID=shop-1a2b3c',
  'WECHAT_APPID=wx0123456789abcdef',
  'PAY_PROVIDERS=latipay',
  `NOTIFY_BASE_URL=${NOTIFY}`,
  'ADMIN_OPENIDS=oOperator_0123456789',
  'LATIPAY_USER_ID=U000000001',
  'LATIPAY_WALLET_ID=W000000001',
  'LATIPAY_API_KEY=latipay-key-1',
  '# OTT Pay is not enabled: its values go nowhere',
  'OTTPAY_SIGN_KEY=6698851A525C9433',
  'RECONCILE_BATCH=20',
  'PORT=8788',
].join('\n');

function run(envText: string | undefined, extra: { check?: boolean } = {}): { code: number; output: string; rc?: { envId: string; functions: { name: string; envVariables: Record<string, string> }[] } } {
  const envFile = join(dir, `env-${Math.random().toString(36).slice(2)}`);
  const out = join(dir, 'cloudbaserc.deploy.json');
  rmSync(out, { force: true });
  if (envText !== undefined) writeFileSync(envFile, envText);
  const lines: string[] = [];
  const code = main({ envFile, out, print: (l) => lines.push(l), ...extra });
  let rc;
  try {
    rc = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    rc = undefined;
  }
  return { code, output: lines.join('\n'), rc };
}

describe('npm run deploy:env', () => {
  it('gives each function only the variables it reads, for the enabled providers, as set in .env', () => {
    const { code, output, rc } = run(GOOD);
    expect(code).toBe(0);
    expect(rc!.envId).toBe('shop-1a2b3c');
    const env = (name: string) => rc!.functions.find((f) => f.name === name)!.envVariables;
    expect(env('pay')).toEqual({
      WECHAT_APPID: 'wx0123456789abcdef',
      NOTIFY_BASE_URL: NOTIFY,
      PAY_PROVIDERS: 'latipay',
      LATIPAY_USER_ID: 'U000000001',
      LATIPAY_WALLET_ID: 'W000000001',
      LATIPAY_API_KEY: 'latipay-key-1',
    });
    expect(env('admin')).toMatchObject({ ADMIN_OPENIDS: 'oOperator_0123456789', LATIPAY_API_KEY: 'latipay-key-1' });
    expect(env('reconcile')).toMatchObject({ RECONCILE_BATCH: '20' });
    expect(env('payNotify')).not.toHaveProperty('ADMIN_OPENIDS');
    for (const f of rc!.functions) {
      expect(f.envVariables).not.toHaveProperty('OTTPAY_SIGN_KEY'); // not enabled
      expect(f.envVariables).not.toHaveProperty('PORT'); // local stack only
      expect(f.envVariables).not.toHaveProperty('ENV_ID');
    }
    // One table per function, for DevTools.
    for (const name of ['pay', 'payNotify', 'reconcile', 'admin']) expect(output).toMatch(new RegExp(`^${name}: \\d+ variables`, 'm'));
    expect(output).toMatch(/^ {2}LATIPAY_API_KEY +latipay-key-1$/m);
    expect(output).toContain('fn deploy --config-file');
  });

  it('.env.example copied unchanged is not a deployment: each missing variable is named, nothing is written', () => {
    const { code, output, rc } = run(readFileSync(resolve(__dirname, '../../.env.example'), 'utf8'));
    expect(code).toBe(1);
    expect(rc).toBeUndefined();
    for (const v of ['WECHAT_APPID', 'NOTIFY_BASE_URL', 'PAY_PROVIDERS', 'ENV_ID']) expect(output).toContain(`${v}: is missing`);
  });

  it('names the variable and the fix for a placeholder notify URL, a local one, and a short OTT Pay signkey', () => {
    const placeholder = run(GOOD.replace(NOTIFY, 'https://<env-id>.<region>.app.tcloudbase.com/payNotify'));
    expect(placeholder.code).toBe(1);
    expect(placeholder.output).toMatch(/NOTIFY_BASE_URL: is not an http\(s\) URL/);
    const local = run(GOOD.replace(NOTIFY, 'http://127.0.0.1:8787/notify'));
    expect(local.output).toContain('NOTIFY_BASE_URL: is http://127.0.0.1:8787/notify, which the providers cannot reach');
    const ott = run(GOOD.replace('PAY_PROVIDERS=latipay', 'PAY_PROVIDERS=latipay,ottpay').replace('OTTPAY_SIGN_KEY=6698851A525C9433', 'OTTPAY_SIGN_KEY=6698851A') + '\nOTTPAY_MERCHANT_ID=QC00005496\nOTTPAY_OPERATOR_ID=0000000005');
    expect(ott.code).toBe(1);
    expect(ott.output).toMatch(/OTTPAY_SIGN_KEY: is malformed \(.*16 letters and digits/);
  });

  it('a PEM key on several lines travels as one line with \\n escapes, which the functions accept', () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const newpay = `\nNEWPAY_APP_ID=6\nNEWPAY_MERCHANT_ID=M1\nNEWPAY_PRIVATE_KEY="${pair.privateKey}"\nNEWPAY_PUBLIC_KEY="${pair.publicKey}"`;
    const { code, rc } = run(GOOD.replace('PAY_PROVIDERS=latipay', 'PAY_PROVIDERS=latipay,newpay') + newpay);
    expect(code).toBe(0);
    const key = rc!.functions.find((f) => f.name === 'pay')!.envVariables.NEWPAY_PRIVATE_KEY!;
    expect(key).not.toContain('\n');
    expect(key.split('\\n').join('\n')).toBe(pair.privateKey.trim());
  });

  it('without a .env, says how to make one (exit 2)', () => {
    const { code, output } = run(undefined);
    expect(code).toBe(2);
    expect(output).toContain('Copy .env.example to .env');
  });
});
