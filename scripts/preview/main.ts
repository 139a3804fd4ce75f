/**
 * `npm run preview`: every page in each of its states, in zh and en, at 375×812, to
 * docs/screenshots/<page>-<state>-<lang>.png. The pages are driven by miniprogram-simulate
 * inside jest's jsdom (test/miniprogram/preview.test.ts with PREVIEW_ALL=1), and drawn and
 * checked by the system's Chromium (scripts/preview/shoot.ts). Fails when an element is
 * wider than the screen or a tap target is smaller than 44×44 px.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const started = Date.now();
const run = spawnSync(process.execPath, [join(root, 'node_modules/jest/bin/jest.js'), '--runTestsByPath', 'test/miniprogram/preview.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PREVIEW_ALL: '1', PREVIEW_OUT: process.env.PREVIEW_OUT ?? join(root, 'docs/screenshots') },
});
console.log(`preview: ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = run.status ?? 1;
