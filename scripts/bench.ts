/**
 * `npm run bench`: numbers for the local stack and the CloudBase store, each printed beside
 * its target as a line beginning PASS or FAIL (not a test). `npm run bench -- --check` exits 1
 * when any target is missed; `--only=create,notify,...` runs some sections.
 *   1. create:  createOrder per provider through POST /fn/pay, beside the same simulator calls
 *      made directly: what our code adds on top of the provider and WeChat simulators.
 *   2. notify:  notifications per second through payNotify (valid, duplicate and forged, over
 *      keep-alive HTTP from another thread), and how many orders changed state more than once.
 *   3. shoppers: 50 concurrent shoppers creating orders (p50/p95/p99, throughput).
 *   4. sizes:   bundle sizes and the mini program package size.
 *   5. cold:    cold start: loading each bundled function beside loading wx-server-sdk alone.
 *   6. cloudbase: database calls per operation on the CloudBase store (scripts/bench/cloudbase.ts).
 *   7. rss:     the stack's memory after 2,000 and 20,000 orders (scripts/bench/rss.ts).
 * Everything runs on 127.0.0.1 with an SQLite file in a temporary directory; loops are bounded.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { startLocalStack, type LocalStack } from '../local/stack';
import type { SandboxRequest } from '../local/sandboxes/types';
import { createLogger } from '../server/core/log';
import { buildFunctions, FUNCTIONS } from './build-functions';
import { cloudbaseBench } from './bench/cloudbase';
import { reportMiniprogramSize } from './bench/miniprogram-size';
import { median, quantile, Targets } from './bench/report';
import { rssBench } from './bench/rss';
import { shoppersBench } from './bench/shoppers';

const root = resolve(__dirname, '..');
const TARGET = { overheadMs: 1, notificationsPerSec: 3000, coldStartRatio: 1.05 };
const ORDERS_PER_PROVIDER = Number(process.env.BENCH_ORDERS ?? 100);
const NOTIFY_ORDERS = Number(process.env.BENCH_NOTIFY_ORDERS ?? 1500);
const NOTIFY_CONCURRENCY = 16;
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 11);
const targets = new Targets();

const p95 = (xs: number[]): number => quantile(xs, 0.95);
const ms = (x: number): string => `${x.toFixed(2)} ms`;

// --- A keep-alive HTTP client (the same one for the function and the direct simulator calls) ---

const agent = new Agent({ keepAlive: true, maxSockets: 8 });
let base = '';

function call(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolvePromise, reject) => {
    const url = new URL(path, base);
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, agent, headers: body !== undefined ? { 'content-length': Buffer.byteLength(body).toString(), ...headers } : headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const postJson = (path: string, data: unknown) => call('POST', path, JSON.stringify(data), { 'content-type': 'application/json' });
const code = (user: string) => `test-${user}-${randomBytes(6).toString('hex')}`;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

// --- 1. createOrder overhead ---

interface Captured {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Sends captured requests again, one after the other. */
async function replay(requests: readonly Captured[]): Promise<{ status: number; text: string }[]> {
  const out: { status: number; text: string }[] = [];
  for (const c of requests) out.push(await call(c.method, c.path, c.method === 'GET' ? undefined : c.body, c.headers));
  return out;
}

async function createOrderBench(stack: LocalStack): Promise<void> {
  console.log(`\n1. createOrder, ${ORDERS_PER_PROVIDER} sequential calls per provider (median / p95)`);
  const { appId, appSecret } = stack.app.config.wechat;
  // WeChat's code exchange, as pay makes it (a simulator call on every createOrder without a WeChat context).
  const wechat: number[] = [];
  for (let i = 0; i < ORDERS_PER_PROVIDER; i++) {
    const q = new URLSearchParams({ appid: appId, secret: appSecret ?? '', js_code: code('bench'), grant_type: 'authorization_code' });
    const r = await timed(() => call('GET', `/sandbox/wechat/sns/jscode2session?${q}`));
    if (r.value.status !== 200) throw new Error(`jscode2session: ${r.value.status} ${r.value.text}`);
    wechat.push(r.ms);
  }
  console.log(`   WeChat simulator jscode2session alone: ${ms(median(wechat))} / ${ms(p95(wechat))}`);

  for (const provider of stack.app.config.providers) {
    const sandbox = stack.simulator(provider) as { handle: (req: SandboxRequest) => unknown };
    const registered = stack.app.service.deps.providers.require(provider);
    const direct = stack.simulatorModules.find((m) => m.name === provider)?.benchDirectCalls;
    const original = sandbox.handle.bind(sandbox);
    let captured: Captured[] = [];
    sandbox.handle = (req: SandboxRequest) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
      const qs = req.query.toString();
      captured.push({ method: req.method, path: `/sandbox/${provider}${req.path}${qs ? `?${qs}` : ''}`, headers, body: req.rawBody.toString('utf8') });
      return original(req);
    };
    const event = (user: string) => ({
      action: 'createOrder',
      provider,
      items: [{ sku: 'coffee', quantity: 2 }],
      code: code(user),
      ...(registered.capabilities.secondLoginCode ? { payCode: code(user) } : {}),
    });
    const fn: number[] = [];
    const groups: Captured[][] = [];
    try {
      for (let i = 0; i < ORDERS_PER_PROVIDER + 10; i++) {
        captured = [];
        const r = await timed(() => postJson('/fn/pay', event(`u${i % 20}`)));
        if (r.value.status !== 200) throw new Error(`${provider} createOrder: ${r.value.status} ${r.value.text}`);
        if (i >= 10) {
          fn.push(r.ms); // the first 10 warm up
          groups.push(captured);
        }
      }
    } finally {
      sandbox.handle = original;
    }

    // The same provider calls, made directly: freshly signed for new references where the
    // simulator module can (a replay may be refused at once, e.g. for a used order number), else the captured requests replayed byte for byte, which must be answered in
    // full: a refusal is cheaper than the real work and would flatter the baseline.
    const directCtx = { env: stack.env, notifyUrl: `${stack.app.config.notifyBaseUrl}/${provider}`, wechatAppId: appId, loginCode: () => code('benchdirect'), call };
    const directMs: number[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < groups.length; i++) {
      const t0 = performance.now();
      const replies = direct ? await direct(directCtx, i) : await replay(groups[i] as Captured[]);
      directMs.push(performance.now() - t0);
      for (const r of replies) {
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (!direct && r.status !== 200) throw new Error(`bench: ${provider} refused the replay: ${r.status} ${r.text}`);
      }
    }
    const perOrder = groups.reduce((n, g) => n + g.length, 0) / groups.length;
    const overhead = median(fn) - median(directMs) - median(wechat);
    console.log(`   ${provider.padEnd(8)} POST /fn/pay createOrder: ${ms(median(fn))} / ${ms(p95(fn))}`);
    console.log(
      `   ${''.padEnd(8)} same ${perOrder.toFixed(1)} provider call(s) direct to the simulator: ${ms(median(directMs))} / ${ms(p95(directMs))}` +
        `${direct ? ' (freshly signed)' : ' (replayed)'}, replies ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    console.log(`   ${''.padEnd(8)} ratio ${(median(fn) / (median(directMs) + median(wechat))).toFixed(2)}x the simulators' time`);
    targets.check(`createOrder overhead (${provider})`, overhead <= TARGET.overheadMs, `${ms(overhead)} median beyond the simulators (target <= ${TARGET.overheadMs} ms)`);
  }
}

// --- 2. notification throughput ---

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { port, jobs, concurrency } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const statuses = {};
let next = 0;
function send(job) {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(job.body);
    const req = http.request({ host: '127.0.0.1', port, path: job.path, method: 'POST', agent,
      headers: { 'content-type': job.contentType, 'content-length': body.length } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => { const k = job.kind + ' ' + res.statusCode + ' ' + text.slice(0, 20); statuses[k] = (statuses[k] || 0) + 1; resolve(); });
    });
    req.on('error', reject);
    req.end(body);
  });
}
async function loop() { while (next < jobs.length) await send(jobs[next++]); }
const t0 = performance.now();
Promise.all(Array.from({ length: concurrency }, loop)).then(() => {
  parentPort.postMessage({ ms: performance.now() - t0, statuses });
  agent.destroy();
}, (e) => parentPort.postMessage({ error: String(e) }));
`;

async function notificationBench(stack: LocalStack): Promise<void> {
  // The first enabled provider's notifications.
  const provider = stack.app.config.providers[0] as string;
  const simulator = stack.simulator(provider);
  const ack = stack.app.service.deps.providers.require(provider).adapter.acknowledge();
  console.log(`\n2. payNotify throughput: ${NOTIFY_ORDERS} ${provider} orders paid without notification, then for each a valid,`);
  console.log(`   a duplicate and a forged notification, shuffled, ${NOTIFY_CONCURRENCY} at a time over keep-alive HTTP from a worker thread`);
  simulator.silentNotifications = true;
  const orderNos: string[] = [];
  const setup = performance.now();
  let nextOrder = 0;
  const createAndPay = async (): Promise<void> => {
    while (nextOrder < NOTIFY_ORDERS) {
      const i = nextOrder++;
      const created = await postJson('/fn/pay', { action: 'createOrder', provider, items: [{ sku: 'coffee', quantity: 1 }], code: code(`n${i % 50}`), payCode: code(`n${i % 50}`) });
      const body = JSON.parse(created.text) as { ok: boolean; order: { orderNo: string }; payment: Record<string, unknown> };
      if (!body.ok) throw new Error(`createOrder: ${created.text}`);
      const paid = await postJson('/sandbox/wechat/requestPayment', { ...body.payment, result: 'pay' });
      if (paid.status !== 200) throw new Error(`requestPayment: ${paid.text}`);
      orderNos.push(body.order.orderNo);
    }
  };
  await Promise.all(Array.from({ length: 8 }, createAndPay));
  console.log(`   (setup: ${orderNos.length} orders created and paid in ${((performance.now() - setup) / 1000).toFixed(1)} s)`);

  const jobs: { path: string; body: string; contentType: string; kind: string }[] = [];
  for (const orderNo of orderNos) {
    const genuine = simulator.signedNotification(orderNo);
    const forged = simulator.forgedNotification(orderNo);
    const path = `/notify/${provider}`;
    jobs.push({ path, ...genuine, kind: 'valid' }, { path, ...genuine, kind: 'valid' }, { path, ...forged, kind: 'forged' });
  }
  // Shuffled: a duplicate may arrive before, after or together with its original.
  for (let i = jobs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [jobs[i], jobs[j]] = [jobs[j]!, jobs[i]!];
  }
  const port = Number(new URL(stack.url).port);
  const result = await new Promise<{ ms: number; statuses: Record<string, number>; error?: string }>((resolvePromise, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { port, jobs, concurrency: NOTIFY_CONCURRENCY } });
    worker.once('message', (m: { ms: number; statuses: Record<string, number>; error?: string }) => {
      void worker.terminate();
      resolvePromise(m);
    });
    worker.once('error', reject);
  });
  if (result.error) throw new Error(result.error);
  const perSec = jobs.length / (result.ms / 1000);

  let changedTwice = 0;
  let notPaid = 0;
  for (const orderNo of orderNos) {
    const order = await stack.app.store.get(orderNo);
    if ((order?.timeline ?? []).filter((e) => e.type === 'status_changed' && e.detail.to === 'PAID').length > 1) changedTwice += 1;
    if (order?.status !== 'PAID') notPaid += 1;
  }
  const expected = { valid: `valid ${ack.statusCode} ${ack.body.slice(0, 20)}`, forged: `forged 401` };
  const ackedValid = result.statuses[expected.valid] ?? 0;
  const refusedForged = Object.entries(result.statuses).filter(([k]) => k.startsWith(expected.forged)).reduce((n, [, v]) => n + v, 0);
  console.log(`   ${jobs.length} notifications in ${(result.ms / 1000).toFixed(2)} s: ${perSec.toFixed(0)}/s`);
  console.log(`   replies: ${JSON.stringify(result.statuses)}`);
  targets.check('payNotify throughput', perSec >= TARGET.notificationsPerSec, `${perSec.toFixed(0)}/s (target >= ${TARGET.notificationsPerSec}/s)`);
  const right = changedTwice === 0 && notPaid === 0 && ackedValid === 2 * orderNos.length && refusedForged === orderNos.length;
  targets.check(
    'payNotify applies each payment once',
    right,
    `${changedTwice} orders changed state more than once (must be 0), ${notPaid} not PAID (must be 0), ${ackedValid}/${2 * orderNos.length} valid acknowledged, ${refusedForged}/${orderNos.length} forged refused`,
  );
}

// --- 3. cold start, 4. sizes ---

function loadTime(script: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-e', script], { cwd: root, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 30_000 });
  const elapsed = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node -e "${script}" failed: ${r.stderr}`);
  return elapsed;
}

/**
 * Each bundle is timed in turn with the SDK alone (SDK, bundle, SDK, bundle...), so a neighbour's
 * load on a shared machine weighs on both sides alike; the ratio is of the two medians.
 */
function coldStartBench(): void {
  console.log(`\n5. cold start: a fresh \`node -e "require(...)"\`, median of ${COLD_RUNS}, each bundle interleaved with the SDK alone`);
  const bare = median(Array.from({ length: COLD_RUNS }, () => loadTime('0')));
  console.log(`   node alone:                    ${ms(bare)}`);
  for (const name of Object.keys(FUNCTIONS)) {
    const sdk: number[] = [];
    const bundle: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      sdk.push(loadTime(`require('wx-server-sdk')`));
      bundle.push(loadTime(`require('./cloudfunctions/${name}/index.js')`));
    }
    const ratio = median(bundle) / median(sdk);
    console.log(`   cloudfunctions/${name}/index.js: ${ms(median(bundle))}; require('wx-server-sdk') alone beside it: ${ms(median(sdk))}`);
    targets.check(`cold start (${name})`, ratio <= TARGET.coldStartRatio, `${ratio.toFixed(3)}x the SDK alone (target <= ${TARGET.coldStartRatio}x)`);
  }
}

async function sizes(): Promise<void> {
  console.log('\n4. sizes');
  for (const b of await buildFunctions(true)) console.log(`   cloudfunctions/${b.name}/index.js: ${(b.bytes / 1024).toFixed(1)} KB (${b.inputs.length} modules)`);
  targets.check('mini program main package size', reportMiniprogramSize(), 'see the line above');
}

const SECTIONS = ['create', 'notify', 'shoppers', 'sizes', 'cold', 'cloudbase', 'rss'] as const;
type Section = (typeof SECTIONS)[number];

function parseArgs(argv: readonly string[]): { check: boolean; only: Set<Section> } {
  let check = false;
  let only = new Set<Section>(SECTIONS);
  for (const arg of argv) {
    if (arg === '--check') check = true;
    else if (arg.startsWith('--only=')) {
      const names = arg.slice('--only='.length).split(',').filter(Boolean);
      const bad = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
      if (bad.length) throw new Error(`--only: unknown section(s) ${bad.join(', ')}; sections are ${SECTIONS.join(', ')}`);
      only = new Set(names as Section[]);
    } else throw new Error(`unknown argument ${arg}: use --check (exit 1 when a target is missed) and --only=${SECTIONS.join(',')}`);
  }
  return { check, only };
}

/** Runs a section; one that throws counts as a missed target, and the others still run. */
async function section(name: string, run: () => Promise<void> | void): Promise<void> {
  try {
    await run();
  } catch (e) {
    console.error(e);
    targets.failed(name, e);
  }
}

async function main(): Promise<void> {
  const { check, only } = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const needsStack = ['create', 'notify', 'shoppers', 'cloudbase'].some((n) => only.has(n as Section));
  if (needsStack) {
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-'));
    // BENCH_SQLITE=memory: the same run on an in-memory database, to show what the disk costs.
    const inMemory = process.env.BENCH_SQLITE === 'memory';
    const stack = await startLocalStack({
      port: 0,
      host: '127.0.0.1',
      dataDir: inMemory ? ':memory:' : dataDir,
      // Only the local defaults: a developer's real credentials are never used here.
      env: { SANDBOX_RETRY_MS: '60000' },
      log: createLogger('bench', 'silent'),
    });
    base = stack.url;
    console.log(`Local stack ${stack.url}, SQLite ${inMemory ? 'in memory' : `file in ${dataDir} (WAL, synchronous=FULL)`}, node ${process.version}, ${availableParallelism()} cores`);
    try {
      if (only.has('create')) await section('createOrder', () => createOrderBench(stack));
      if (only.has('notify')) await section('payNotify', () => notificationBench(stack));
      if (only.has('shoppers')) await section('concurrent shoppers', () => shoppersBench(stack, targets));
      if (only.has('cloudbase')) await section('CloudBase', () => cloudbaseBench(stack, targets));
    } finally {
      agent.destroy();
      await stack.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (only.has('sizes')) await section('sizes', sizes);
  if (only.has('cold')) await section('cold start', coldStartBench);
  if (only.has('rss')) await section('memory', async () => {
    const r = await rssBench();
    targets.check('RSS after 20,000 orders', r.pass, r.detail);
  });
  const total = targets.met + targets.missed.length;
  console.log(`\n${targets.missed.length === 0 ? `all ${total} targets met` : `${targets.missed.length} of ${total} targets missed`} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  if (check && targets.missed.length > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
