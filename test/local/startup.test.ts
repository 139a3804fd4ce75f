/**
 * Ready or refused, never hanging; and never started where it could be mistaken for a
 * deployment. The child-process tests run `npm start` as a developer (or a prober) would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createLogger } from '../../server/core/log';
import { LocalStackRefusedError } from '../../local/safety';
import { startLocalStack } from '../../local/stack';

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '../..');
const silent = createLogger('test', 'silent');

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolvePort(port));
    });
  });
}

type Probe = { outcome: 'refused' | 'answered' | 'timeout'; status?: number; retryAfter?: string; body?: string; ms: number };

/** GET /healthz with a 2 s limit: a refused connection and any HTTP answer both count as answered. */
function probe(port: number): Promise<Probe> {
  const started = Date.now();
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () =>
        done({ outcome: 'answered', status: res.statusCode, retryAfter: res.headers['retry-after'] as string | undefined, body, ms: Date.now() - started }),
      );
    });
    req.on('timeout', () => {
      req.destroy();
      done({ outcome: 'timeout', ms: Date.now() - started });
    });
    req.on('error', () => {
      if (Date.now() - started < 2000) done({ outcome: 'refused', ms: Date.now() - started });
    });
    req.end();
  });
}

function npmStart(env: Record<string, string>): ChildProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.NODE_ENV; // jest sets "test"; each case says what it wants
  Object.assign(childEnv, env);
  // Its own process group: npm, tsx and node all stop together (npm does not pass signals on).
  return spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['start'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
    detached: process.platform !== 'win32',
  });
}

function stop(child: ChildProcess): void {
  if (child.exitCode !== null || child.pid === undefined) return;
  if (process.platform === 'win32') spawn('taskkill', ['/pid', String(child.pid), '/T', '/F']);
  else {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
}

function exited(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

describe('start-up', () => {
  it('answers every probe from the moment `npm start` is spawned (503 + Retry-After, then 200), each within 2 s', async () => {
    const port = await freePort();
    const dataDir = await mkdtemp(join(tmpdir(), 'startup-'));
    const child = npmStart({ PORT: String(port), DATA_DIR: dataDir });
    const done = exited(child);
    const probes: Probe[] = [];
    const deadline = Date.now() + 45_000;
    try {
      for (;;) {
        const p = await probe(port);
        probes.push(p);
        if (p.outcome === 'answered' && p.status === 200) break;
        if (Date.now() > deadline) break;
      }
    } finally {
      stop(child);
      await done;
      await rm(dataDir, { recursive: true, force: true });
    }
    expect(probes.filter((p) => p.outcome === 'timeout')).toEqual([]);
    expect(probes.every((p) => p.ms < 2000)).toBe(true);
    const last = probes[probes.length - 1]!;
    expect(last.status).toBe(200);
    expect(JSON.parse(last.body!)).toMatchObject({ ok: true, store: 'sqlite', simulators: ['wechat', 'latipay', 'ottpay', 'newpay', 'wechatpay'], memory: { rss: expect.any(Number) } });
    for (const p of probes.filter((x) => x.outcome === 'answered' && x.status !== 200)) {
      expect(p).toMatchObject({ status: 503, retryAfter: '1' });
    }
  });

  it('answers 503 with Retry-After while preparing, and /healthz 200 only once ready', async () => {
    const port = await freePort();
    let release!: () => void;
    let opened!: () => void;
    const portOpen = new Promise<void>((r) => (opened = r));
    const held = new Promise<void>((r) => (release = r));
    const starting = startLocalStack({ port, dataDir: ':memory:', env: {}, log: silent, beforeReady: () => (opened(), held) });
    await portOpen;
    const during = await probe(port);
    expect(during).toMatchObject({ outcome: 'answered', status: 503, retryAfter: '1' });
    expect(JSON.parse(during.body!)).toMatchObject({ ok: false, error: { code: 'STARTING' } });
    const fn = await fetch(`http://127.0.0.1:${port}/fn/pay`, { method: 'POST', body: '{"action":"catalog","provider":"latipay"}', signal: AbortSignal.timeout(2000) });
    expect(fn.status).toBe(503);
    release();
    const stack = await starting;
    try {
      const ready = await probe(port);
      expect(ready).toMatchObject({ outcome: 'answered', status: 200 });
    } finally {
      await stack.close();
    }
  });
});

describe('a development tool that cannot be misused', () => {
  it('`NODE_ENV=production npm start` exits non-zero saying the local stack is for development', async () => {
    const result = await exited(npmStart({ NODE_ENV: 'production', PORT: '0', DATA_DIR: ':memory:' }));
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderr).toContain('development tool');
    expect(result.stderr).toContain('see "Deploy" in README.md');
    expect(result.stdout).not.toContain('listening');
  });

  it('refuses NODE_ENV=production in the environment it is given, before opening a port', async () => {
    await expect(startLocalStack({ port: 0, dataDir: ':memory:', env: { NODE_ENV: 'production' }, log: silent })).rejects.toThrow(LocalStackRefusedError);
  });

  it('refuses a non-loopback host', async () => {
    await expect(startLocalStack({ port: 0, host: '0.0.0.0', dataDir: ':memory:', env: {}, log: silent })).rejects.toThrow(LocalStackRefusedError);
  });
});
