/**
 * Loads a mini program page for miniprogram-simulate the way DevTools resolves it: from the
 * miniprogram/ root, with npm component paths (`tdesign-miniprogram/button/button`) found in
 * miniprogram/miniprogram_npm (written by `npm run mp:npm`, as DevTools' "Build npm" would).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import simulate from 'miniprogram-simulate';
// The same exparser instance that miniprogram-simulate renders with.
import exparser from 'miniprogram-exparser';

export const MINIPROGRAM = path.resolve(__dirname, '../../miniprogram');

/** `pages/checkout/index` → a component id for simulate.render. */
export function loadPage(page: string): string {
  const file = path.join(MINIPROGRAM, page);
  const json = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as { usingComponents?: Record<string, string> };
  const usingComponents: Record<string, string> = {};
  for (const [tag, p] of Object.entries(json.usingComponents ?? {})) {
    if (p.startsWith('.') || p.startsWith('/')) continue;
    const built = `/miniprogram_npm/${p}`;
    if (!existsSync(path.join(MINIPROGRAM, `${built}.json`))) throw new Error(`${p} is not built: run npm run mp:npm`);
    usingComponents[tag] = built;
  }
  return simulate.load(file, { rootPath: MINIPROGRAM, usingComponents });
}

/** The innermost element of `root` whose whole text is `text`. */
function byText(root: Element, text: string): Element | undefined {
  let found: Element | undefined;
  for (const el of Array.from(root.querySelectorAll('*'))) if (el.textContent?.trim() === text) found = el;
  return found;
}

/**
 * Taps what the shopper sees labelled `text`, as a finger would: a tap on that element,
 * bubbling through TDesign's components (their hosts are virtual: no class to query by).
 */
export async function tapText(page: { dom: Element }, text: string): Promise<void> {
  const el = byText(page.dom, text) as (Element & { __wxElement?: unknown }) | undefined;
  if (!el) throw new Error(`nothing reads "${text}" in: ${page.dom.textContent}`);
  let target: (Element & { __wxElement?: unknown }) | null = el;
  while (target && !target.__wxElement) target = target.parentElement;
  if (!target) throw new Error(`"${text}" is not a rendered element`);
  exparser.Event.dispatchEvent(target.__wxElement, exparser.Event.create('tap', {}, { bubbles: true, composed: true, capturePhase: true }));
  for (let i = 0; i < 60; i++) await Promise.resolve();
}
