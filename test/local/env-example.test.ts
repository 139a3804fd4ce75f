/**
 * `.env.example` is safe to copy: unchanged, the local stack is exactly what it is with no
 * .env (every provider simulated, nothing leaves the machine), and it explains every variable
 * the code reads. A value that would send traffic outside the stack is named at start.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { localEnv } from '../../local/defaults';
import { outsideTrafficWarnings, portInUseMessage } from '../../local/outside-traffic';
import { SIMULATORS } from '../../local/sandboxes';
import { PROVIDERS } from '../../server/providers';
import { startTestStack } from '../helpers/local-stack';

const ROOT = resolve(__dirname, '../..');
const exampleText = readFileSync(join(ROOT, '.env.example'), 'utf8');
const example = parseEnv(exampleText) as Record<string, string>;

/** Names the code reads from the environment: server/, local/ and scripts/. */
function variablesReadByCode(): Map<string, string> {
  const patterns = [
    /(?:process\.env|\benv)\.([A-Z][A-Z0-9_]+)/g,
    /\benv\[\s*['"]([A-Z][A-Z0-9_]+)['"]\s*\]/g,
    /\.(?:required|optional|optionalOrUndefined|url|integer|list|pem|has)\(\s*'([A-Z][A-Z0-9_]+)'/g,
    /rsaKey\(env, '([A-Z][A-Z0-9_]+)'/g,
    /apiBaseVariable: '([A-Z][A-Z0-9_]+)'/g,
  ];
  const found = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.(ts|cjs|js)$/.test(e.name)) {
        const text = readFileSync(path, 'utf8');
        for (const p of patterns) for (const m of text.matchAll(p)) if (!found.has(m[1]!)) found.set(m[1]!, path.slice(ROOT.length + 1));
      }
    }
  };
  for (const dir of ['server', 'local', 'scripts']) walk(join(ROOT, dir));
  return found;
}

/** The operating system's own variables, which the tools read to find a browser or a home. */
const OS_VARIABLES = new Set(['PATH', 'HOME', 'USERPROFILE', 'LOCALAPPDATA', 'PROGRAMFILES', 'FONTCONFIG_FILE']);

describe('.env.example', () => {
  it('sets nothing when copied unchanged: every line is a comment or empty', () => {
    expect(Object.entries(example).filter(([, v]) => v.trim() !== '')).toEqual([]);
  });

  it('copied unchanged, the local stack has the same environment as with no .env', () => {
    const base = 'http://127.0.0.1:8787';
    expect(localEnv(example, base, PROVIDERS, SIMULATORS)).toEqual(localEnv({}, base, PROVIDERS, SIMULATORS));
  });

  it('copied unchanged, the stack simulates every provider and warns about nothing', async () => {
    const stack = await startTestStack(example);
    try {
      expect(outsideTrafficWarnings(stack.app.config.urlVariables, stack.url)).toEqual([]);
      expect(Object.keys(stack.simulated).filter((k) => stack.simulated[k]).sort()).toEqual([...PROVIDERS.map((p) => p.name), 'wechat'].sort());
      expect(stack.app.config.adminOpenids).toEqual([stack.sandboxes.wechat.openidFor('operator')]);
    } finally {
      await stack.close();
    }
  });

  it('names and explains every variable the code reads', () => {
    const listed = new Set([...exampleText.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const missing = [...variablesReadByCode()].filter(([name]) => !listed.has(name) && !OS_VARIABLES.has(name));
    expect(missing).toEqual([]);
    for (const sandbox of ['SANDBOX_WECHAT_PAY_KEY', 'SANDBOX_RETRY_MS', 'SANDBOX_NEWPAY_PLATFORM_PRIVATE_KEY']) expect(listed.has(sandbox)).toBe(true);
  });

  it('shows the notify URL in the one form the README uses', () => {
    expect(exampleText).toContain('https://<env-id>.<region>.app.tcloudbase.com/payNotify');
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('https://<env-id>.<region>.app.tcloudbase.com/payNotify');
    expect(exampleText).not.toMatch(/service\.tcloudbase\.com/);
  });
});

describe('npm start names each value that would send traffic outside the stack', () => {
  const stackUrl = 'http://127.0.0.1:8787';
  it('a notify URL that is not this stack: orders would stay PAYING', () => {
    const warnings = outsideTrafficWarnings({ NOTIFY_BASE_URL: 'https://your-env-id.service.tcloudbase.com/payNotify', WECHAT_API_BASE: `${stackUrl}/sandbox/wechat` }, stackUrl);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^NOTIFY_BASE_URL=https:\/\/your-env-id\.service\.tcloudbase\.com\/payNotify is outside this stack .*orders stay PAYING/);
  });

  it('a provider pointed at a real endpoint, another port, or another host', () => {
    const warnings = outsideTrafficWarnings(
      {
        LATIPAY_API_BASE: 'https://api.latipay.net',
        OTTPAY_API_BASE: 'http://127.0.0.1:9999/sandbox/ottpay',
        NEWPAY_API_BASE: 'http://192.168.1.5:8787/sandbox/newpay',
        NEWPAY_QUERY_API_BASE: 'http://localhost:8787/sandbox/newpay/beta/pay',
      },
      stackUrl,
    );
    expect(warnings.map((w) => w.split('=')[0])).toEqual(['LATIPAY_API_BASE', 'NEWPAY_API_BASE', 'OTTPAY_API_BASE']);
  });

  it('"port in use" names the port and shows how to pick another on bash, cmd.exe and PowerShell', () => {
    const message = portInUseMessage(8787);
    expect(message).toContain('Port 8787 is in use');
    expect(message).toContain('PORT=8788 npm start');
    expect(message).toContain('set "PORT=8788" && npm start');
    expect(message).toContain('$env:PORT=8788; npm start');
    expect(message).toContain('localBaseUrl');
  });
});
