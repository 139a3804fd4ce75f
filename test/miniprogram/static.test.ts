/**
 * What the mini program's sources must not hold: literal text in a .wxml (every word comes
 * from services/i18n.ts), provider names outside config.ts and folders named for a provider,
 * and the deprecated wx.getSystemInfoSync.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const MINIPROGRAM = path.resolve(__dirname, '../../miniprogram');

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'miniprogram_npm' || name === 'node_modules') return [];
    return statSync(full).isDirectory() ? files(full, ext) : ext.test(name) ? [full] : [];
  });
}

describe('mini program sources', () => {
  it('no .wxml holds literal text', () => {
    const found: string[] = [];
    for (const file of files(MINIPROGRAM, /\.wxml$/)) {
      const source = readFileSync(file, 'utf8').replace(/"[^"]*"/g, '""');
      for (const m of source.matchAll(/>([^<]*)</g)) {
        const text = (m[1] ?? '').replace(/\{\{[^}]*\}\}/g, '').trim();
        if (text) found.push(`${path.relative(MINIPROGRAM, file)}: ${text}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('every tappable row, icon-only button and the QR code has an aria-label for screen readers', () => {
    const missing: string[] = [];
    for (const file of files(MINIPROGRAM, /\.wxml$/)) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/<(view|t-cell|t-button)\b([^>]*)>/g)) {
        const [, tag, attrs] = m as unknown as [string, string, string];
        const tappable = /\b(bind|catch)tap=/.test(attrs);
        const iconOnly = tag === 't-button' && /\bicon="/.test(attrs) && /\/>$/.test(m[0]);
        if ((tappable && tag !== 't-button') || iconOnly) {
          if (!/\baria-label="\{\{[^}]+\}\}"/.test(attrs)) missing.push(`${path.relative(MINIPROGRAM, file)}: <${tag}${attrs.slice(0, 80)}…>`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('the steppers name their item (no TDesign stepper, whose labels read "减少1" in every language)', () => {
    const checkout = readFileSync(path.join(MINIPROGRAM, 'pages/checkout/index.wxml'), 'utf8');
    expect(checkout).not.toMatch(/<t-stepper/);
    expect(checkout).toMatch(/class="step less"[^>]*aria-label="\{\{item\.ariaLess\}\}"/);
    expect(checkout).toMatch(/class="step more"[^>]*aria-label="\{\{item\.ariaMore\}\}"/);
  });

  it('dark mode: app.json turns it on with a theme.json that has both themes and the same keys', () => {
    const app = JSON.parse(readFileSync(path.join(MINIPROGRAM, 'app.json'), 'utf8')) as { darkmode?: boolean; themeLocation?: string; window: Record<string, string> };
    expect(app.darkmode).toBe(true);
    const theme = JSON.parse(readFileSync(path.join(MINIPROGRAM, app.themeLocation ?? ''), 'utf8')) as Record<'light' | 'dark', Record<string, string>>;
    expect(Object.keys(theme.dark).sort()).toEqual(Object.keys(theme.light).sort());
    for (const value of Object.values(app.window)) if (value.startsWith('@')) expect(theme.light).toHaveProperty(value.slice(1));
  });

  it('names no provider outside config.ts and folders named for one', () => {
    const found = files(MINIPROGRAM, /\.(ts|wxml|json)$/)
      .map((f) => path.relative(MINIPROGRAM, f))
      .filter((f) => f !== 'config.ts' && f !== 'app.json' && !/(latipay|ottpay|newpay)/i.test(path.dirname(f)))
      .filter((f) => /latipay|ottpay|newpay/i.test(readFileSync(path.join(MINIPROGRAM, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it('reads the language from wx.getAppBaseInfo, not the deprecated getSystemInfoSync', () => {
    const found = files(MINIPROGRAM, /\.ts$/).filter((f) => readFileSync(f, 'utf8').includes('getSystemInfoSync('));
    expect(found).toEqual([]);
  });
});
