/**
 * WeChat's own compiler as a check (`npm run mp:check`, and inside `npm test` through
 * test/miniprogram/miniprogram-ci.test.ts): compiles the mini program offline with
 * miniprogram-ci (the npm package DevTools' compiler is extracted into) and runs its code
 * quality scan, the one DevTools shows under "代码质量". Prints one JSON report:
 *   { files, mainPackageBytes, subpackageBytes, quality: [{name, success, text, detail}] }
 * and exits 1 when the compile fails or any quality item does not pass.
 *
 * Offline on purpose: a Project needs a private key file, but only upload and preview use it,
 * so a throwaway RSA key is generated here; the project's attributes (normally fetched with
 * that key from WeChat) are given locally (`attr`), and the list of file types WeChat allows in
 * a package, which the compiler would fetch, is its own built-in list. No account, no network.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildMiniprogramNpm } from './build-miniprogram-npm';

const root = resolve(__dirname, '..');

interface QualityItem {
  name: string;
  success: boolean;
  text: string;
  detail?: unknown;
}

export interface CiReport {
  files: number;
  mainPackageBytes: number;
  subpackageBytes: number;
  quality: QualityItem[];
}

/** What WeChat's server would say about a new, unreleased mini program: the standard limits. */
const PROJECT_ATTR = {
  platform: false,
  appType: 0,
  isSandbox: false,
  released: false,
  setting: {
    MaxCodeSize: 2,
    MaxSubpackageSubCodeSize: 2,
    MaxSubpackageFullCodeSize: 20,
    NavigateMiniprogramLimit: 10,
    MaxSubPackageLimit: 100,
    MinTabbarCount: 2,
    MaxTabbarCount: 5,
    MaxCustomTabbarCount: 5,
    MaxTabbarIconSize: 40,
  },
};

/* eslint-disable @typescript-eslint/no-require-imports */
function offlineCi() {
  // The compiler asks WeChat which file types a package may hold; the answer it falls back
  // to when offline is its own built-in list, which we hand it directly (no failed request).
  const whiteList = require('miniprogram-ci/dist/utils/white_ext_list') as {
    MiniProgramWhiteList: string[];
    GameWhiteList: string[];
    getWhiteExtList: () => Promise<unknown>;
  };
  const builtIn = { MiniProgramWhiteList: new Set(whiteList.MiniProgramWhiteList), GameWhiteList: new Set(whiteList.GameWhiteList) };
  whiteList.getWhiteExtList = async () => builtIn;
  return require('miniprogram-ci') as {
    Project: new (options: Record<string, unknown>) => { attr: () => Promise<unknown> };
    getCompiledResult: (options: Record<string, unknown>) => Promise<Record<string, string | Buffer>>;
    checkCodeQuality: (project: unknown) => Promise<QualityItem[]>;
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

export async function checkMiniprogram(): Promise<CiReport> {
  buildMiniprogramNpm();
  const ci = offlineCi();
  const config = JSON.parse(readFileSync(join(root, 'project.config.json'), 'utf8')) as { packOptions?: { ignore?: unknown[] } };
  const app = JSON.parse(readFileSync(join(root, 'miniprogram/app.json'), 'utf8')) as { subpackages?: { root: string }[] };
  const subRoots = (app.subpackages ?? []).map((p) => p.root.replace(/\/?$/, '/'));
  const dir = mkdtempSync(join(tmpdir(), 'mp-ci-'));
  try {
    const keyPath = join(dir, 'private.key');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(keyPath, privateKey.export({ type: 'pkcs1', format: 'pem' }));
    const project = new ci.Project({
      appid: 'wx0000000000000000',
      type: 'miniProgram',
      projectPath: root,
      privateKeyPath: keyPath,
      ignores: ['node_modules/**/*'],
      packOptions: { ignore: config.packOptions?.ignore ?? [], include: [] },
    });
    project.attr = async () => PROJECT_ATTR;
    const compiled = await ci.getCompiledResult({ project, desc: 'offline check', setting: { useProjectConfig: true }, onProgressUpdate: () => undefined });
    let mainPackageBytes = 0;
    let subpackageBytes = 0;
    for (const [name, content] of Object.entries(compiled)) {
      const size = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
      if (subRoots.some((r) => name.startsWith(r))) subpackageBytes += size;
      else mainPackageBytes += size;
    }
    const quality = (await ci.checkCodeQuality(project)).map(({ name, success, text, detail }) => ({ name, success, text, detail }));
    return { files: Object.keys(compiled).length, mainPackageBytes, subpackageBytes, quality };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  // The compiler keeps file watchers open: the process ends explicitly once the report is out.
  checkMiniprogram().then(
    (report) => {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      process.exit(report.quality.every((q) => q.success) ? 0 : 1);
    },
    (err: unknown) => {
      process.stderr.write(`miniprogram-ci: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(2);
    },
  );
}
