/**
 * `npm run demo` (scripts/demo.ts): the scripted shopper pays through every enabled provider
 * on a stack of its own and exits 0 only when every payment reached PAID.
 */
import { formatAmount, main } from '../../scripts/demo';
import { payOnce } from '../../scripts/pay-once';
import { startTestStack } from '../helpers/local-stack';
import { PROVIDERS } from '../../server/providers';

describe('npm run demo', () => {
  it('pays once through every enabled provider and prints each timeline', async () => {
    const lines: string[] = [];
    const code = await main({ print: (line) => lines.push(line), providers: 'latipay,ottpay,newpay' });
    const output = lines.join('\n');
    expect(code).toBe(0);
    expect(output).toMatch(/All \d+ payments reached PAID\./);
    for (const provider of ['latipay', 'ottpay', 'newpay']) {
      expect(output).toMatch(new RegExp(`✔ ${provider} {2}order \\d+ .* PAID in \\d+ ms`));
    }
    // Each timeline: relative times, the verified notification and the state change to PAID.
    expect(output).toMatch(/\+0 ms {2}created/);
    // A notification settles each; where its outcome is unsigned (OTT Pay without order_status) a query confirms it.
    expect(output.match(/→ PAID \((notification|query)\)/g)).toHaveLength(3);
    expect(output).not.toContain('✘');
  }, 40_000);

  it('runs only the providers it is given', async () => {
    const lines: string[] = [];
    await expect(main({ print: (line) => lines.push(line), providers: 'latipay' })).resolves.toBe(0);
    expect(lines.filter((l) => /^[✔✘] /.test(l))).toHaveLength(1);
  });

  it('PAY_PROVIDERS=bogus: a message naming the variable and the providers it takes, exit 2, no stack trace', async () => {
    const lines: string[] = [];
    await expect(main({ print: (line) => lines.push(line), providers: 'bogus' })).resolves.toBe(2);
    const output = lines.join('\n');
    expect(output).toContain('The demo could not start');
    expect(output).toContain(`PAY_PROVIDERS: has unknown entries ["bogus"] (allowed: ${PROVIDERS.map((p) => p.name).join(', ')})`);
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('formats amounts per currency', () => {
    expect(formatAmount(1100, 'NZD')).toBe('11.00 NZD');
    expect(formatAmount(1_250_000, 'LAK')).toBe('1,250,000 LAK');
  });
});

describe('npm run pay-once', () => {
  it('pays one order and refunds part of it on a running stack, with nothing copied by hand', async () => {
    const stack = await startTestStack();
    try {
      const lines: string[] = [];
      await expect(payOnce({ baseUrl: stack.url, print: (l) => lines.push(l) })).resolves.toBe(0);
      const orderNo = /created order (\d+)/.exec(lines.join('\n'))?.[1];
      const stored = await stack.app.store.get(orderNo!);
      expect(stored).toMatchObject({ status: 'PARTIALLY_REFUNDED' });
      expect(lines.join('\n')).toContain(`Open ${stack.url}/`);
    } finally {
      await stack.close();
    }
  });

  it('says how to start the stack when nothing answers', async () => {
    const lines: string[] = [];
    await expect(payOnce({ baseUrl: 'http://127.0.0.1:1', print: (l) => lines.push(l) })).resolves.toBe(1);
    expect(lines.join('\n')).toContain('start the local stack first (npm start)');
  });
});
