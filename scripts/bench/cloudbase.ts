/**
 * The CloudBase section of `npm run bench`: the cloud functions' handlers (pay, payNotify,
 * admin) on the CloudBase store, over the in-memory stand-in of the database
 * (local/fake-cloudbase.ts) that waits BENCH_CLOUDBASE_LATENCY_MS (default 10) before every
 * call and counts it, with the providers' real adapters talking to the local stack's
 * simulators. For each operation it prints the database calls made one after another (the
 * critical path: a call started while another is in flight runs beside it), the total, and
 * the time, beside the timeline lines the operation wrote (they travel inside the order
 * document, so they cost no call of their own).
 *
 * Like the cloud: the caller's openid comes from the WeChat context (no jscode2session); the
 * provider's own calls are timed apart and not counted as database calls.
 */
import { performance } from 'node:perf_hooks';
import { createApp, type App } from '../../server/app';
import { createLogger } from '../../server/core/log';
import { TIMELINE_KEEP } from '../../server/domain/timeline';
import { handleAdmin } from '../../server/functions/admin';
import { handlePay } from '../../server/functions/pay';
import { handlePayNotify } from '../../server/functions/pay-notify';
import { CloudBaseOrderStore } from '../../server/store/cloudbase/order-store';
import type { LocalStack } from '../../local/stack';
import { createFakeCloudDatabase } from '../../local/fake-cloudbase';
import { median, type Targets } from './report';

export const CLOUDBASE_TARGETS = { createOrder: 3, notification: 2, queryOrder: 1, refund: 3 } as const;
const RUNS = Number(process.env.BENCH_CLOUDBASE_RUNS ?? 10);

/** Database calls as the stand-in sees them: how many, and how many one after another. */
class CallCounter {
  total = 0;
  sequential = 0;
  private inFlight = 0;
  readonly byKind: Record<string, number> = {};

  constructor(private readonly latencyMs: number) {}

  /** The stand-in's hook: a call that starts while none is in flight lengthens the critical path. */
  readonly hook = async (kind: string): Promise<void> => {
    this.total += 1;
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    if (this.inFlight === 0) this.sequential += 1;
    this.inFlight += 1;
    try {
      if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    } finally {
      this.inFlight -= 1;
    }
  };

  reset(): void {
    this.total = 0;
    this.sequential = 0;
    for (const k of Object.keys(this.byKind)) delete this.byKind[k];
  }
}

interface Measured {
  sequential: number;
  total: number;
  ms: number;
  lines: number;
  kinds: string;
}

export async function cloudbaseBench(stack: LocalStack, targets: Targets): Promise<void> {
  const latencyMs = Number(process.env.BENCH_CLOUDBASE_LATENCY_MS ?? 10);
  const counter = new CallCounter(latencyMs);
  const store = new CloudBaseOrderStore(createFakeCloudDatabase({ hook: counter.hook }));
  const operator = 'oBENCHOPERATOR0000000000000';
  const app: App = createApp({ ...stack.app.config, adminOpenids: [operator] }, store, { log: createLogger('bench-cloudbase', 'silent') });
  console.log(`\n6. CloudBase: the functions on the CloudBase store, its database a stand-in that waits ${latencyMs} ms per call (BENCH_CLOUDBASE_LATENCY_MS)`);
  console.log(`   and counts calls; providers are the local simulators (their time is not database time); median of ${RUNS} runs per operation`);

  /** Runs `op` (after `prepare`, not measured) RUNS times; the calls and time of `op` alone. */
  const measure = async <P>(prepare: () => Promise<P>, op: (p: P) => Promise<{ orderNo: string }>): Promise<Measured> => {
    const runs: Measured[] = [];
    for (let i = 0; i < RUNS; i++) {
      const p = await prepare();
      const before = await linesOf(app, p as { orderNo?: string });
      counter.reset();
      const t0 = performance.now();
      const { orderNo } = await op(p);
      const ms = performance.now() - t0;
      const snapshot = { sequential: counter.sequential, total: counter.total, kinds: JSON.stringify(counter.byKind) };
      const after = await linesOf(app, { orderNo });
      runs.push({ ...snapshot, ms, lines: after - before });
      if (process.env.BENCH_CLOUDBASE_VERBOSE) console.log(`     run ${i}: ${JSON.stringify(runs[runs.length - 1])}`);
    }
    const worst = (k: 'sequential' | 'total') => Math.max(...runs.map((r) => r[k]));
    return { sequential: worst('sequential'), total: worst('total'), ms: median(runs.map((r) => r.ms)), lines: median(runs.map((r) => r.lines)), kinds: runs[runs.length - 1]!.kinds };
  };

  const print = (name: string, provider: string, m: Measured, target: number) => {
    console.log(
      `   ${name.padEnd(12)} ${provider.padEnd(8)} ${m.sequential} sequential / ${m.total} total database calls ${m.kinds}, ${m.ms.toFixed(1)} ms ` +
        `(${(m.sequential * latencyMs).toFixed(0)} ms of it waiting for the database), ${m.lines} timeline line(s) written with them`,
    );
    targets.check(`CloudBase ${name} (${provider}): sequential database calls`, m.sequential <= target, `${m.sequential} (target <= ${target}${name === 'createOrder' ? ' besides the provider' : ''})`);
  };

  const providers = app.config.providers;
  const createEvent = (provider: string, i: number) => {
    const registered = app.service.deps.providers.require(provider);
    return { action: 'createOrder', provider, items: [{ sku: 'coffee', quantity: 2 }], ...(registered.capabilities.secondLoginCode ? { payCode: `test-cb${i}-${Math.random().toString(36).slice(2)}` } : {}) };
  };
  const openid = (i: number) => `oBENCHCLOUDBASE${String(i % 7).padStart(12, '0')}`;
  let n = 0;
  const create = async (provider: string) => {
    const i = n++;
    const r = (await handlePay(createEvent(provider, i), { openid: openid(i) }, app)) as { ok: boolean; order?: { orderNo: string }; payment?: Record<string, unknown>; error?: unknown };
    if (!r.ok || !r.order) throw new Error(`CloudBase bench createOrder ${provider}: ${JSON.stringify(r.error)}`);
    return { orderNo: r.order.orderNo, payment: r.payment ?? {}, openid: openid(i) };
  };
  /** An order paid at the provider, its notification not yet delivered. */
  const paidAtProvider = async (provider: string) => {
    const created = await create(provider);
    const paid = await fetch(`${stack.url}/sandbox/wechat/requestPayment`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...created.payment, result: 'pay' }) });
    if (paid.status !== 200) throw new Error(`requestPayment: ${await paid.text()}`);
    return created;
  };
  const notify = async (provider: string, orderNo: string, kind: 'genuine' | 'forged' = 'genuine') => {
    const sim = stack.simulator(provider);
    const raw = kind === 'genuine' ? sim.signedNotification(orderNo) : sim.forgedNotification(orderNo);
    return handlePayNotify({ path: `/payNotify/${provider}`, httpMethod: 'POST', headers: { ...raw.headers, 'content-type': raw.contentType }, body: raw.body, isBase64Encoded: false }, app.service);
  };

  const silent = new Map(providers.map((p) => [p, stack.simulator(p).silentNotifications]));
  for (const p of providers) stack.simulator(p).silentNotifications = true;
  try {
    for (const provider of providers) {
      print('createOrder', provider, await measure(async () => ({}), async () => create(provider)), CLOUDBASE_TARGETS.createOrder);
    }
    for (const provider of providers) {
      const valid = await measure(() => paidAtProvider(provider), async (o) => {
        const reply = await notify(provider, o.orderNo);
        if (reply.statusCode !== 200) throw new Error(`notification ${provider}: ${reply.statusCode} ${reply.body}`);
        return o;
      });
      print('notification', provider, valid, CLOUDBASE_TARGETS.notification);
    }
    const first = providers[0] as string;
    const duplicate = await measure(async () => {
      const o = await paidAtProvider(first);
      await notify(first, o.orderNo);
      return o;
    }, async (o) => (await notify(first, o.orderNo), o));
    print('duplicate', first, duplicate, CLOUDBASE_TARGETS.notification);
    const forged = await measure(() => create(first), async (o) => (await notify(first, o.orderNo, 'forged'), o));
    print('forged', first, forged, CLOUDBASE_TARGETS.notification);
    const query = await measure(() => create(first), async (o) => {
      const r = await handlePay({ action: 'queryOrder', orderNo: o.orderNo }, { openid: o.openid }, app);
      if (!r.ok) throw new Error(`queryOrder: ${JSON.stringify(r)}`);
      return o;
    });
    print('queryOrder', first, query, CLOUDBASE_TARGETS.queryOrder);
    for (const provider of providers.filter((p) => app.service.deps.providers.require(p).capabilities.refund)) {
      const refund = await measure(async () => {
        const o = await paidAtProvider(provider);
        await notify(provider, o.orderNo);
        return o;
      }, async (o) => {
        const r = (await handleAdmin({ action: 'refund', orderNo: o.orderNo, amount: 100 }, { openid: operator }, app)) as { ok: boolean; refund?: { status: string } };
        if (!r.ok) throw new Error(`refund ${provider}: ${JSON.stringify(r)}`);
        return o;
      });
      print('refund', provider, refund, CLOUDBASE_TARGETS.refund);
    }

    // Bounded: a flood of duplicates on one order leaves at most TIMELINE_KEEP lines, each flood one write.
    const flooded = await paidAtProvider(first);
    await notify(first, flooded.orderNo);
    counter.reset();
    const FLOOD = 200;
    for (let i = 0; i < FLOOD; i++) await notify(first, flooded.orderNo, i % 2 ? 'forged' : 'genuine');
    const perNotification = counter.total / FLOOD;
    const floodKinds = JSON.stringify(counter.byKind);
    const order = await store.get(flooded.orderNo);
    const kept = order?.timeline?.length ?? 0;
    console.log(
      `   timeline after ${FLOOD} duplicate and forged notifications on one order: ${kept} lines kept (at most ${TIMELINE_KEEP}), ` +
        `${order?.duplicateNotifications ?? 0} duplicates and ${order?.refusedNotifications ?? 0} refusals counted, ${perNotification.toFixed(2)} database calls each ${floodKinds}`,
    );
    targets.check('CloudBase timeline bounded, no call of its own', kept <= TIMELINE_KEEP && perNotification <= CLOUDBASE_TARGETS.notification, `${kept} lines, ${perNotification.toFixed(1)} calls per notification`);
  } finally {
    for (const [p, s] of silent) stack.simulator(p).silentNotifications = s;
  }
}

async function linesOf(app: App, p: { orderNo?: string }): Promise<number> {
  if (!p.orderNo) return 0;
  const order = await app.store.get(p.orderNo);
  return (order?.timeline ?? []).reduce((n, l) => n + 1 + (l.repeats ?? 0), 0) + (order?.olderLines ?? 0);
}
