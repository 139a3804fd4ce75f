/**
 * Five misconfigurations a newcomer meets, each answered by a message that names the variable
 * (or the port) and the cause, run the way a developer runs them: `npm start` and
 * `npm run demo` as child processes, and a payment through the stack's HTTP endpoints.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { startLocalStack } from '../../local/stack';
import { PROVIDERS } from '../../server/providers';

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '../..');

/** Runs an npm script with extra variables until it exits, or until `until` matches its output (then stops it). */
function npm(args: string[], env: Record<string, string>, until?: RegExp): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.NODE_ENV;
  const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
    detached: process.platform !== 'win32',
  });
  let stdout = '';
  let stderr = '';
  const check = () => {
    if (until && until.test(stdout + stderr) && child.pid !== undefined && child.exitCode === null) {
      if (process.platform === 'win32') spawn('taskkill', ['/pid', String(child.pid), '/T', '/F']);
      else {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
      }
    }
  };
  child.stdout.on('data', (c: Buffer) => ((stdout += c.toString()), check()));
  child.stderr.on('data', (c: Buffer) => ((stderr += c.toString()), check()));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

async function occupiedPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('misconfigurations name the variable and the cause', () => {
  it('1. a provider that cannot be reached: provider, URL, variable and cause, in the reply and the log', async () => {
    const { server, port } = await occupiedPort();
    await new Promise((r) => server.close(r)); // nothing listens there now
    const base = `http://127.0.0.1:${port}/latipay`;
    const logged: { message: string; fields?: Record<string, unknown> }[] = [];
    const keep = (message: string, fields?: Record<string, unknown>) => void logged.push({ message, ...(fields ? { fields } : {}) });
    const stack = await startLocalStack({ port: 0, dataDir: ':memory:', env: { LATIPAY_API_BASE: base }, log: { debug: () => undefined, info: keep, warn: keep, error: keep } });
    try {
      const res = await fetch(`${stack.url}/fn/pay`, {
        method: 'POST',
        body: JSON.stringify({ action: 'createOrder', provider: 'latipay', items: [{ sku: 'coffee', quantity: 1 }], code: 'test-erin-1' }),
      });
      const body = (await res.json()) as { ok: boolean; error: { code: string; message: string } };
      expect(body.ok).toBe(false);
      expect(body.error.code).toBe('PROVIDER_ERROR');
      expect(body.error.message).toBe(
        `latipay: could not be reached at ${base}/v2/miniapppay (set by LATIPAY_API_BASE): refused: nothing listens at that host and port (ECONNREFUSED)`,
      );
      expect(logged).toContainEqual({
        message: 'provider unreachable',
        fields: { provider: 'latipay', url: `${base}/v2/miniapppay`, variable: 'LATIPAY_API_BASE', cause: expect.stringContaining('ECONNREFUSED') },
      });
    } finally {
      await stack.close();
    }
  });

  it('2. "port in use" names the port and the way to pick another on bash, cmd.exe and PowerShell', async () => {
    const { server, port } = await occupiedPort();
    try {
      const result = await npm(['start'], { PORT: String(port), DATA_DIR: ':memory:' });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Port ${port} is in use`);
      expect(result.stderr).toContain(`PORT=${port + 1} npm start`);
      expect(result.stderr).toContain(`set "PORT=${port + 1}" && npm start`);
      expect(result.stderr).toContain(`$env:PORT=${port + 1}; npm start`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('3. a too-short OTTPAY_SIGN_KEY stops npm start with the variable and the shape it needs', async () => {
    const result = await npm(['start'], { PORT: '0', DATA_DIR: ':memory:', OTTPAY_SIGN_KEY: '6698851A' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/OTTPAY_SIGN_KEY: is malformed \(.*16 letters and digits/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('4. PAY_PROVIDERS=bogus npm run demo prints a message, not a stack trace', async () => {
    const result = await npm(['run', 'demo'], { PAY_PROVIDERS: 'bogus' });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`PAY_PROVIDERS: has unknown entries ["bogus"] (allowed: ${PROVIDERS.map((p) => p.name).join(', ')})`);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it('5. a notify URL outside the stack: npm start warns, naming it, and says orders would stay PAYING', async () => {
    const result = await npm(['start'], { PORT: '0', DATA_DIR: ':memory:', NOTIFY_BASE_URL: 'https://your-env-id.service.tcloudbase.com/payNotify' }, /orders stay PAYING/);
    expect(result.stderr).toMatch(/warning: NOTIFY_BASE_URL=https:\/\/your-env-id\.service\.tcloudbase\.com\/payNotify is outside this stack/);
  });
});
