/**
 * WeChat's own compiler and code-quality scan over the mini program, offline
 * (scripts/miniprogram-ci-check.ts, run in its own process: the compiler keeps watchers
 * open). Every item DevTools' "代码质量" shows must pass: JS, WXML and WXSS minified, lazy
 * code loading, package sizes, nothing in the main package only a subpackage uses, and no
 * file in the package that nothing uses.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

interface Report {
  files: number;
  mainPackageBytes: number;
  subpackageBytes: number;
  quality: { name: string; success: boolean; text: string; detail?: unknown }[];
}

describe('miniprogram-ci: compile offline and check code quality', () => {
  let report: Report;

  beforeAll(() => {
    const run = spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'scripts/miniprogram-ci-check.ts')], { cwd: root, encoding: 'utf8', timeout: 240_000 });
    // The compiler writes its own progress lines to stdout; the report is the last line.
    const last = run.stdout.trim().split('\n').at(-1) ?? '';
    if (!last.startsWith('{')) throw new Error(`miniprogram-ci gave no report (exit ${run.status}): ${run.stderr.slice(-2000)}`);
    report = JSON.parse(last) as Report;
  }, 260_000);

  it('compiles every page', () => {
    const app = JSON.parse(readFileSync(path.join(root, 'miniprogram/app.json'), 'utf8')) as { pages: string[] };
    expect(report.files).toBeGreaterThan(app.pages.length * 4);
  });

  it('passes every item of the code-quality scan, WXML and WXSS minification among them', () => {
    const names = report.quality.map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['JS_COMPRESS_OPEN', 'WXML_COMPRESS_OPEN', 'WXSS_COMPRESS_OPEN', 'LAZYCODE_LOADING_OPEN', 'PACKAGE_SIZE_LIMIT', 'CONTAINS_UNUSED_CODES']));
    expect(report.quality.filter((q) => !q.success)).toEqual([]);
  });

  it('keeps files nothing uses out of the upload (project.config.json packOptions)', () => {
    const unused = (report.quality.find((q) => q.name === 'CONTAINS_UNUSED_CODES')?.detail ?? []) as string[];
    const config = JSON.parse(readFileSync(path.join(root, 'project.config.json'), 'utf8')) as { packOptions: { ignore: { value: string }[] } };
    const ignored = new Set(config.packOptions.ignore.map((i) => i.value));
    expect(unused.filter((f) => !ignored.has(f))).toEqual([]);
  });

  it('holds no component in the main package that only the operator subpackage uses', () => {
    const other = report.quality.find((q) => q.name === 'CONTAINS_OTHER_PKG_COMPONENTS')?.detail as { comps?: string[] } | undefined;
    expect(other?.comps ?? []).toEqual([]);
  });

  it('keeps the compiled main package under 500 KB', () => {
    expect(report.mainPackageBytes).toBeLessThan(500 * 1024);
  });
});
