/**
 * The local stack: one process serving the cloud functions over HTTP, the provider and
 * WeChat simulators, the SQLite store and the developer console. Contract:
 *   GET  /healthz               200 once the store and simulators are up; before that every
 *                               request is answered 503 with Retry-After (never left hanging)
 *   POST /fn/<name>             body = the event a function receives; reply = its result
 *                               (pay, payNotify, admin, reconcile)
 *   POST /notify/<provider>     delivered to payNotify as an HTTP access event
 *   /sandbox/wechat/...         jscode2session, requestPayment
 *   /sandbox/<provider>/...     provider simulators at the providers' real paths, and their
 *                               misbehaviour controls (local/sandboxes/misbehaviour.ts):
 *                               POST next-refund, POST next-query, GET refunds
 *   GET  /                      the developer console (local/console/)
 *   GET  /api/orders[/{orderNo}] what the console shows: orders, timeline (openids and signatures masked)
 *   GET  /api/messages          subscription messages the WeChat sandbox was asked to send
 *   GET  /money.js              services/money.ts (the one money formatter) for the console
 *   POST /api/orders/{orderNo}/shopper  the console plays the shopper with the parameters kept here
 * Development only (local/safety.ts): refuses NODE_ENV=production and non-loopback hosts; a
 * provider whose *_API_BASE is real has no simulator mounted (local/simulated.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createApp, loadConfig, type App } from '../server/app';
import type { Order } from '../server/domain/order';
import { toPublicRefund } from '../server/domain/refund';
import { readSubscribeTemplates } from '../server/wechat/subscribe-messages';
import { httpStatusForCode } from '../server/core/errors';
import { createLogger, type Logger } from '../server/core/log';
import { handleAdmin } from '../server/functions/admin';
import { handlePay } from '../server/functions/pay';
import { handlePayNotify } from '../server/functions/pay-notify';
import { handleReconcile } from '../server/functions/reconcile';
import { SqliteOrderStore } from '../server/store/sqlite/order-store';
import { PROVIDERS } from '../server/providers';
import type { AnyProviderDescriptor } from '../server/providers/descriptor';
import { BoundedMap } from './bounded-map';
import { localEnv, simulatorUrl } from './defaults';
import { maskForConsole } from './dev-view';

/** An order for the console's tables: its timeline and refunds are answered beside it, not inside. */
function orderSummary(order: Order): Omit<Order, 'timeline' | 'refunds'> {
  const { timeline: _t, refunds: _r, ...rest } = order;
  return rest;
}
import { HttpError, headersOf, parseJsonObject, readBody, sendJson, sendText } from './http';
import { SIMULATORS } from './sandboxes';
import type { ProviderSimulator, SimulatorModule } from './sandboxes/simulator';
import { WechatSandbox } from './sandboxes/wechat';
import { assertDevelopmentUse } from './safety';
import { apiBaseVariable, isSimulated } from './simulated';

export interface LocalStackOptions {
  port?: number;
  host?: string;
  /** Directory of the SQLite file; ':memory:' keeps everything in memory (tests). */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  log?: Logger;
  /** The server's clock (tests move it forward to expire orders or pass the reconcile window). */
  now?: () => number;
  /** Provider modules and their simulators (default: the two lists); tests add a fixture provider. */
  providers?: readonly AnyProviderDescriptor[];
  simulators?: readonly SimulatorModule[];
  /** Awaited once the port is open, before anything is prepared (tests hold start-up here). */
  beforeReady?: () => Promise<void>;
}

/** The WeChat sandbox and each provider's simulator, by the name it is mounted under. */
export type LocalSandboxes = { wechat: WechatSandbox } & { readonly [provider: string]: ProviderSimulator | WechatSandbox };

export interface LocalStack {
  url: string;
  app: App;
  env: Record<string, string | undefined>;
  sandboxes: LocalSandboxes;
  /** The mounted simulator of a provider (throws when it has none). */
  simulator(provider: string): ProviderSimulator;
  /** The simulator modules the stack was started with. */
  simulatorModules: readonly SimulatorModule[];
  /** Per simulator name: true when mounted (its *_API_BASE is this stack's), false when real. */
  simulated: Record<string, boolean>;
  close(): Promise<void>;
}

/** The developer console's files (local/console/), served at GET / and GET /<file>. */
const CONSOLE_FILES = new Set(['index.html', 'console.js', 'console.css']);

let moneyScript: string | undefined;
/**
 * The console formats money with the mini program's own formatter (miniprogram/services/money.ts),
 * compiled once to a browser script that defines `window.Money` (esbuild: the stack is a
 * development tool and already runs on it through tsx).
 */
function consoleMoneyScript(): string {
  // Loaded on first use: esbuild refuses to load inside jsdom, where page tests run the stack.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildSync } = require('esbuild') as typeof import('esbuild');
  moneyScript ??= buildSync({
    entryPoints: [join(__dirname, '..', 'miniprogram', 'services', 'money.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'Money',
    target: 'es2017',
  }).outputFiles[0]!.text;
  return moneyScript;
}
const CONSOLE_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

function functionReply(res: ServerResponse, result: Record<string, unknown>): void {
  const error = result.ok === false ? (result.error as { code?: string } | undefined) : undefined;
  sendJson(res, error ? httpStatusForCode(error.code ?? '') : 200, result);
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? createLogger('local');
  const host = options.host ?? '127.0.0.1';
  assertDevelopmentUse(options.env ?? process.env, host);
  const server: Server = createServer();
  // The port opens before the stack knows its own URL (port 0) and has its keys and store:
  // until then every request is answered 503 + Retry-After instead of waiting unanswered.
  const ready: { handle?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  server.on('request', (req, res) => {
    if (ready.handle) return ready.handle(req, res);
    req.resume();
    res.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': '1', Connection: 'close' });
    res.end(JSON.stringify({ ok: false, error: { code: 'STARTING', message: 'the local stack is starting; retry in a second' } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  await options.beforeReady?.();
  const providers = options.providers ?? PROVIDERS;
  const simulators = options.simulators ?? SIMULATORS;
  const env = localEnv(options.env ?? process.env, url, providers, simulators);
  try {
    for (const simulator of simulators) await simulator.prepare?.(env);
  } catch (e) {
    // A start-up that cannot finish closes its port rather than answering 503 for ever.
    server.close();
    throw e;
  }

  let app: App;
  let store: SqliteOrderStore;
  try {
    const config = loadConfig(env, { requireAppSecret: true, providers });
    const dataDir = options.dataDir ?? env.DATA_DIR ?? '.data';
    // A 2 MB page cache (SQLite's stock default): the stack's memory stays flat as orders pile up.
    store = new SqliteOrderStore(dataDir === ':memory:' ? ':memory:' : join(dataDir, 'orders.sqlite'), { cacheKiB: 2048 });
    app = createApp(config, store, { log, providers, subscribe: { templates: readSubscribeTemplates(env) }, ...(options.now ? { now: options.now } : {}) });
  } catch (e) {
    server.close();
    throw e;
  }

  const retryIntervalMs = Number(env.SANDBOX_RETRY_MS ?? 300);
  const sandboxLog = (line: string) => log.debug(line);
  const wechat = new WechatSandbox(app.config.wechat.appId, app.config.wechat.appSecret ?? '');
  // A simulator is mounted only where its provider's *_API_BASE is this stack's own
  // /sandbox/<name> (local/simulated.ts); a provider pointed at a real endpoint has none,
  // and the WeChat sandbox will not pay its orders.
  const apiBaseOf = (name: string) => providers.find((p) => p.name === name)?.apiBaseVariable ?? apiBaseVariable(name);
  const simulated: Record<string, boolean> = { wechat: isSimulated(env.WECHAT_API_BASE, url, 'wechat') };
  const mounted: Record<string, ProviderSimulator> = {};
  for (const simulator of simulators) {
    simulated[simulator.name] = isSimulated(env[apiBaseOf(simulator.name)], url, simulator.name);
    if (!simulated[simulator.name]) {
      wechat.realProviders.add(simulator.name);
      continue;
    }
    try {
      mounted[simulator.name] = await simulator.create({
        env,
        baseUrl: simulatorUrl(url, simulator.name),
        wechat,
        wechatAppId: app.config.wechat.appId,
        wechatAppSecret: app.config.wechat.appSecret ?? '',
        retryIntervalMs,
        log: sandboxLog,
      });
    } catch (e) {
      server.close();
      store.close();
      throw e;
    }
  }
  /** Simulators, each mounted at /sandbox/<name>. */
  const sandboxes: LocalSandboxes = { ...mounted, wechat };

  /**
   * The developer console plays the shopper: the last wx.requestPayment parameters `pay`
   * returned per order (createOrder, retryPayment), kept in memory, shown while PAYING.
   */
  const lastPayments = new BoundedMap<string, Record<string, unknown>>();
  const rememberPayment = (event: Record<string, unknown>, result: Record<string, unknown>) => {
    const orderNo = (result.order as { orderNo?: unknown } | undefined)?.orderNo;
    if (result.ok === true && (event.action === 'createOrder' || event.action === 'retryPayment') && result.payment && typeof orderNo === 'string') {
      lastPayments.set(orderNo, result.payment as Record<string, unknown>);
    }
    return result;
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = new URL(req.url ?? '/', url);
    const path = parsed.pathname;
    const method = req.method ?? 'GET';
    const requireMethod = (m: string) => {
      if (method !== m) throw new HttpError(405, `${path} takes ${m}`, 'METHOD_NOT_ALLOWED');
    };

    if (path === '/healthz') {
      await app.store.listOrders({}, 1); // the store answers
      const simulators = Object.keys(simulated).filter((name) => simulated[name]);
      return sendJson(res, 200, { ok: true, store: 'sqlite', simulators, memory: process.memoryUsage() });
    }

    let m: RegExpExecArray | null;
    if ((m = /^\/fn\/([A-Za-z]+)$/.exec(path))) {
      requireMethod('POST');
      const event = parseJsonObject(await readBody(req));
      if (m[1] === 'pay') return functionReply(res, rememberPayment(event, await handlePay(event, {}, app)));
      if (m[1] === 'payNotify') {
        const reply = await handlePayNotify(event, app.service);
        return sendJson(res, reply.statusCode >= 400 ? reply.statusCode : 200, reply);
      }
      if (m[1] === 'admin') return functionReply(res, await handleAdmin(event, {}, app));
      if (m[1] === 'reconcile') {
        // What the timer trigger runs; the event is ignored like the timer's.
        return functionReply(res, { ...(await handleReconcile(app, env)) });
      }
      throw new HttpError(404, `no cloud function "${m[1]}" (have: pay, payNotify, admin, reconcile)`, 'NOT_FOUND');
    }
    if ((m = /^\/notify\/([A-Za-z0-9_-]+)$/.exec(path))) {
      requireMethod('POST');
      const body = await readBody(req);
      const reply = await handlePayNotify(
        {
          path,
          httpMethod: method,
          headers: headersOf(req),
          queryStringParameters: Object.fromEntries(parsed.searchParams),
          body: body.toString('base64'),
          isBase64Encoded: true,
        },
        app.service,
      );
      res.writeHead(reply.statusCode, reply.headers);
      res.end(reply.body);
      return;
    }
    if ((m = /^\/sandbox\/([a-z]+)(\/.*)?$/.exec(path))) {
      const name = m[1] as string;
      const sandbox = name === 'wechat' ? (simulated.wechat ? wechat : undefined) : mounted[name];
      if (!sandbox && name in simulated) {
        throw new HttpError(404, `no simulator "${name}": ${name === 'wechat' ? 'WECHAT_API_BASE' : apiBaseOf(name)} points at a real endpoint`, 'NOT_FOUND');
      }
      if (!sandbox) throw new HttpError(404, `no simulator "${m[1]}" (have: ${Object.keys(sandboxes).join(', ')})`, 'NOT_FOUND');
      const rawBody = await readBody(req);
      const reply = await sandbox.handle({
        method,
        path: m[2] ?? '/',
        query: parsed.searchParams,
        headers: headersOf(req),
        rawBody,
        json: () => parseJsonObject(rawBody),
      });
      // A simulator losing its answer: the request was processed, the connection just dies.
      if (reply.drop) {
        req.socket.destroy();
        return;
      }
      // A simulator's own headers travel too (WeChat Pay signs its answers in Wechatpay-* headers).
      if (typeof reply.body === 'string') return sendText(res, reply.status, reply.body, reply.headers?.['Content-Type'], reply.headers);
      return sendJson(res, reply.status, reply.body);
    }
    if (path === '/api/messages') {
      // Subscription messages the WeChat sandbox was asked to send (openids masked).
      requireMethod('GET');
      const messages = wechat.sentMessages().map(({ touser, ...m }) => ({ ...m, openid: touser })); // masked as an openid
      return sendJson(res, 200, maskForConsole({ ok: true, messages }));
    }
    if (path === '/api/orders') {
      requireMethod('GET');
      return sendJson(res, 200, { ok: true, orders: maskForConsole((await app.store.listOrders({}, 200)).map(orderSummary)) });
    }
    if ((m = /^\/api\/orders\/([0-9A-Za-z_-]+)\/shopper$/.exec(path))) {
      requireMethod('POST');
      return playShopper(res, m[1] as string, parseJsonObject(await readBody(req)).result);
    }
    if ((m = /^\/api\/orders\/([0-9A-Za-z_-]+)$/.exec(path))) {
      requireMethod('GET');
      const order = await app.store.get(m[1] as string);
      if (!order) throw new HttpError(404, `order ${m[1]} not found`, 'NOT_FOUND');
      const payment = order.status === 'PAYING' ? lastPayments.get(order.orderNo) : undefined;
      const events = (order.timeline ?? []).map((line) => ({ orderNo: order.orderNo, ...line }));
      const refunds = (order.refunds ?? []).map(toPublicRefund);
      return sendJson(res, 200, maskForConsole({ ok: true, order: orderSummary(order), events, olderLines: order.olderLines ?? 0, refunds, payable: Boolean(payment && simulated.wechat), ...(payment ? { payment } : {}) }));
    }
    // The developer console: static files from local/console/, no build step.
    if (path === '/money.js') {
      requireMethod('GET');
      return sendText(res, 200, consoleMoneyScript(), 'text/javascript; charset=utf-8');
    }
    const consoleFile = path === '/' ? 'index.html' : CONSOLE_FILES.has(path.slice(1)) ? path.slice(1) : undefined;
    if (consoleFile) {
      requireMethod('GET');
      const type = CONSOLE_TYPES[extname(consoleFile)] ?? 'text/plain; charset=utf-8';
      return sendText(res, 200, await readFile(join(__dirname, 'console', consoleFile), 'utf8'), type);
    }
    throw new HttpError(404, `no route for ${method} ${path}`, 'NOT_FOUND');
  }

  /** The console's Pay / Cancel / Fail: the kept parameters go to the WeChat sandbox from here. */
  async function playShopper(res: ServerResponse, orderNo: string, result: unknown): Promise<void> {
    const order = await app.store.get(orderNo);
    if (!order) throw new HttpError(404, `order ${orderNo} not found`, 'NOT_FOUND');
    const payment = order.status === 'PAYING' ? lastPayments.get(orderNo) : undefined;
    if (!payment) throw new HttpError(409, `no payment parameters kept for ${orderNo} (not PAYING, or created before this stack started)`, 'NOT_PAYABLE');
    if (!simulated.wechat) throw new HttpError(409, 'WECHAT_API_BASE points at the real WeChat: pay in WeChat', 'NOT_PAYABLE');
    const reply = wechat.requestPayment({ ...payment, result: result ?? 'pay' });
    return sendJson(res, reply.status, reply.body);
  }

  ready.handle = (req, res) => {
    route(req, res).catch((e: unknown) => {
      if (e instanceof HttpError) {
        sendJson(res, e.status, { ok: false, error: { code: e.code, message: e.message } });
      } else {
        log.error('local stack request failed', { path: req.url, error: e instanceof Error ? e.stack : String(e) });
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'internal error' } });
      }
    });
  };

  return {
    url,
    app,
    env,
    sandboxes,
    simulator: (provider) => {
      const found = mounted[provider];
      if (!found) throw new Error(`no simulator for "${provider}" on this stack`);
      return found;
    },
    simulatorModules: simulators,
    simulated,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          store.close();
          resolve();
        });
      }),
  };
}
