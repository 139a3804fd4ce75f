/**
 * cloudbaserc.json (tcb fn deploy) stays in step with the functions and with .env.example:
 * every function is deployed, every variable the functions read is passed, and every value
 * comes from the git-ignored .env (a {{env.X}} template), never a secret in the repository.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FUNCTIONS } from '../../scripts/build-functions';

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

/** Variables named in .env.example (set or commented out), minus the local-only and deploy-only sections. */
function exampleVariables(): string[] {
  const text = readFileSync(join(root, '.env.example'), 'utf8');
  const cut = text.search(/^# --- (Deploying|Local stack only)/m);
  const functionsPart = cut >= 0 ? text.slice(0, cut) : text;
  return [...new Set([...functionsPart.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1] as string))];
}

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

  it.each(Object.keys(FUNCTIONS))('%s gets every variable in .env.example, each from .env', (name) => {
    const f = rc.functions.find((fn) => fn.name === name)!;
    const wanted = exampleVariables().filter((v) => name === 'reconcile' || !v.startsWith('RECONCILE_'));
    expect(wanted.filter((v) => !(v in f.envVariables))).toEqual([]);
    for (const [k, v] of Object.entries(f.envVariables)) expect(v).toBe(`{{env.${k}}}`);
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
