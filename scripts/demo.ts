/**
 * `npm run demo`: a scripted shopper pays once through every enabled provider on a local
 * stack of its own (free port, in-memory store, the simulators' defaults; no account, no
 * real provider is ever called), then prints each payment's timeline. Exits non-zero if a
 * payment does not reach PAID within 10 s.
 */
import { ConfigError } from '../server/core/errors';
import { createLogger } from '../server/core/log';
import { toDecimalString, type Currency } from '../server/core/money';
import { startLocalStack, type LocalStack } from '../local/stack';

export interface DemoOptions {
  /** Where the report goes (default: console.log). */
  print?: (line: string) => void;
  /** How long each payment may take to reach PAID (default 10 s). */
  timeoutMs?: number;
  /** PAY_PROVIDERS for the demo's stack (default: the environment's, else every simulated one). */
  providers?: string;
}

interface DemoEvent {
  at: number;
  type: string;
  detail: Record<string, unknown>;
}

interface DemoResult {
  provider: string;
  ok: boolean;
  orderNo?: string;
  status?: string;
  ms: number;
  error?: string;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** 1100 NZD → "11.00 NZD", 195000 LAK → "195,000 LAK". */
export function formatAmount(amount: number, currency: Currency): string {
  const [whole = '', fraction] = toDecimalString({ amount, currency }).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction !== undefined ? `.${fraction}` : ''} ${currency}`;
}

function describe(e: DemoEvent): string {
  const d = e.detail;
  switch (e.type) {
    case 'created':
      return `${String(d.amount)} ${String(d.currency)}, ${String(d.items)} line(s)`;
    case 'provider_request':
      return `to ${String(d.provider)}, notify at ${String(d.notifyUrl)}`;
    case 'provider_response':
      return `ref ${String(d.providerRef ?? '—')}${d.signType ? `, signType ${String(d.signType)}` : ''}`;
    case 'notification':
      return d.verified === true && !d.refused
        ? `verified, ${d.applied ? 'applied' : 'not applied (duplicate)'}${d.summary ? ` — ${String(d.summary)}` : ''}`
        : `refused: ${String(d.refused ?? 'not verified')}`;
    case 'status_changed':
      return `${d.from ? `${String(d.from)} ` : ''}→ ${String(d.to)}${d.source ? ` (${String(d.source)})` : ''}`;
    default:
      return Object.entries(d)
        .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join(', ');
  }
}

/** Runs the demo; resolves to the process exit code (0: every payment PAID). */
export async function main(options: DemoOptions = {}): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const providers = options.providers ?? process.env.PAY_PROVIDERS;
  // Only the simulators' defaults: real credentials in the environment are never used here.
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      port: 0,
      dataDir: ':memory:',
      env: { SANDBOX_RETRY_MS: '100', ...(providers ? { PAY_PROVIDERS: providers } : {}) },
      log: createLogger('demo', 'warn'),
    });
  } catch (e) {
    // A bad PAY_PROVIDERS (or any variable) is the developer's to fix: say which, not a stack trace.
    if (!(e instanceof ConfigError)) throw e;
    print(`The demo could not start: ${e.message}`);
    return 2;
  }
  let n = 0;
  const code = () => `test-demo-${++n}`;
  const post = async (path: string, data: unknown): Promise<{ status: number; body: Json }> => {
    const res = await fetch(stack.url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(data) });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const fail = (reply: { status: number; body: Json }, step: string) =>
    new Error(`${step}: HTTP ${reply.status} ${reply.body.error?.code ?? ''} ${reply.body.error?.message ?? reply.body.errMsg ?? ''}`.trim());

  const results: DemoResult[] = [];
  try {
    print(`Demo on a local stack at ${stack.url} (providers: ${stack.app.config.providers.join(', ')})`);
    for (const provider of stack.app.config.providers) {
      const started = Date.now();
      const result: DemoResult = { provider, ok: false, ms: 0 };
      results.push(result);
      try {
        const catalog = await post('/fn/pay', { action: 'catalog', provider });
        if (!catalog.body.ok) throw fail(catalog, 'catalog');
        const items = (catalog.body.items as { sku: string }[]).slice(0, 2).map((i, k) => ({ sku: i.sku, quantity: k + 1 }));
        const created = await post('/fn/pay', {
          action: 'createOrder',
          provider,
          items,
          code: code(),
          // A provider that spends a login code of its own (the catalog says so) gets a second one.
          ...(catalog.body.provider?.needsPayCode ? { payCode: code() } : {}),
        });
        if (!created.body.ok) throw fail(created, 'createOrder');
        const orderNo = created.body.order.orderNo as string;
        result.orderNo = orderNo;
        const paid = await post('/sandbox/wechat/requestPayment', { ...created.body.payment, result: 'pay' });
        if (paid.body.errMsg !== 'requestPayment:ok') throw fail(paid, 'requestPayment');
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const q = await post('/fn/pay', { action: 'queryOrder', orderNo, code: code() });
          if (!q.body.ok) throw fail(q, 'queryOrder');
          result.status = q.body.order.status as string;
          if (result.status === 'PAID') break;
          if (Date.now() > deadline) throw new Error(`still ${result.status} after ${timeoutMs} ms`);
          await new Promise((r) => setTimeout(r, 100));
        }
        result.ok = true;
      } catch (e) {
        result.error = e instanceof Error ? e.message : String(e);
      }
      result.ms = Date.now() - started;

      print('');
      const order = result.orderNo ? ((await (await fetch(`${stack.url}/api/orders/${result.orderNo}`)).json()) as Json) : undefined;
      const amount = order?.order ? formatAmount(order.order.amount as number, order.order.currency as Currency) : '';
      print(`${result.ok ? '✔' : '✘'} ${provider}  order ${result.orderNo ?? '—'}  ${amount}  ${result.ok ? `PAID in ${result.ms} ms` : `FAILED: ${result.error}`}`);
      const events = (order?.events ?? []) as DemoEvent[];
      const start = events[0]?.at ?? 0;
      for (const e of events) {
        print(`  ${`+${e.at - start} ms`.padStart(9)}  ${e.type.padEnd(18)} ${describe(e)}`);
      }
    }
  } finally {
    await stack.close();
  }
  const failed = results.filter((r) => !r.ok);
  print('');
  print(failed.length === 0 ? `All ${results.length} payments reached PAID.` : `${failed.length} of ${results.length} payments did not reach PAID: ${failed.map((r) => r.provider).join(', ')}`);
  return failed.length === 0 && results.length > 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      // Anything unexpected: one line, not a stack trace (DEBUG=1 shows it).
      console.error(`The demo failed: ${e instanceof Error ? e.message : String(e)}`);
      if (process.env.DEBUG) console.error(e);
      process.exit(1);
    },
  );
}
