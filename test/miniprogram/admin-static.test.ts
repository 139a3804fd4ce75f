/**
 * Checks on the operator pages' files: no words written in WXML (every word comes from
 * services/admin-messages.ts through data), tap targets at least 88rpx tall, nothing wider
 * than a 750rpx (375 px) screen, and the pages registered in app.json.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../miniprogram');
const PAGES = ['pages/admin/orders/index', 'pages/admin/order/index'];

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Rules of a WXSS file as selector → declarations. */
function rules(wxss: string): { selectors: string[]; body: string }[] {
  const out: { selectors: string[]; body: string }[] = [];
  for (const m of wxss.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{([^}]*)\}/g)) {
    out.push({ selectors: m[1]!.split(',').map((s) => s.trim()), body: m[2]! });
  }
  return out;
}

describe.each(PAGES)('%s', (page) => {
  const wxml = read(`${page}.wxml`);
  const wxss = read(`${page}.wxss`);

  it('has no literal text: only {{bindings}} between tags', () => {
    const between = wxml
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<[^>]*>/g, '\n')
      .replace(/\{\{[\s\S]*?\}\}/g, '')
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    expect(between).toEqual([]);
    // Nor in attributes a person reads.
    expect(wxml).not.toMatch(/\b(placeholder|title|aria-label)="[^{"]/);
  });

  it('every tap target is at least 88rpx tall', () => {
    const tappable = [...wxml.matchAll(/<(\w[\w-]*)([^>]*\b(?:bind|catch)(?:tap|change)="[^"]*"[^>]*)>/g)];
    expect(tappable.length).toBeGreaterThan(0);
    const all = rules(wxss);
    for (const [, tag, attrs] of tappable) {
      // TDesign's buttons and cells size themselves (a large t-button is 96rpx, a cell 96rpx+);
      // the preview measures them as drawn (test/miniprogram/preview.test.ts).
      if (tag!.startsWith('t-') || tag === 'picker') continue;
      const classes = (/class="([^"]*)"/.exec(attrs!)?.[1] ?? '').split(/\s+/).filter((c) => c && !c.includes('{'));
      // A picker's target is its child box (.filter-box); every other element is its own target.
      const targets = tag === 'picker' ? ['filter-box'] : classes;
      const own = all.filter((r) => r.selectors.some((s) => targets.some((c) => new RegExp(`\\.${c}(\\s|$|,|\\.|:)`).test(s + ' '))));
      // Tall enough, or stretched over the whole screen (the sheet's mask: top 0, bottom 0).
      const tall = own.some((r) => /(min-height|line-height|height):\s*(8[89]|9\d|[1-9]\d{2,})rpx/.test(r.body) || (/top:\s*0/.test(r.body) && /bottom:\s*0/.test(r.body)));
      expect([tag, classes.join(' '), tall]).toEqual([tag, classes.join(' '), true]);
    }
  });

  it('nothing is wider than the screen', () => {
    for (const m of wxss.matchAll(/(?:^|[;{\s])(?:min-)?width:\s*(\d+)(rpx|px)/g)) {
      const rpx = m[2] === 'px' ? Number(m[1]) * 2 : Number(m[1]);
      expect(rpx).toBeLessThanOrEqual(750);
    }
    expect(wxss).toMatch(/\.page\s*\{[^}]*box-sizing:\s*border-box/);
  });
});

it('app.json registers both operator pages (as the admin subpackage)', () => {
  const app = JSON.parse(read('app.json')) as { pages: string[]; subpackages?: { root: string; pages: string[] }[] };
  const registered = [...app.pages, ...(app.subpackages ?? []).flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))];
  for (const page of PAGES) expect(registered).toContain(page);
});
