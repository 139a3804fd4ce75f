/**
 * What WeChat DevTools uploads for the mini program's main package: every file under
 * miniprogram/ except TypeScript sources (counted as the JavaScript DevTools compiles them
 * to: esbuild strips the types, unminified), declaration files, tsconfig.json (packOptions)
 * and miniprogram/node_modules (DevTools uploads the built miniprogram_npm instead, which is
 * rebuilt first, for the components the pages use). Subpackages (app.json `subpackages`, the
 * operator pages) are downloaded only when opened, so they are counted apart. WeChat's limit
 * for the main package is 2 MB; ours is 500 KB.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { transformSync } from 'esbuild';
import { buildMiniprogramNpm } from '../build-miniprogram-npm';

export const MINIPROGRAM_TARGET_KB = 500;
const root = resolve(__dirname, '../..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name.startsWith('.') ? [] : filesUnder(p);
    return [p];
  });
}

export interface UploadSize {
  /** The main package. */
  bytes: number;
  files: number;
  /** Of which the built TDesign components. */
  npmBytes: number;
  /** Every subpackage together. */
  subpackageBytes: number;
}

export function miniprogramUploadSize(dir = join(root, 'miniprogram')): UploadSize {
  buildMiniprogramNpm();
  const app = JSON.parse(readFileSync(join(dir, 'app.json'), 'utf8')) as { subpackages?: { root: string }[]; subPackages?: { root: string }[] };
  const roots = [...(app.subpackages ?? []), ...(app.subPackages ?? [])].map((p) => p.root.replace(/\/?$/, '/'));
  let bytes = 0;
  let npmBytes = 0;
  let files = 0;
  let subpackageBytes = 0;
  for (const file of filesUnder(dir)) {
    const name = relative(dir, file).split('\\').join('/');
    if (name.endsWith('.d.ts') || name.endsWith('tsconfig.json') || name.endsWith('.md')) continue;
    // A .js beside its .ts is a stale local compile; DevTools uploads the .ts's output once.
    if (name.endsWith('.js') && !name.startsWith('miniprogram_npm') && statSafe(file.replace(/\.js$/, '.ts'))) continue;
    const size = name.endsWith('.ts') ? Buffer.byteLength(transformSync(readFileSync(file, 'utf8'), { loader: 'ts', format: 'cjs' }).code) : statSync(file).size;
    if (roots.some((r) => name.startsWith(r))) {
      subpackageBytes += size;
      continue;
    }
    bytes += size;
    files += 1;
    if (name.startsWith('miniprogram_npm')) npmBytes += size;
  }
  return { bytes, files, npmBytes, subpackageBytes };
}

function statSafe(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Prints the one line the bench shows; true when under target. */
export function reportMiniprogramSize(): boolean {
  const { bytes, files, npmBytes, subpackageBytes } = miniprogramUploadSize();
  const kb = bytes / 1024;
  const pass = kb < MINIPROGRAM_TARGET_KB;
  console.log(
    `   mini program main package upload size: ${kb.toFixed(1)} KB (target < ${MINIPROGRAM_TARGET_KB} KB) ${pass ? 'PASS' : 'FAIL'} — ${files} files, ${(npmBytes / 1024).toFixed(1)} KB of them TDesign components (miniprogram_npm); subpackages ${(subpackageBytes / 1024).toFixed(1)} KB more`,
  );
  return pass;
}

if (require.main === module) process.exitCode = reportMiniprogramSize() ? 0 : 1;
