/**
 * The local stack's memory over many orders: starts `local/main.ts` as its own process (so the
 * load generator's memory is not counted) on a free loopback port with only the local defaults
 * and an SQLite file in a temporary directory, creates 2,000 orders with the first enabled provider (Latipay by default, the cheapest
 * provider: HMAC signing), reads the stack's RSS from /healthz, creates 18,000 more, reads it
 * again. Bounded maps (local/bounded-map.ts) should keep the two within 15%.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = resolve(__dirname, '../..');
export const RSS_TARGET = 0.15;
const FIRST = Number(process.env.BENCH_RSS_FIRST ?? 2_000);
const TOTAL = Number(process.env.BENCH_RSS_TOTAL ?? 20_000);
const CONCURRENCY = 8;

function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

function post(agent: Agent, port: number, path: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((done, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, text }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`${path} took over 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

async function health(port: number): Promise<{ ok: boolean; memory?: NodeJS.MemoryUsage } | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
    return res.status === 200 ? ((await res.json()) as { ok: boolean; memory: NodeJS.MemoryUsage }) : undefined;
  } catch {
    return undefined;
  }
}

/** The stack's RSS once it is idle: the lowest of a few readings a moment apart. */
async function idleRss(port: number): Promise<number> {
  let low = Infinity;
  let memory: NodeJS.MemoryUsage | undefined;
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 200));
    memory = (await health(port))?.memory;
    low = Math.min(low, memory?.rss ?? Infinity);
  }
  if (process.env.BENCH_RSS_VERBOSE && memory) {
    console.log(`   (${Object.entries(memory).map(([k, v]) => `${k} ${MB(v)}`).join(', ')})`);
  }
  return low;
}

const MB = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

export async function rssBench(): Promise<{ pass: boolean; detail: string }> {
  console.log(`\n7. memory: the stack's RSS after ${FIRST.toLocaleString('en-US')} and ${TOTAL.toLocaleString('en-US')} orders (its own process)`);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-rss-'));
  const port = await freePort();
  // Only what a process needs to run: no developer credentials reach this stack.
  const env: NodeJS.ProcessEnv = { PORT: String(port), DATA_DIR: dataDir, SANDBOX_RETRY_MS: '60000' };
  for (const k of ['PATH', 'Path', 'HOME', 'USERPROFILE', 'SystemRoot', 'TEMP', 'TMP', 'TMPDIR']) if (process.env[k]) env[k] = process.env[k];
  const child = spawn(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'local/main.ts')], { cwd: dataDir, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const started = performance.now();
  try {
    const deadline = Date.now() + 60_000;
    while (!(await health(port))?.ok) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error('the stack did not become ready');
      await new Promise((r) => setTimeout(r, 100));
    }
    // The first enabled provider, as the catalog names it (and whether it spends a second code).
    const catalog = JSON.parse((await post(agent, port, '/fn/pay', JSON.stringify({ action: 'catalog' }))).text) as { provider: { name: string; needsPayCode: boolean } };
    const provider = catalog.provider.name;
    let created = 0;
    let failed = 0;
    let duplicates = 0;
    const createUpTo = async (count: number) => {
      const worker = async () => {
        while (created < count) {
          const i = created++;
          const payCode = catalog.provider.needsPayCode ? { payCode: `test-bench${i % 100}-p${i}` } : {};
          const body = JSON.stringify({ action: 'createOrder', provider, items: [{ sku: 'coffee', quantity: 1 }], code: `test-bench${i % 100}-${i}`, ...payCode });
          const res = await post(agent, port, '/fn/pay', body);
          // DUPLICATE_ORDER would mean two order numbers drawn alike (server/core/random.ts): counted, expected 0.
          if (res.status === 409 && res.text.includes('DUPLICATE_ORDER')) duplicates++;
          else if (res.status !== 200 && failed++ < 3) console.log(`   createOrder ${i}: ${res.status} ${res.text.slice(0, 200)}`);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    };
    await createUpTo(FIRST);
    const first = await idleRss(port);
    const firstSeconds = (performance.now() - started) / 1000;
    console.log(`   rss after ${FIRST} orders: ${MB(first)} (${firstSeconds.toFixed(1)} s)`);
    await createUpTo(TOTAL);
    const last = await idleRss(port);
    const ratio = last / first;
    const pass = failed === 0 && Math.abs(ratio - 1) <= RSS_TARGET;
    console.log(`   rss after ${TOTAL} orders: ${MB(last)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    const detail = `${MB(first)} after ${FIRST}, ${MB(last)} after ${TOTAL}: ratio ${ratio.toFixed(3)} (target within ${RSS_TARGET * 100}%), ${failed} failed createOrder, ${duplicates} refused as DUPLICATE_ORDER`;
    return { pass, detail };
  } finally {
    agent.destroy();
    child.kill();
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  rssBench().then(
    (r) => {
      console.log(`${r.pass ? 'PASS' : 'FAIL'} RSS: ${r.detail}`);
      process.exit(r.pass ? 0 : 1);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
