/**
 * Reads environment variables and collects every problem before failing, so one start-up
 * message names each missing or malformed variable instead of the first one only.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';

export type Env = Readonly<Record<string, string | undefined>>;

export interface ConfigProblem {
  variable: string;
  problem: string;
}

export class EnvReader {
  readonly problems: ConfigProblem[] = [];
  /** Every URL read, by the variable that set it (or would have): errors name the variable. */
  readonly urls: Record<string, string> = {};

  constructor(private readonly env: Env) {}

  private raw(name: string): string | undefined {
    const value = this.env[name];
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  has(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  problem(variable: string, problem: string): void {
    this.problems.push({ variable, problem });
  }

  required(name: string, pattern?: RegExp, hint?: string): string {
    const value = this.raw(name);
    if (value === undefined) {
      this.problem(name, 'is missing' + (hint ? ` (${hint})` : ''));
      return '';
    }
    if (pattern && !pattern.test(value)) {
      this.problem(name, `is malformed` + (hint ? ` (${hint})` : ''));
    }
    return value;
  }

  optional(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optionalOrUndefined(name: string): string | undefined {
    return this.raw(name);
  }

  url(name: string, fallback?: string): string {
    const value = this.raw(name) ?? fallback;
    if (value === undefined) {
      this.problem(name, 'is missing (an http:// or https:// URL)');
      return '';
    }
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
    } catch {
      this.problem(name, `is not an http(s) URL: "${value}"`);
    }
    const url = value.replace(/\/+$/, '');
    this.urls[name] = url;
    return url;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      this.problem(name, `must be a whole number from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return Number(value);
  }

  list<T extends string>(name: string, allowed: readonly T[], fallback?: readonly T[]): T[] {
    const value = this.raw(name);
    if (value === undefined) {
      if (fallback) return [...fallback];
      this.problem(name, `is missing (comma-separated, from: ${allowed.join(', ')})`);
      return [];
    }
    const items = value.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = items.filter((i) => !(allowed as readonly string[]).includes(i));
    if (unknown.length > 0 || items.length === 0) {
      this.problem(name, `has unknown entries ${JSON.stringify(unknown)} (allowed: ${allowed.join(', ')})`);
    }
    return items.filter((i): i is T => (allowed as readonly string[]).includes(i));
  }

  /** A PEM key; `\n` escapes are accepted since many consoles take one-line values. */
  pem(name: string, kind: 'private' | 'public'): string {
    const value = this.raw(name);
    if (value === undefined) {
      this.problem(name, `is missing (a PEM ${kind} key)`);
      return '';
    }
    const pem = value.replace(/\\n/g, '\n');
    try {
      if (kind === 'private') createPrivateKey(pem);
      else createPublicKey(pem);
    } catch {
      this.problem(name, `is not a valid PEM ${kind} key`);
    }
    return pem;
  }
}
