/**
 * `npm run mp:npm` (run by postinstall, and before tests, preview and bench): does for this
 * repository what WeChat DevTools' "Tools → Build npm" does, for the components we use only.
 *
 * DevTools copies each `dependencies` package of `miniprogram/package.json` from its
 * `miniprogram` folder (TDesign: `miniprogram_dist/`) to `miniprogram/miniprogram_npm/<name>/`.
 * Copying all of TDesign would upload ~2 MB; this copies what the pages reach: every
 * `usingComponents` of every page and app.json, and from there, transitively, each file a
 * component's .json, .js (imports), .wxml (wxs/import/include) and .wxss (@import) names.
 * The output is git-ignored; DevTools users may equally run "Build npm" (see README).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const MP = join(root, 'miniprogram');
const OUT = join(MP, 'miniprogram_npm');

interface PackageSource {
  name: string;
  dist: string;
}

function packageSource(name: string): PackageSource {
  const pkgDir = dirname(require.resolve(`${name}/package.json`, { paths: [root] }));
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { miniprogram?: string };
  return { name, dist: join(pkgDir, pkg.miniprogram ?? 'miniprogram_dist') };
}

function pageJsonFiles(): string[] {
  const app = JSON.parse(readFileSync(join(MP, 'app.json'), 'utf8')) as { pages: string[]; subpackages?: { root: string; pages: string[] }[] };
  // Subpackages' pages (the operator pages) use components from the same miniprogram_npm.
  const sub = (app.subpackages ?? []).flatMap((p) => p.pages.map((page) => `${p.root.replace(/\/?$/, '/')}${page}`));
  return [join(MP, 'app.json'), ...[...app.pages, ...sub].map((p) => join(MP, `${p}.json`))].filter((f) => existsSync(f));
}

/** Every file of `dist` reachable from the component paths in `entries` (relative to dist, no extension). */
export function reachableFiles(dist: string, entries: string[]): Set<string> {
  const files = new Set<string>();
  const queue = [...entries.map((e) => join(dist, e))];
  const add = (file: string) => {
    if (!file.startsWith(dist) || files.has(file) || !existsSync(file) || statSync(file).isDirectory()) return;
    files.add(file);
    queue.push(file);
  };
  const resolveJs = (from: string, spec: string) => {
    // A bare import (tslib, dayjs/locale/zh-cn): DevTools resolves it in the package's own miniprogram_npm.
    const base = spec.startsWith('.') ? resolve(dirname(from), spec) : join(dist, 'miniprogram_npm', spec);
    for (const f of [base, `${base}.js`, join(base, 'index.js')]) if (existsSync(f) && !statSync(f).isDirectory()) return add(f);
  };
  while (queue.length) {
    const item = queue.shift() as string;
    if (!item.includes('.', item.lastIndexOf('/'))) {
      for (const ext of ['.json', '.js', '.wxml', '.wxss']) add(item + ext);
      continue;
    }
    const text = readFileSync(item, 'utf8');
    if (item.endsWith('.json')) {
      const json = JSON.parse(text) as { usingComponents?: Record<string, string> };
      for (const p of Object.values(json.usingComponents ?? {})) queue.push(resolve(dirname(item), p));
    } else if (item.endsWith('.js')) {
      for (const m of text.matchAll(/(?:from\s*|require\(|import\s*)["']([^"']+)["']/g)) resolveJs(item, m[1] as string);
    } else if (item.endsWith('.wxml')) {
      for (const m of text.matchAll(/<(?:wxs|import|include)[^>]*\ssrc=["']([^"']+)["']/g)) add(resolve(dirname(item), m[1] as string));
    } else if (item.endsWith('.wxss')) {
      for (const m of text.matchAll(/@import\s+["']([^"']+)["']/g)) add(resolve(dirname(item), m[1] as string));
    } else if (item.endsWith('.wxs')) {
      for (const m of text.matchAll(/require\(["']([^"']+)["']\)/g)) add(resolve(dirname(item), m[1] as string));
    }
  }
  return files;
}

/** Component paths (`tdesign-miniprogram/button/button`) the pages and app.json use, by package. */
export function usedComponents(): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const file of pageJsonFiles()) {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { usingComponents?: Record<string, string> };
    for (const p of Object.values(json.usingComponents ?? {})) {
      if (p.startsWith('.') || p.startsWith('/')) continue;
      const [scope, ...rest] = p.split('/');
      const name = scope as string;
      used.set(name, [...new Set([...(used.get(name) ?? []), rest.join('/')])]);
    }
  }
  return used;
}

/**
 * Builds miniprogram_npm beside the old one and swaps it in, and leaves it alone when it is
 * already what this build would write (same files, same sizes): tests that load the pages
 * may run while another process (npm install's postinstall, a test of it) builds again, and
 * must never find the folder half-written or gone.
 */
export function buildMiniprogramNpm(): { files: number; bytes: number; unchanged: boolean } {
  const plan: { file: string; target: string; size: number }[] = [];
  for (const [name, entries] of usedComponents()) {
    const source = packageSource(name);
    for (const file of reachableFiles(source.dist, entries)) {
      if (file.endsWith('.d.ts')) continue;
      plan.push({ file, target: join(name, relative(source.dist, file)), size: statSync(file).size });
    }
  }
  // app.wxss imports TDesign's theme tokens (light and dark) straight from miniprogram_npm.
  const appWxss = readFileSync(join(MP, 'app.wxss'), 'utf8');
  for (const m of appWxss.matchAll(/@import\s+["']\.?\/?miniprogram_npm\/([^/"']+)\/([^"']+)["']/g)) {
    const source = packageSource(m[1] as string);
    const file = join(source.dist, m[2] as string);
    if (!existsSync(file)) throw new Error(`app.wxss imports ${m[0]}, which ${m[1]} does not have`);
    if (!plan.some((p) => p.file === file)) plan.push({ file, target: join(m[1] as string, m[2] as string), size: statSync(file).size });
  }
  const bytes = plan.reduce((n, p) => n + p.size, 0);
  const stamp = JSON.stringify(plan.map((p) => [p.target, p.size]).sort());
  const stampFile = join(OUT, '.build-stamp');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return { files: plan.length, bytes, unchanged: true };
  const fresh = `${OUT}.building-${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  for (const p of plan) {
    const target = join(fresh, p.target);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(p.file, target);
  }
  writeFileSync(join(fresh, '.build-stamp'), stamp);
  const old = `${OUT}.old-${process.pid}`;
  if (existsSync(OUT)) renameSync(OUT, old);
  renameSync(fresh, OUT);
  rmSync(old, { recursive: true, force: true });
  return { files: plan.length, bytes, unchanged: false };
}

if (require.main === module) {
  const { files, bytes, unchanged } = buildMiniprogramNpm();
  console.log(`miniprogram/miniprogram_npm: ${files} files, ${(bytes / 1024).toFixed(1)} KB${unchanged ? ' (already current)' : ''}`);
}
