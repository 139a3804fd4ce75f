/**
 * Which environment variables each cloud function reads, learnt from the code itself: the
 * configuration readers are run against an environment that records every name asked for
 * (and answers each with a value, so optional branches are read too). A provider added to
 * server/providers/index.ts, or a variable added to a reader, appears here with no list to
 * update. Used by `npm run deploy:env` and by test/build/deploy-config.test.ts.
 */
import { loadConfig } from '../../server/config';
import { EnvReader } from '../../server/config/env';
import { reconcileOptionsFromEnv } from '../../server/use-cases/reconcile';
import { PROVIDERS } from '../../server/providers';
import type { AnyProviderDescriptor } from '../../server/providers/descriptor';

/** Runs `read` against an environment that answers "x" to every name, and returns the names asked for. */
function namesRead(read: (env: Record<string, string>) => void): string[] {
  const asked = new Set<string>();
  const env = new Proxy({} as Record<string, string>, {
    get(_target, name) {
      if (typeof name === 'string') asked.add(name);
      return 'x';
    },
  });
  try {
    read(env);
  } catch {
    // Every "x" is malformed somewhere; only the names matter here.
  }
  return [...asked];
}

/** Variables every function reads through loadConfig, whatever PAY_PROVIDERS says. */
function commonVariables(): string[] {
  return namesRead((env) => loadConfig(env, { requireAppSecret: false, providers: [] }));
}

/** A provider's own variables (its descriptor's readConfig, every optional branch taken). */
export function providerVariables(descriptor: AnyProviderDescriptor): string[] {
  return namesRead((env) => descriptor.readConfig(new EnvReader(env)));
}

/** Which function uses which of the common variables beyond the shared configuration. */
const ONLY_IN: Readonly<Record<string, string>> = {
  // Operators call admin only; elsewhere the list is read and never used.
  ADMIN_OPENIDS: 'admin',
  // Only where there is no WeChat context: pay called through HTTP access (createAppPayment).
  WECHAT_APP_SECRET: 'pay',
};

export interface FunctionVariables {
  /** Read by the function whatever providers are enabled. */
  common: string[];
  /** Per enabled provider, its own variables. */
  providers: Record<string, string[]>;
}

/** The variables each function reads: `pay`, `payNotify`, `reconcile`, `admin`. */
export function functionVariables(functions: readonly string[], descriptors: readonly AnyProviderDescriptor[] = PROVIDERS): Record<string, FunctionVariables> {
  const common = [...commonVariables(), 'LOG_LEVEL'];
  const reconcile = namesRead((env) => reconcileOptionsFromEnv(env));
  const providers = Object.fromEntries(descriptors.map((d) => [d.name, providerVariables(d)]));
  const out: Record<string, FunctionVariables> = {};
  for (const name of functions) {
    out[name] = {
      common: [...common.filter((v) => (ONLY_IN[v] ?? name) === name), ...(name === 'reconcile' ? reconcile : [])],
      providers,
    };
  }
  return out;
}
