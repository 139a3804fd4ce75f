/**
 * `npm install` ends by building cloudfunctions/<name>/index.js (git-ignored build output), so a
 * developer who opens WeChat DevTools and uploads right after installing never ships a
 * function folder without its code, and miniprogram/miniprogram_npm (the TDesign components
 * the pages use, as DevTools' Build npm would write them: scripts/build-miniprogram-npm.ts). Plain CommonJS: it runs before anything is compiled, with
 * cmd.exe as well as sh. Where dev dependencies were left out (npm install --omit=dev) there is
 * nothing to build with: it says so and lets the install finish.
 */
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
if (!existsSync(tsx) || !existsSync(join(root, 'node_modules', 'esbuild'))) {
  console.log('postinstall: dev dependencies are not installed; run `npm run build` before uploading cloud functions.');
  process.exit(0);
}
const result = spawnSync(process.execPath, [tsx, join(root, 'scripts', 'build-functions.ts')], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('postinstall: building cloudfunctions/*/index.js failed (see above); fix it and run `npm run build`.');
  process.exit(result.status ?? 1);
}
const npm = spawnSync(process.execPath, [tsx, join(root, 'scripts', 'build-miniprogram-npm.ts')], { cwd: root, stdio: 'inherit' });
if (npm.status !== 0) {
  console.error('postinstall: building miniprogram/miniprogram_npm failed (see above); fix it and run `npm run mp:npm`.');
  process.exit(npm.status ?? 1);
}
