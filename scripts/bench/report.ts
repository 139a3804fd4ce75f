/**
 * How `npm run bench` states its targets: every target is checked once, printed as a line
 * beginning `PASS` or `FAIL` (scripts read these), and counted; `--check` turns any FAIL into
 * exit code 1.
 */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** The q-quantile (0..1) by nearest rank. */
export const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
};

export class Targets {
  readonly missed: string[] = [];
  met = 0;

  /** Prints `PASS name: detail` or `FAIL name: detail`; returns `ok`. */
  check(name: string, ok: boolean, detail: string): boolean {
    const line = `${ok ? 'PASS' : 'FAIL'} ${name}: ${detail}`;
    console.log(line);
    if (ok) this.met += 1;
    else this.missed.push(line);
    return ok;
  }

  /** A section that could not run counts as a missed target. */
  failed(name: string, error: unknown): void {
    this.check(name, false, `did not run: ${error instanceof Error ? error.message : String(error)}`);
  }
}
