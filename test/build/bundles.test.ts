/**
 * What DevTools uploads: per function folder exactly index.js, package.json and
 * config.json; bundles small, free of dev-only code, and runnable with only wx-server-sdk;
 * and `npm install` builds them (postinstall), so the folder is never uploaded without code.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildFunctions, FUNCTIONS } from '../../scripts/build-functions';

const root = resolve(__dirname, '../..');
const MAX_BUNDLE_BYTES = 150 * 1024;
const devDependencies = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies);

let built: Awaited<ReturnType<typeof buildFunctions>>;
beforeAll(async () => {
  built = await buildFunctions(true);
}, 60000);

describe('cloud function bundles', () => {
  it.each(Object.keys(FUNCTIONS))('%s uploads as-is: index.js, package.json, config.json only', (name) => {
    const files = readdirSync(join(root, 'cloudfunctions', name)).filter((f) => !f.startsWith('.')).sort();
    expect(files).toEqual(['config.json', 'index.js', 'package.json']);
    const pkg = JSON.parse(readFileSync(join(root, 'cloudfunctions', name, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; main: string };
    expect(pkg.main).toBe('index.js');
    expect(Object.keys(pkg.dependencies)).toEqual(['wx-server-sdk']);
    const config = JSON.parse(readFileSync(join(root, 'cloudfunctions', name, 'config.json'), 'utf8')) as { timeout: number };
    expect(config.timeout).toBeGreaterThanOrEqual(20);
  });

  it('stays under 150 KB and pulls in no dev-only dependency or local-only code', () => {
    for (const b of built) {
      expect(b.bytes).toBeLessThan(MAX_BUNDLE_BYTES);
      const offending = b.inputs.filter(
        (input) =>
          input.startsWith('local/') ||
          input.startsWith('test/') ||
          input.startsWith('scripts/') ||
          input.includes('better-sqlite3') ||
          devDependencies.some((dep) => input.includes(`node_modules/${dep}/`)),
      );
      expect(offending).toEqual([]);
      expect(b.inputs.some((i) => i.endsWith('.ts'))).toBe(true);
    }
  });

  it('runs with only wx-server-sdk provided, and reports missing configuration by name', async () => {
    const stub = { init: jest.fn(), DYNAMIC_CURRENT_ENV: Symbol('env'), getWXContext: () => ({ OPENID: 'oCloudUser' }), database: () => ({}) };
    // The bundle's require('wx-server-sdk') is the only module it may need from outside.
    jest.doMock('wx-server-sdk', () => stub);
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const saved = { ...process.env };
    try {
      for (const k of Object.keys(process.env)) if (/^(WECHAT_|LATIPAY_|OTTPAY_|NEWPAY_|PAY_PROVIDERS|NOTIFY_BASE_URL)/.test(k)) delete process.env[k];
      process.env.WECHAT_APPID = 'wx0123456789abcdef';
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the built CommonJS bundle as the cloud does
      const bundle = require(join(root, 'cloudfunctions/pay/index.js')) as { main: (e: unknown) => Promise<{ ok: boolean; error?: { code: string; message: string } }> };
      // Loading the bundle starts nothing: the SDK's init (a network check) waits for the first call.
      expect(stub.init).not.toHaveBeenCalled();
      const reply = await bundle.main({ action: 'catalog', provider: 'latipay' });
      expect(reply.ok).toBe(false);
      expect(reply.error?.code).toBe('CONFIG_INVALID');
      expect(reply.error?.message).toContain('NOTIFY_BASE_URL');
      expect(reply.error?.message).toContain('PAY_PROVIDERS');
      expect(stub.init).toHaveBeenCalled();
      // The cold start logs the same message once, for the function's log in the console.
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('NOTIFY_BASE_URL'));
    } finally {
      process.env = saved;
      jest.dontMock('wx-server-sdk');
      logged.mockRestore();
    }
  });
});

// In this file, not its own: it rewrites the bundles the tests above read (files run in parallel).

describe('npm install builds the cloud functions', () => {
  it('package.json runs scripts/postinstall.cjs after install, and it writes each cloudfunctions/<name>/index.js', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.postinstall).toBe('node scripts/postinstall.cjs');
    const before = Date.now() - 1000;
    const run = spawnSync(process.execPath, [join(root, 'scripts/postinstall.cjs')], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(0);
    for (const name of Object.keys(FUNCTIONS)) {
      const file = join(root, 'cloudfunctions', name, 'index.js');
      expect(statSync(file).mtimeMs).toBeGreaterThanOrEqual(before);
      expect(readFileSync(file, 'utf8')).toContain('Built by npm run build');
    }
  }, 60_000);

  it('npm scripts use no POSIX-only syntax (cmd.exe runs them on Windows)', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const [name, script] of Object.entries(pkg.scripts)) {
      expect([name, /(^|\s)[A-Z_]+=\S/.test(script)]).toEqual([name, false]); // VAR=x cmd
      expect([name, /\b(rm|cp|mv|export)\s|'/.test(script)]).toEqual([name, false]);
    }
  });
});
