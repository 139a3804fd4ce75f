/**
 * 50 concurrent shoppers creating orders against the local stack: each shopper, in a worker
 * thread (so the load's own CPU is not on the stack's event loop), places orders one after
 * another through POST /fn/pay over its own keep-alive connection, taking the providers in
 * turn. Prints p50/p95/p99 of createOrder as the shopper waits for it, and orders per second.
 */
import { Worker } from 'node:worker_threads';
import type { LocalStack } from '../../local/stack';
import { quantile, type Targets } from './report';

export const SHOPPERS = Number(process.env.BENCH_SHOPPERS ?? 50);
const ORDERS_EACH = Number(process.env.BENCH_SHOPPER_ORDERS ?? 20);
const WARMUP_EACH = 2;
export const P99_TARGET_MS = 250;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { port, shoppers, ordersEach, warmupEach, providers } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: shoppers });
const latencies = [];
let failed = 0;
let firstError = '';
function post(body) {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body));
    const req = http.request({ host: '127.0.0.1', port, path: '/fn/pay', method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}
async function shopper(s) {
  for (let i = 0; i < warmupEach + ordersEach; i++) {
    const p = providers[(s + i) % providers.length];
    const code = 'test-shopper' + s + '-' + i + '-' + Math.random().toString(36).slice(2, 10);
    const body = { action: 'createOrder', provider: p.name, items: [{ sku: 'coffee', quantity: 1 }], code };
    if (p.needsPayCode) body.payCode = code + 'p';
    const t0 = performance.now();
    const r = await post(body);
    const ms = performance.now() - t0;
    if (r.status !== 200) { failed++; if (!firstError) firstError = r.status + ' ' + r.text.slice(0, 200); }
    if (i >= warmupEach) latencies.push(ms);
  }
}
// Everyone warms up, then the measured window starts together.
const t0 = performance.now();
Promise.all(Array.from({ length: shoppers }, (_, s) => shopper(s))).then(() => {
  parentPort.postMessage({ ms: performance.now() - t0, latencies, failed, firstError });
  agent.destroy();
}, (e) => parentPort.postMessage({ error: String(e) }));
`;

export async function shoppersBench(stack: LocalStack, targets: Targets): Promise<void> {
  const providers = stack.app.config.providers.map((name) => ({ name, needsPayCode: !!stack.app.service.deps.providers.require(name).capabilities.secondLoginCode }));
  console.log(`\n3. ${SHOPPERS} concurrent shoppers, ${ORDERS_EACH} orders each (after ${WARMUP_EACH} to warm up), providers in turn (${providers.map((p) => p.name).join(', ')}), from a worker thread`);
  const port = Number(new URL(stack.url).port);
  const result = await new Promise<{ ms: number; latencies: number[]; failed: number; firstError: string; error?: string }>((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { port, shoppers: SHOPPERS, ordersEach: ORDERS_EACH, warmupEach: WARMUP_EACH, providers } });
    worker.once('message', (m: { ms: number; latencies: number[]; failed: number; firstError: string; error?: string }) => {
      void worker.terminate();
      resolve(m);
    });
    worker.once('error', reject);
  });
  if (result.error) throw new Error(result.error);
  const xs = result.latencies;
  const p = (q: number) => `${quantile(xs, q).toFixed(1)} ms`;
  // Throughput over the whole run (warm-up orders included in both the count and the time).
  const perSec = (SHOPPERS * (ORDERS_EACH + WARMUP_EACH)) / (result.ms / 1000);
  console.log(`   ${xs.length} measured orders: p50 ${p(0.5)}, p95 ${p(0.95)}, p99 ${p(0.99)}, max ${p(1)}; ${perSec.toFixed(0)} orders/s; ${result.failed} failed${result.firstError ? ` (first: ${result.firstError})` : ''}`);
  targets.check(`${SHOPPERS} concurrent shoppers p99`, quantile(xs, 0.99) <= P99_TARGET_MS && result.failed === 0, `${p(0.99)} (target <= ${P99_TARGET_MS} ms), ${result.failed} failed`);
}
