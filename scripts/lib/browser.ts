/**
 * Finds a Chrome, Chromium or Edge to drive headless (browser tests, page previews), the way
 * a developer has one, in this order:
 *
 * 1. `CHROME_PATH`: an explicit executable (an error if it does not exist).
 * 2. The usual install locations: Linux (`/usr/bin/chromium`, `google-chrome`, …), macOS
 *    (`/Applications/…`), Windows (Program Files Chrome and Edge, the user's own Chrome).
 * 3. The Chromium inside the `@sparticuz/chromium` dev dependency (Linux x64/arm64 only): it
 *    ships brotli-compressed in the npm package and unpacks itself to the temp directory, so a
 *    fresh Linux machine with no browser runs the tests after `npm install` alone. Its bundled
 *    fonts have no CJK glyphs, and its FreeType does not read WOFF: the Noto Sans SC WOFF
 *    files from `@fontsource/noto-sans-sc` are unpacked to plain TrueType once, and
 *    `FONTCONFIG_FILE` (when unset) is set in this process so that a browser launched from it
 *    (playwright passes `process.env` on) renders Chinese text.
 *
 * `FIND_BROWSER_SKIP_SYSTEM=1` skips step 2, to check the npm fallback on a machine that has a
 * browser installed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';

export interface FoundBrowser {
  executablePath: string;
  /** Headless launch flags for this browser. */
  args: string[];
  /** Where it came from: 'CHROME_PATH', 'system' or 'npm package'. */
  source: string;
}

/** The machine's network may be closed: no background traffic, no first-run work. */
const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** The npm Chromium is a headless shell built for containers: it has no zygote to fork from. */
const NPM_CHROMIUM_ARGS = ['--no-zygote', '--font-render-hinting=none'];

export class BrowserNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserNotFoundError';
  }
}

/** The usual install locations on this platform, most likely first. */
export function systemCandidates(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  if (platform === 'darwin') {
    const apps = ['/Applications', join(env.HOME ?? '', 'Applications')];
    const bundles = [
      'Google Chrome.app/Contents/MacOS/Google Chrome',
      'Chromium.app/Contents/MacOS/Chromium',
      'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      'Google Chrome Canary.app/Contents/MacOS/Google Chrome Canary',
    ];
    return apps.flatMap((dir) => bundles.map((b) => join(dir, b)));
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA, 'C:\\Program Files', 'C:\\Program Files (x86)'].filter(
      (r): r is string => Boolean(r),
    );
    const exes = ['Google\\Chrome\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe', 'Chromium\\Application\\chrome.exe'];
    return [...new Set(roots.flatMap((root) => exes.map((exe) => `${root}\\${exe}`)))];
  }
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'microsoft-edge-stable'];
  const dirs = ['/usr/bin', '/usr/local/bin', '/snap/bin', '/opt/google/chrome', '/opt/microsoft/msedge'];
  return [...names.flatMap((n) => dirs.map((d) => `${d}/${n}`)), '/opt/google/chrome/chrome', '/opt/microsoft/msedge/msedge'];
}

function isExecutableFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export async function findBrowser(): Promise<{ executablePath: string; args: string[]; source: string }> {
  const explicit = process.env.CHROME_PATH?.trim();
  if (explicit) {
    if (!isExecutableFile(explicit)) throw new BrowserNotFoundError(`CHROME_PATH is ${explicit}, which is not a file`);
    return { executablePath: explicit, args: [...BASE_ARGS], source: 'CHROME_PATH' };
  }
  if (process.env.FIND_BROWSER_SKIP_SYSTEM !== '1') {
    const system = systemCandidates().find(isExecutableFile);
    if (system) return { executablePath: system, args: [...BASE_ARGS], source: 'system' };
  }
  const npm = await npmChromium();
  if (npm) return { executablePath: npm, args: [...BASE_ARGS, ...NPM_CHROMIUM_ARGS], source: 'npm package' };
  throw new BrowserNotFoundError(
    'No Chrome, Chromium or Edge found: set CHROME_PATH to one, or install one in its usual place ' +
      `(looked in ${systemCandidates().slice(0, 3).join(', ')}, …). On Linux x64/arm64, \`npm install\` brings one (@sparticuz/chromium).`,
  );
}

/** Runs the package's own (ESM) executablePath() in a child node, so CommonJS callers and Jest can use it. */
async function npmChromium(): Promise<string | undefined> {
  if (process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) return undefined;
  let entry: string;
  try {
    entry = require.resolve('@sparticuz/chromium');
  } catch {
    return undefined;
  }
  const script = `const m = await import(${JSON.stringify(pathToFileURL(entry).href)}); process.stdout.write(await m.default.executablePath());`;
  // Unpacking writes to fixed paths in the temp directory: one process at a time.
  return withLock(join(tmpdir(), 'find-browser.lock'), async () => {
    const path = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 120_000 }, (error, stdout, stderr) => {
        if (error) reject(new BrowserNotFoundError(`@sparticuz/chromium could not unpack its Chromium: ${stderr || error.message}`));
        else resolve(stdout.trim());
      });
    });
    if (!process.env.FONTCONFIG_FILE) {
      const conf = cjkFontConfig();
      if (conf) process.env.FONTCONFIG_FILE = conf;
    }
    return path;
  });
}

async function withLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      // A lock left by a killed process is stale after three minutes.
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > 180_000) rmSync(lockDir, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() > deadline) throw new BrowserNotFoundError(`${lockDir} is held by another process`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/**
 * A fontconfig file that adds Noto Sans SC (regular and bold, as TrueType) to the machine's
 * own fonts; undefined when the font package is not installed.
 */
function cjkFontConfig(): string | undefined {
  let files: string;
  try {
    files = join(dirname(require.resolve('@fontsource/noto-sans-sc/LICENSE')), 'files');
  } catch {
    return undefined;
  }
  const dir = join(tmpdir(), 'find-browser-fonts');
  const conf = join(dir, 'fonts.conf');
  if (existsSync(conf)) return conf;
  const ttfDir = join(dir, 'ttf');
  mkdirSync(ttfDir, { recursive: true });
  for (const name of readdirSync(files)) {
    if (!/-(400|700)-normal\.woff$/.test(name)) continue;
    writeFileSync(join(ttfDir, name.replace(/\.woff$/, '.ttf')), woffToSfnt(readFileSync(join(files, name))));
  }
  const xml = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
    `  <dir>${ttfDir}</dir>`,
    `  <cachedir>${join(dir, 'cache')}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n');
  // Written last and renamed into place: a present fonts.conf means the fonts are complete.
  writeFileSync(conf + '.tmp', xml);
  renameSync(conf + '.tmp', conf);
  return conf;
}

/** WOFF 1.0 → the sfnt (TrueType/OpenType) it wraps: each table is zlib-compressed or stored. */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.readUInt32BE(0) !== 0x774f4646) throw new Error('not a WOFF 1.0 file');
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables: { tag: number; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4);
    const compLength = woff.readUInt32BE(at + 8);
    const origLength = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + compLength);
    tables.push({ tag: woff.readUInt32BE(at), checksum: woff.readUInt32BE(at + 16), data: compLength < origLength ? inflateSync(raw) : raw });
  }
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + numTables * 16);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  tables.forEach((t, i) => {
    const at = 12 + i * 16;
    header.writeUInt32BE(t.tag, at);
    header.writeUInt32BE(t.checksum, at + 4);
    header.writeUInt32BE(offset, at + 8);
    header.writeUInt32BE(t.data.length, at + 12);
    const padded = Buffer.alloc((t.data.length + 3) & ~3);
    t.data.copy(padded);
    parts.push(padded);
    offset += padded.length;
  });
  return Buffer.concat(parts);
}
