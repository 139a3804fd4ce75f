/**
 * Starts a local stack on a free loopback port with an in-memory store, and gives tests a
 * client that speaks only HTTP (as an outside client would).
 */
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../server/core/log';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack';
import type { LatipaySandbox } from '../../local/sandboxes/latipay/sandbox';
import type { NewPaySandbox } from '../../local/sandboxes/newpay/sandbox';
import type { OttpaySandbox } from '../../local/sandboxes/ottpay/sandbox';
import type { WechatSandbox } from '../../local/sandboxes/wechat';
import type { WechatPaySandbox } from '../../local/sandboxes/wechatpay/sandbox';

/** The default simulators, typed for tests that drive them directly. */
export interface TestSandboxes {
  wechat: WechatSandbox;
  latipay: LatipaySandbox;
  ottpay: OttpaySandbox;
  newpay: NewPaySandbox;
  wechatpay: WechatPaySandbox;
}

export interface TestStack extends Omit<LocalStack, 'sandboxes'> {
  sandboxes: TestSandboxes;
  /** POST /fn/<name>; returns HTTP status and parsed JSON. */
  fn(name: string, data: unknown): Promise<{ status: number; body: Record<string, any> }>;
  /** A fresh wx.login code for a test user, in the sandbox's `test-<user>-<n>` form. */
  code(user: string): string;
  requestPayment(payment: Record<string, unknown>, result: 'pay' | 'cancel' | 'fail'): Promise<{ status: number; body: Record<string, any> }>;
  /** Polls queryOrder until the order has `status` (or the timeout passes). */
  waitForStatus(orderNo: string, user: string, status: string, timeoutMs?: number): Promise<Record<string, any>>;
  post(path: string, body: string, contentType: string, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
}

export async function startTestStack(
  env: Record<string, string> = {},
  options: Pick<LocalStackOptions, 'now' | 'providers' | 'simulators'> = {},
): Promise<TestStack> {
  const stack = await startLocalStack({
    port: 0,
    dataDir: ':memory:',
    env: { SANDBOX_RETRY_MS: '100', ...env },
    log: createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent'),
    ...options,
  });
  const json = async (path: string, init: RequestInit) => {
    const res = await fetch(stack.url + path, init);
    const text = await res.text();
    let body: Record<string, any>;
    try {
      body = JSON.parse(text) as Record<string, any>;
    } catch {
      body = { text };
    }
    return { status: res.status, body };
  };
  const t: TestStack = {
    ...stack,
    sandboxes: stack.sandboxes as unknown as TestSandboxes,
    fn: (name, data) => json(`/fn/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(data) }),
    code: (user) => `test-${user}-${randomBytes(6).toString('hex')}`,
    requestPayment: (payment, result) =>
      json('/sandbox/wechat/requestPayment', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...payment, result }),
      }),
    async waitForStatus(orderNo, user, status, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { body } = await t.fn('pay', { action: 'queryOrder', orderNo, code: t.code(user) });
        if (body.order?.status === status || Date.now() > deadline) return body.order as Record<string, any>;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async post(path, body, contentType, headers = {}) {
      const res = await fetch(stack.url + path, { method: 'POST', headers: { ...headers, 'Content-Type': contentType }, body });
      return { status: res.status, text: await res.text() };
    },
  };
  return t;
}
