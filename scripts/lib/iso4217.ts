/**
 * ISO 4217 minor units, read from the ISO maintenance agency's own "List one" XML as the
 * currency-codes package (a dev dependency) ships it: every code with a numeric
 * CcyMnrUnts, i.e. every currency, without funds and metals ("N.A."). The server keeps the
 * result in server/core/iso4217.json (a few KB in each cloud function instead of the
 * package's 30 KB of country names); test/unit/iso4217.test.ts proves that file is exactly
 * what this reads, so it can never become a hand-written list.
 */
import { readFileSync } from 'node:fs';

export interface Iso4217Table {
  /** The ISO list's publication date (Pblshd). */
  published: string;
  /** Code → minor units (digits after the decimal point), sorted by code. */
  minorUnits: Record<string, number>;
}

export function readIso4217(): Iso4217Table {
  const xml = readFileSync(require.resolve('currency-codes/iso-4217-list-one.xml'), 'utf8');
  const published = /<ISO_4217 Pblshd="([^"]+)"/.exec(xml)?.[1];
  if (!published) throw new Error('ISO 4217 list: no publication date');
  const units = new Map<string, number>();
  for (const entry of xml.match(/<CcyNtry>[\s\S]*?<\/CcyNtry>/g) ?? []) {
    const code = /<Ccy>([A-Z]{3})<\/Ccy>/.exec(entry)?.[1];
    const minor = /<CcyMnrUnts>(\d+)<\/CcyMnrUnts>/.exec(entry)?.[1];
    if (code && minor !== undefined) {
      const known = units.get(code);
      if (known !== undefined && known !== Number(minor)) throw new Error(`ISO 4217 list: ${code} has two minor units`);
      units.set(code, Number(minor));
    }
  }
  return { published, minorUnits: Object.fromEntries([...units.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) };
}
