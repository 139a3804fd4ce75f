/**
 * Every text colour in the mini program's own WXSS reads at least 4.5:1 (WCAG AA) against
 * its background, in the light theme and in the dark one. Colours are resolved from
 * app.wxss's tokens (`page { --c-*: … }`, and the dark values in its
 * `@media (prefers-color-scheme: dark)` block); a rule's background is its own `background`
 * where it has one, otherwise the text is checked against both the page and a card.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const MINIPROGRAM = path.resolve(__dirname, '../../miniprogram');
type Rgba = [number, number, number, number];
type Theme = 'light' | 'dark';

function wxssFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'miniprogram_npm' || name === 'node_modules') return [];
    return statSync(full).isDirectory() ? wxssFiles(full) : name.endsWith('.wxss') ? [full] : [];
  });
}

const stripComments = (css: string) => css.replace(/\/\*[\s\S]*?\*\//g, '');

/** `page { … }` declarations outside and inside the dark media block. */
export function themeTokens(appWxss: string): Record<Theme, Record<string, string>> {
  const css = stripComments(appWxss).replace(/@import[^;]*;/g, '');
  const darkStart = css.indexOf('@media (prefers-color-scheme: dark)');
  const light = darkStart < 0 ? css : css.slice(0, darkStart);
  const dark = darkStart < 0 ? '' : css.slice(darkStart);
  const decls = (block: string) => {
    const out: Record<string, string> = {};
    for (const m of block.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) out[m[1]!] = m[2]!.trim();
    return out;
  };
  const l = decls(light);
  return { light: l, dark: { ...l, ...decls(dark) } };
}

export function parseColor(value: string): Rgba | undefined {
  const v = value.trim().toLowerCase();
  if (v === 'white') return [255, 255, 255, 1];
  if (v === 'black') return [0, 0, 0, 1];
  let m = /^#([0-9a-f]{3})$/.exec(v);
  if (m) return [...m[1]!].map((c) => parseInt(c + c, 16)).concat(1) as Rgba;
  m = /^#([0-9a-f]{6})$/.exec(v);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1]!.slice(i, i + 2), 16)).concat(1) as Rgba;
  m = /^rgba?\(([^)]+)\)$/.exec(v);
  if (m) {
    const parts = m[1]!.split(',').map((p) => Number(p.trim()));
    return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1];
  }
  return undefined;
}

function resolve(value: string, tokens: Record<string, string>, depth = 0): string {
  const m = /^var\((--[\w-]+)(?:\s*,\s*([^)]+))?\)$/.exec(value.trim());
  if (!m || depth > 5) return value;
  const next = tokens[m[1]!] ?? m[2];
  return next === undefined ? value : resolve(next, tokens, depth + 1);
}

const over = (top: Rgba, under: Rgba): Rgba => {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i]! * a + under[i]! * (1 - a)).concat(1) as Rgba;
};

function luminance([r, g, b]: Rgba): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(fg: Rgba, bg: Rgba): number {
  const opaqueBg = bg[3] < 1 ? over(bg, [255, 255, 255, 1]) : bg;
  const f = luminance(over(fg, opaqueBg));
  const b = luminance(opaqueBg);
  return (Math.max(f, b) + 0.05) / (Math.min(f, b) + 0.05);
}

interface Rule {
  file: string;
  selector: string;
  decls: Record<string, string>;
}

function rules(file: string): Rule[] {
  const css = stripComments(readFileSync(file, 'utf8')).replace(/@import[^;]*;/g, '').replace(/@media[^{]*\{/g, '');
  const out: Rule[] = [];
  for (const m of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const decls: Record<string, string> = {};
    for (const d of m[2]!.matchAll(/([\w-]+)\s*:\s*([^;]+)/g)) decls[d[1]!] = d[2]!.replace(/!important/, '').trim();
    out.push({ file: path.relative(MINIPROGRAM, file), selector: m[1]!.trim(), decls });
  }
  return out;
}

const tokens = themeTokens(readFileSync(path.join(MINIPROGRAM, 'app.wxss'), 'utf8'));

function problems(): string[] {
  const found: string[] = [];
  for (const theme of ['light', 'dark'] as Theme[]) {
    const t = tokens[theme];
    const page = parseColor(resolve('var(--c-bg)', t))!;
    const card = parseColor(resolve('var(--c-card)', t))!;
    const check = (where: string, fgValue: string, bgValue: string | undefined) => {
      if (/^(inherit|transparent|currentcolor|initial|unset)$/i.test(fgValue)) return;
      const fg = parseColor(resolve(fgValue, t));
      if (!fg) return void found.push(`${where}: colour ${fgValue} cannot be resolved (${theme}); use a --c-* token from app.wxss`);
      const bgs = bgValue ? [parseColor(resolve(bgValue, t))] : [page, card];
      for (const bg of bgs) {
        if (!bg) return void found.push(`${where}: background ${bgValue} cannot be resolved (${theme})`);
        const ratio = contrast(fg, over(bg, page));
        if (ratio < 4.5) found.push(`${where}: ${fgValue} on ${bgValue ?? 'page/card'} is ${ratio.toFixed(2)}:1 in ${theme} (at least 4.5:1)`);
      }
    };
    // The tokens TDesign's components draw text with, and white on the brand colour (buttons).
    for (const token of ['--td-text-color-primary', '--td-text-color-secondary', '--td-text-color-placeholder', '--c-text', '--c-text-2', '--c-link', '--c-ok', '--c-warn', '--c-danger', '--c-info']) {
      check(`app.wxss ${token}`, `var(${token})`, undefined);
    }
    check('app.wxss white on --td-brand-color', '#ffffff', 'var(--td-brand-color)');
    check('app.wxss --c-danger on --c-danger-bg', 'var(--c-danger)', 'var(--c-danger-bg)');
    check('app.wxss --c-warn on --c-warn-bg', 'var(--c-warn)', 'var(--c-warn-bg)');
    check('app.wxss --c-ok on --c-ok-bg', 'var(--c-ok)', 'var(--c-ok-bg)');
    for (const file of wxssFiles(MINIPROGRAM)) {
      if (file.endsWith('app.wxss')) continue;
      for (const rule of rules(file)) {
        const color = rule.decls.color;
        if (!color) continue;
        const bg = rule.decls['background-color'] ?? rule.decls.background;
        check(`${rule.file} ${rule.selector}`, color, bg && parseColor(resolve(bg, t)) ? bg : undefined);
      }
    }
  }
  return found;
}

describe('text contrast, computed from the WXSS', () => {
  it('the arithmetic: black on white is 21:1, #777 on white fails, alpha is blended first', () => {
    expect(contrast([0, 0, 0, 1], [255, 255, 255, 1])).toBeCloseTo(21, 1);
    expect(contrast(parseColor('#777777')!, [255, 255, 255, 1])).toBeLessThan(4.5);
    expect(contrast(parseColor('rgba(0, 0, 0, 0.4)')!, [255, 255, 255, 1])).toBeLessThan(3);
  });

  it('app.wxss has a dark value for every colour token it sets', () => {
    const lightOnly = Object.keys(tokens.light).filter((k) => k.startsWith('--c-') && tokens.dark[k] === tokens.light[k]);
    expect(lightOnly).toEqual([]);
  });

  it('every text colour reads at least 4.5:1 in light and dark', () => {
    expect(problems()).toEqual([]);
  });
});
