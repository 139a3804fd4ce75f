/**
 * `npm run pay-once`: against the `npm start` already running (PORT, default 8787; or
 * `-- --url <base>`), pays one order as a shopper and refunds part of it as the operator,
 * through the same HTTP endpoints the mini program and the console use, so nothing has to be
 * copied from one reply into the next. Then the console at that URL shows both.
 * Exits 1 with the step and the stack's own error when something goes wrong.
 */
import type { Currency } from '../server/core/money';
import { formatAmount } from './demo';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface PayOnceOptions {
  baseUrl: string;
  provider?: string;
  print?: (line: string) => void;
  timeoutMs?: number;
}

export async function payOnce(options: PayOnceOptions): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line));
  const base = options.baseUrl.replace(/\/+$/, '');
  const user = `newcomer${Date.now().toString(36)}`;
  let n = 0;
  const code = (who = user) => `test-${who}-${++n}`;
  const post = async (path: string, data: unknown): Promise<Json> => {
    let res: Response;
    try {
      res = await fetch(base + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(data) });
    } catch {
      throw new Error(`nothing answers at ${base}: start the local stack first (npm start), or pass its address: npm run pay-once -- --url http://127.0.0.1:<port>`);
    }
    const body = (await res.json()) as Json;
    if (body.ok === false) throw new Error(`${path}: ${body.error?.code ?? res.status}: ${body.error?.message ?? ''}`);
    return body;
  };

  try {
    const catalog = await post('/fn/pay', { action: 'catalog', ...(options.provider ? { provider: options.provider } : {}) });
    const provider = catalog.provider.name as string;
    const item = catalog.items[0] as { sku: string; name: string };
    const created = await post('/fn/pay', {
      action: 'createOrder',
      provider,
      items: [{ sku: item.sku, quantity: 2 }],
      code: code(),
      ...(catalog.provider.needsPayCode ? { payCode: code() } : {}),
    });
    const orderNo = created.order.orderNo as string;
    const currency = created.order.currency as Currency;
    print(`1. created order ${orderNo}: 2 × ${item.name} through ${provider}, ${formatAmount(created.order.amount as number, currency)}, PAYING`);
    // The stack kept the five wx.requestPayment parameters; it hands them to the WeChat sandbox.
    const paid = await post(`/api/orders/${orderNo}/shopper`, { result: 'pay' });
    print(`2. paid as the shopper in the WeChat sandbox: ${String(paid.errMsg)}`);
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    let status = '';
    while (status !== 'PAID') {
      status = (await post('/fn/pay', { action: 'queryOrder', orderNo, code: code() })).order.status as string;
      if (status === 'PAID') break;
      if (Date.now() > deadline) throw new Error(`order ${orderNo} is still ${status} after ${options.timeoutMs ?? 10_000} ms: see its timeline at ${base}/`);
      await new Promise((r) => setTimeout(r, 200));
    }
    print(`3. ${provider} notified the stack: the order is PAID`);
    const part = Math.max(1, Math.floor((created.order.amount as number) / 4));
    const refunded = await post('/fn/admin', { action: 'refund', code: code('operator'), orderNo, amount: part, reason: 'pay-once: a partial refund' });
    print(`4. refunded ${formatAmount(part, currency)} as the operator: refund ${refunded.refund.refundNo} ${refunded.refund.status}, order ${refunded.order.status}`);
    print('');
    print(`Open ${base}/ and click the order for its timeline: the payment, its verified notification and the refund.`);
    return 0;
  } catch (e) {
    print(`pay-once stopped: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--url');
  const provider = args.indexOf('--provider');
  const baseUrl = at >= 0 && args[at + 1] ? args[at + 1]! : `http://127.0.0.1:${process.env.PORT ?? '8787'}`;
  void payOnce({ baseUrl, ...(provider >= 0 && args[provider + 1] ? { provider: args[provider + 1]! } : {}) }).then((code) => {
    process.exitCode = code;
  });
}
