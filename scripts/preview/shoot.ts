/**
 * The preview's second half: a Chromium found by scripts/lib/browser.ts (CHROME_PATH, a
 * system install, else the one inside @sparticuz/chromium, with Noto Sans SC) draws each static page written by the first half at 375×812, in the light and the dark theme, and checks it as a phone
 * would: no element wider than the screen or reaching past its edges, no horizontal scroll,
 * and every tap target (wx-button, or an element with a tap listener) at least 44×44 px,
 * itself or through a tappable ancestor. Writes <name>.png; prints a JSON report.
 *   tsx scripts/preview/shoot.ts <dir with .html files> <png dir>
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { findBrowser } from '../lib/browser';

export const VIEWPORT = { width: 375, height: 812 };
export const MIN_TAP = 44;

export interface ShotReport {
  name: string;
  problems: string[];
}

/**
 * Runs in the page. Plain JavaScript in a string: tsx's transform would otherwise add
 * helpers (__name) that do not exist in the browser.
 */
const CHECK = String.raw`function (width, minTap) {
  const out = [];
  const describe = (el) => {
    const cls = (el.getAttribute('class') || '').trim().split(/\s+/).slice(0, 2).join('.');
    return el.tagName.toLowerCase() + (cls ? '.' + cls : '') + ' "' + (el.textContent || '').trim().slice(0, 30) + '"';
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const sw = document.documentElement.scrollWidth;
  if (sw > width) out.push('the page scrolls sideways: ' + sw + ' px wide');
  for (const el of document.querySelectorAll('body *')) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width > width + 0.5 || r.right > width + 0.5 || r.left < -0.5) {
      out.push(describe(el) + ' spans ' + r.left.toFixed(1) + '..' + r.right.toFixed(1) + ' px (screen is ' + width + ')');
    }
  }
  const tappable = (el) => el.tagName === 'WX-BUTTON' || el.hasAttribute('data-tap');
  const bigEnough = (el) => {
    const r = el.getBoundingClientRect();
    return r.width >= minTap - 0.5 && r.height >= minTap - 0.5;
  };
  for (const el of document.querySelectorAll('wx-button, [data-tap]')) {
    if (!visible(el)) continue;
    let ok = false;
    for (let a = el; a && !ok; a = a.parentElement) ok = tappable(a) && visible(a) && bigEnough(a);
    if (!ok) {
      const r = el.getBoundingClientRect();
      out.push('tap target ' + describe(el) + ' is ' + r.width.toFixed(1) + '×' + r.height.toFixed(1) + ' px (at least ' + minTap + '×' + minTap + ')');
    }
  }
  return out;
}`;

export async function shoot(htmlFiles: string[], outDir: string): Promise<ShotReport[]> {
  mkdirSync(outDir, { recursive: true });
  const found = await findBrowser();
  const browser = await chromium.launch({ executablePath: found.executablePath, args: found.args });
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const reports: ShotReport[] = [];
    for (const file of htmlFiles) {
      const base = basename(file, '.html');
      // Each page as the phone's light theme draws it, then its dark theme (app.json darkmode).
      for (const theme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: theme });
        await page.goto(pathToFileURL(resolve(file)).href);
        const name = theme === 'dark' ? `${base}-dark` : base;
        const problems = (await page.evaluate(`(${CHECK})(${VIEWPORT.width}, ${MIN_TAP})`)) as string[];
        // A page with something fixed to the screen (a bottom bar, a sheet) is drawn as the
        // phone shows it: one screen, the fixed part where WeChat draws it. Others: the whole page.
        const fixed = (await page.evaluate(`Array.from(document.querySelectorAll('body *')).some((el) => getComputedStyle(el).position === 'fixed' && el.getBoundingClientRect().height > 0)`)) as boolean;
        await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: !fixed });
        reports.push({ name, problems });
      }
    }
    return reports;
  } finally {
    await browser.close();
  }
}

if (require.main === module) {
  const [htmlDir, outDir] = process.argv.slice(2);
  if (!htmlDir || !outDir) throw new Error('usage: shoot.ts <html dir> <png dir>');
  const files = readdirSync(htmlDir)
    .filter((f) => f.endsWith('.html'))
    .sort()
    .map((f) => join(htmlDir, f));
  shoot(files, outDir).then(
    (reports) => {
      process.stdout.write(JSON.stringify(reports) + '\n');
      process.exitCode = reports.some((r) => r.problems.length) ? 1 : 0;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
