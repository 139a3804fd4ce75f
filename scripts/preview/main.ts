/**
 * `npm run preview`: every page in each of its states, in zh and en, at 375×812. The pages are
 * driven by miniprogram-simulate inside jest's jsdom (test/miniprogram/preview.test.ts with
 * PREVIEW_ALL=1), and drawn and checked by a Chromium (scripts/preview/shoot.ts). Fails when
 * an element is wider than the screen or a tap target is smaller than 44×44 px.
 *
 * Where the pictures go: test-artifacts/preview/ (git-ignored), so a look at the pages never
 * leaves git dirty; `npm run preview -- --update` rewrites the committed docs/screenshots/;
 * PREVIEW_OUT names any other folder.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/** The folder the pictures go to: PREVIEW_OUT, else docs/screenshots with --update, else the git-ignored test-artifacts/preview. */
export function previewOut(args: readonly string[], env: Readonly<Record<string, string | undefined>>): string {
  return env.PREVIEW_OUT ?? join(root, args.includes('--update') ? 'docs/screenshots' : 'test-artifacts/preview');
}

function main(): void {
  const update = process.argv.slice(2).includes('--update');
  const out = previewOut(process.argv.slice(2), process.env);
  const started = Date.now();
  const run = spawnSync(process.execPath, [join(root, 'node_modules/jest/bin/jest.js'), '--runTestsByPath', 'test/miniprogram/preview.test.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PREVIEW_ALL: '1', PREVIEW_OUT: out },
  });
  console.log(`preview: ${((Date.now() - started) / 1000).toFixed(1)} s, pictures in ${out}${update ? '' : ' (npm run preview -- --update rewrites docs/screenshots/)'}`);
  process.exitCode = run.status ?? 1;
}

if (require.main === module) main();
