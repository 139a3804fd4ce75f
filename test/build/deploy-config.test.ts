/**
 * cloudbaserc.json (tcb fn deploy) stays in step with the functions and with .env.example:
 * every function is deployed, each gets exactly the variables it reads (learnt from the code,
 * scripts/lib/function-env.ts), and every value comes from the git-ignored .env (a {{env.X}}
 * template), never a secret in the repository.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FUNCTIONS } from '../../scripts/build-functions';
import { functionVariables } from '../../scripts/lib/function-env';

const root = resolve(__dirname, '../..');

interface RcFunction {
  name: string;
  runtime: string;
  timeout: number;
  installDependency: boolean;
  envVariables: Record<string, string>;
  triggers?: { name: string; type: string; config: string }[];
}
const rc = JSON.parse(readFileSync(join(root, 'cloudbaserc.json'), 'utf8')) as { envId: string; functionRoot: string; functions: RcFunction[] };

/** Variables named in .env.example (set or commented out), in its cloud functions part. */
function exampleVariables(): string[] {
  const text = readFileSync(join(root, '.env.example'), 'utf8');
  const cut = text.search(/^# =+ deploying/m);
  const functionsPart = cut >= 0 ? text.slice(0, cut) : text;
  return [...new Set([...functionsPart.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1] as string))];
}

const reads = functionVariables(Object.keys(FUNCTIONS));

describe('cloudbaserc.json', () => {
  it('deploys every built function from cloudfunctions/ into {{env.ENV_ID}}', () => {
    expect(rc.envId).toBe('{{env.ENV_ID}}');
    expect(rc.functionRoot.replace(/^\.\//, '')).toBe('cloudfunctions');
    expect(rc.functions.map((f) => f.name).sort()).toEqual(Object.keys(FUNCTIONS).sort());
    for (const f of rc.functions) {
      expect(f.runtime).toBe('Nodejs16.13');
      expect(f.timeout).toBeGreaterThanOrEqual(20);
      expect(f.installDependency).toBe(true);
    }
  });

  it.each(Object.keys(FUNCTIONS))('%s gets exactly the variables it reads, each from .env', (name) => {
    const f = rc.functions.find((fn) => fn.name === name)!;
    const r = reads[name]!;
    expect(Object.keys(f.envVariables).sort()).toEqual([...r.common, ...Object.values(r.providers).flat()].sort());
    for (const [k, v] of Object.entries(f.envVariables)) expect(v).toBe(`{{env.${k}}}`);
  });

  it('reads what a function needs and not what it does not: secrets and settings stay where they are used', () => {
    expect(reads.admin!.common).toContain('ADMIN_OPENIDS');
    expect(reads.pay!.common).not.toContain('ADMIN_OPENIDS');
    expect(reads.reconcile!.common).toEqual(expect.arrayContaining(['RECONCILE_AFTER_MINUTES', 'RECONCILE_BATCH']));
    // Every function schedules checks (RECONCILE_AFTER_MINUTES); only reconcile pages through them.
    expect(reads.pay!.common.filter((v) => v.startsWith('RECONCILE_'))).toEqual(['RECONCILE_AFTER_MINUTES']);
    expect(reads.payNotify!.common).not.toContain('WECHAT_APP_SECRET');
    expect(reads.pay!.providers.ottpay).toEqual(expect.arrayContaining(['OTTPAY_SIGN_KEY', 'OTTPAY_WECHAT_PAY_KEY']));
    // Optional branches are read too: NewPay's query host only exists with its credentials.
    expect(reads.pay!.providers.newpay).toEqual(expect.arrayContaining(['NEWPAY_QUERY_API_BASE', 'NEWPAY_RETURN_URL']));
  });

  it('.env.example explains every variable a function reads', () => {
    const everything = new Set(Object.values(reads).flatMap((r) => [...r.common, ...Object.values(r.providers).flat()]));
    expect([...everything].filter((v) => !exampleVariables().includes(v))).toEqual([]);
  });

  it('runs reconcile on the same timer as cloudfunctions/reconcile/config.json', () => {
    const config = JSON.parse(readFileSync(join(root, 'cloudfunctions/reconcile/config.json'), 'utf8')) as { triggers: unknown; timeout: number };
    const f = rc.functions.find((fn) => fn.name === 'reconcile')!;
    expect(f.triggers).toEqual(config.triggers);
    expect(f.timeout).toBe(config.timeout);
  });

  it('deploys code that runs on Nodejs16.13, which has no global fetch', () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const using = sources(join(root, 'server')).filter((f) => /\bfetch\(/.test(readFileSync(f, 'utf8')));
    expect(using).toEqual([]);
  });
});
