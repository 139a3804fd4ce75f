/**
 * @jest-environment jsdom
 *
 * The preview pipeline, for real: pages driven by miniprogram-simulate, written as static
 * HTML, drawn and checked by Chromium (scripts/preview/shoot.ts): nothing wider than the
 * screen, every tap target at least 44×44 px. `npm test` runs a reduced set (a few states,
 * every language, both themes) into a temporary folder; `npm run preview` (PREVIEW_ALL=1) runs every
 * state into docs/screenshots/.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { capture, PREVIEW_LANGS, STATES, writeCaptured } from './preview/capture';

const ALL = process.env.PREVIEW_ALL === '1';
const REDUCED = new Set(['checkout-another-way', 'result-still-confirming', 'order-unpaid', 'admin/order-refunding']);
const root = path.resolve(__dirname, '../..');

describe('preview: every page at 375×812, in zh, zh-tw and en, light and dark', () => {
  const htmlDir = mkdtempSync(path.join(tmpdir(), 'preview-html-'));
  const outDir = ALL ? (process.env.PREVIEW_OUT ?? path.join(root, 'test-artifacts/preview')) : mkdtempSync(path.join(tmpdir(), 'preview-png-'));
  mkdirSync(outDir, { recursive: true });
  afterAll(() => {
    rmSync(htmlDir, { recursive: true, force: true });
    if (!ALL) rmSync(outDir, { recursive: true, force: true });
  });

  const shoot = (dir: string, out: string) => {
    const run = spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'scripts/preview/shoot.ts'), dir, out], { cwd: root, encoding: 'utf8' });
    if (run.status === 2 || !run.stdout) throw new Error(`the browser half failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as { name: string; problems: string[] }[];
  };

  it('the checks catch an element wider than the screen and a small tap target', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'preview-bad-'));
    try {
      writeFileSync(path.join(dir, 'bad.html'), '<body style="margin:0"><div style="width:400px">wide</div><wx-button style="display:block;width:30px;height:30px">x</wx-button></body>');
      const [report] = shoot(dir, dir);
      expect(report!.problems).toEqual([expect.stringMatching(/^the page scrolls sideways/), expect.stringMatching(/^div "wide" spans 0\.0\.\.400\.0/), expect.stringMatching(/^tap target wx-button "x" is 30\.0×30\.0 px/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('renders, draws and passes the width and tap-target checks', async () => {
    // A full run replaces every screenshot, so none of a state that no longer exists remains.
    if (ALL) for (const f of readdirSync(outDir)) if (f.endsWith('.png')) rmSync(path.join(outDir, f));
    jest.useFakeTimers();
    const states = ALL ? STATES : STATES.filter((s) => REDUCED.has(`${s.page}-${s.state}`));
    for (const state of states) {
      for (const lang of PREVIEW_LANGS) {
        if (process.env.PREVIEW_DEBUG) process.stderr.write(`${state.page}-${state.state}-${lang}\n`);
        writeCaptured(htmlDir, await capture(state, lang));
      }
    }
    jest.useRealTimers();
    const started = Date.now();
    const reports = shoot(htmlDir, outDir);
    if (ALL) process.stdout.write(`preview: ${reports.length} screenshots drawn and checked in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    // Each page in each language, drawn light and dark.
    expect(reports).toHaveLength(states.length * PREVIEW_LANGS.length * 2);
    const problems = reports.filter((r) => r.problems.length);
    expect(problems).toEqual([]);
  }, 120_000);
});
