/**
 * `npm run deploy:env`: one `.env` becomes each cloud function's environment, with nothing
 * typed by hand.
 *
 * 1. Reads `.env` (or `--env-file <path>`) and checks it the way the deployed functions will
 *    (server/config: every missing or malformed variable named at once), plus what only a
 *    deployment needs: ENV_ID, and a NOTIFY_BASE_URL that the providers can reach.
 * 2. Writes `cloudbaserc.deploy.json` (git-ignored; `--out <path>` to choose): cloudbaserc.json
 *    with each function's `envVariables` holding only the variables that function reads
 *    (scripts/lib/function-env.ts) for the providers PAY_PROVIDERS enables, and only those
 *    the .env sets (an unset one takes its documented default in the function too). Deploy
 *    it with `npx @cloudbase/cli fn deploy --config-file cloudbaserc.deploy.json`.
 * 3. Prints one table per function, for those who paste the values into WeChat DevTools or
 *    the Cloud Development console instead.
 *
 * `--check` stops after step 1. Exit codes: 0 ready, 1 a problem in .env, 2 no .env.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { loadConfig } from '../server/app';
import { ConfigError } from '../server/core/errors';
import { PROVIDERS } from '../server/providers';
import { functionVariables } from './lib/function-env';

const root = resolve(__dirname, '..');

export interface DeployEnvOptions {
  envFile?: string;
  out?: string;
  check?: boolean;
  print?: (line: string) => void;
}

interface RcFunction {
  name: string;
  envVariables?: Record<string, string>;
  [key: string]: unknown;
}

/** The deployment's own checks, beyond what the functions check at cold start. */
function deploymentProblems(values: Record<string, string>): string[] {
  const problems: string[] = [];
  if (!values.ENV_ID) problems.push('ENV_ID: is missing (the CloudBase environment id, top left of the Cloud Development console)');
  const notify = values.NOTIFY_BASE_URL;
  if (notify) {
    let url: URL | undefined;
    try {
      url = new URL(notify);
    } catch {
      /* named by loadConfig */
    }
    if (url && (url.protocol !== 'https:' || /^(localhost|127\.|\[::1\])/.test(url.hostname))) {
      problems.push(
        `NOTIFY_BASE_URL: is ${notify}, which the providers cannot reach; it must be payNotify's HTTP access URL, ` +
          'https://<env-id>.<region>.app.tcloudbase.com/payNotify',
      );
    }
  }
  return problems;
}

/** A value as one line: PEM keys keep their line breaks as \n escapes, which the functions accept. */
function oneLine(value: string): string {
  return value.replace(/\r?\n/g, '\\n');
}

function table(rows: [string, string][]): string[] {
  const width = Math.max('variable'.length, ...rows.map(([k]) => k.length));
  return [`  ${'variable'.padEnd(width)}  value`, `  ${'-'.repeat(width)}  -----`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)];
}

export function main(options: DeployEnvOptions = {}): number {
  const print = options.print ?? ((line: string) => console.log(line));
  const envFile = options.envFile ?? join(root, '.env');
  if (!existsSync(envFile)) {
    print(`No ${envFile}. Copy .env.example to .env (cmd.exe: copy .env.example .env), fill in the cloud functions part, and run this again.`);
    return 2;
  }
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(parseEnv(readFileSync(envFile, 'utf8')))) {
    if (v !== undefined && v.trim() !== '') values[k] = v.trim();
  }

  // 1. The functions' own checks (in the cloud: no app secret needed), then the deployment's.
  const problems: string[] = [];
  let providers: string[] = [];
  try {
    providers = loadConfig(values, { requireAppSecret: false }).providers;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems.map((p) => `${p.variable}: ${p.problem}`));
  }
  problems.push(...deploymentProblems(values));
  if (problems.length > 0) {
    print(`${envFile} is not ready to deploy:`);
    for (const p of problems) print(`  - ${p}`);
    return 1;
  }
  print(`${envFile} is ready: ${providers.join(', ')} for environment ${values.ENV_ID}.`);
  if (options.check) return 0;

  // 2. Each function gets only what it reads, for the enabled providers, as set in .env.
  const rc = JSON.parse(readFileSync(join(root, 'cloudbaserc.json'), 'utf8')) as { envId: string; functions: RcFunction[] } & Record<string, unknown>;
  const reads = functionVariables(rc.functions.map((f) => f.name), PROVIDERS);
  const perFunction: { name: string; set: [string, string][]; unset: string[] }[] = [];
  for (const f of rc.functions) {
    const r = reads[f.name]!;
    const names = [...r.common, ...providers.flatMap((p) => r.providers[p] ?? [])];
    const set = names.filter((n) => values[n] !== undefined).map((n): [string, string] => [n, oneLine(values[n]!)]);
    perFunction.push({ name: f.name, set, unset: names.filter((n) => values[n] === undefined) });
    f.envVariables = Object.fromEntries(set);
  }
  const out = options.out ? (isAbsolute(options.out) ? options.out : resolve(options.out)) : join(root, 'cloudbaserc.deploy.json');
  rc.envId = values.ENV_ID!;
  writeFileSync(out, JSON.stringify(rc, null, 2) + '\n');

  // 3. The same values, per function, for pasting by hand.
  print('');
  print('The tables below hold your secrets: do not paste them into issues or chats.');
  for (const f of perFunction) {
    print('');
    print(`${f.name}: ${f.set.length} variables (Cloud Development console > Cloud functions > ${f.name} > Configuration > Environment variables)`);
    for (const line of table(f.set)) print(line);
    if (f.unset.length > 0) print(`  not set, the function uses its default: ${f.unset.join(', ')}`);
  }
  print('');
  print(`Wrote ${out} (git-ignored; it holds your secrets). Deploy every function with it:`);
  print(`  npx @cloudbase/cli fn deploy --config-file ${out === join(root, 'cloudbaserc.deploy.json') ? 'cloudbaserc.deploy.json' : out}`);
  return 0;
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const envFile = argValue(args, '--env-file');
  const out = argValue(args, '--out');
  try {
    process.exitCode = main({ ...(envFile ? { envFile: resolve(envFile) } : {}), ...(out ? { out } : {}), check: args.includes('--check') });
  } catch (e) {
    console.error(`deploy:env failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
