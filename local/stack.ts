/**
 * The local stack: one process serving the cloud functions over HTTP, the provider and
 * WeChat simulators, the SQLite store and the developer console. Contract:
 *   GET  /healthz
 *   POST /fn/<name>             body = the event a function receives; reply = its result
 *   POST /notify/<provider>     delivered to payNotify as an HTTP access event
 *   /sandbox/wechat/...         jscode2session, requestPayment
 *   /sandbox/<provider>/...     provider simulators at the providers' real paths
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApp, type App } from '../server/app';
import { loadConfig } from '../server/config';
import { createLogger, type Logger } from '../server/core/log';
import { handlePay } from '../server/functions/pay';
import { handlePayNotify } from '../server/functions/pay-notify';
import { SqliteOrderStore } from '../server/orders/sqlite-store';
import { localEnv } from './defaults';
import { HttpError, headersOf, parseJsonObject, readBody, sendJson, sendText } from './http';
import { LatipaySandbox } from './sandboxes/latipay';
import { WechatSandbox } from './sandboxes/wechat';

export interface LocalStackOptions {
  port?: number;
  host?: string;
  /** Directory of the SQLite file; ':memory:' keeps everything in memory (tests). */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  log?: Logger;
}

export interface LocalStack {
  url: string;
  app: App;
  env: Record<string, string | undefined>;
  sandboxes: { wechat: WechatSandbox; latipay: LatipaySandbox };
  close(): Promise<void>;
}

/** HTTP status for a function's `{ok: false}` reply, by error code. */
export function statusForErrorCode(code: string): number {
  if (code === 'INVALID_INPUT') return 400;
  if (code.startsWith('LOGIN_')) return 401;
  if (code === 'NOT_FOUND') return 404;
  if (code.startsWith('ORDER_') || code === 'DUPLICATE_ORDER') return 409;
  if (code === 'SIGNATURE_INVALID') return 401;
  if (code === 'PROVIDER_ERROR') return 502;
  return 500;
}

function functionReply(res: ServerResponse, result: Record<string, unknown>): void {
  const error = result.ok === false ? (result.error as { code?: string } | undefined) : undefined;
  sendJson(res, error ? statusForErrorCode(error.code ?? '') : 200, result);
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? createLogger('local');
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}`;
  const env = localEnv(options.env ?? process.env, url);

  let app: App;
  let store: SqliteOrderStore;
  try {
    const config = loadConfig(env, { requireAppSecret: true });
    const dataDir = options.dataDir ?? env.DATA_DIR ?? '.data';
    store = new SqliteOrderStore(dataDir === ':memory:' ? ':memory:' : join(dataDir, 'orders.sqlite'));
    app = createApp(config, store, { log });
  } catch (e) {
    server.close();
    throw e;
  }

  const retryIntervalMs = Number(env.SANDBOX_RETRY_MS ?? 300);
  const sandboxLog = (line: string) => log.debug(line);
  const wechat = new WechatSandbox(app.config.wechat.appId, app.config.wechat.appSecret ?? '');
  const latipay = new LatipaySandbox({
    userId: env.LATIPAY_USER_ID ?? '',
    walletId: env.LATIPAY_WALLET_ID ?? '',
    apiKey: env.LATIPAY_API_KEY ?? '',
    currency: env.LATIPAY_CURRENCY ?? 'NZD',
    appId: app.config.wechat.appId,
    wechatPayKey: env.SANDBOX_WECHAT_PAY_KEY ?? '',
    wechat,
    retryIntervalMs,
    log: sandboxLog,
  });

  /** Simulators, each mounted at /sandbox/<key>. */
  const sandboxes = { wechat, latipay };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = new URL(req.url ?? '/', url);
    const path = parsed.pathname;
    const method = req.method ?? 'GET';
    const requireMethod = (m: string) => {
      if (method !== m) throw new HttpError(405, `${path} takes ${m}`, 'METHOD_NOT_ALLOWED');
    };

    if (path === '/healthz') return sendJson(res, 200, { ok: true });

    let m: RegExpExecArray | null;
    if ((m = /^\/fn\/([A-Za-z]+)$/.exec(path))) {
      requireMethod('POST');
      const event = parseJsonObject(await readBody(req));
      if (m[1] === 'pay') return functionReply(res, await handlePay(event, {}, app));
      if (m[1] === 'payNotify') {
        const reply = await handlePayNotify(event, app.service);
        return sendJson(res, reply.statusCode >= 400 ? reply.statusCode : 200, reply);
      }
      throw new HttpError(404, `no cloud function "${m[1]}" (have: pay, payNotify)`, 'NOT_FOUND');
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
      const sandbox = sandboxes[m[1] as keyof typeof sandboxes];
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
      if (typeof reply.body === 'string') return sendText(res, reply.status, reply.body);
      return sendJson(res, reply.status, reply.body);
    }
    if (path === '/api/orders') {
      requireMethod('GET');
      return sendJson(res, 200, { ok: true, orders: await app.store.listRecent(200) });
    }
    if ((m = /^\/api\/orders\/([0-9A-Za-z_-]+)$/.exec(path))) {
      requireMethod('GET');
      const order = await app.store.get(m[1] as string);
      if (!order) throw new HttpError(404, `order ${m[1]} not found`, 'NOT_FOUND');
      return sendJson(res, 200, { ok: true, order, events: await app.store.listEvents(order.orderNo) });
    }
    if (path === '/') {
      requireMethod('GET');
      return sendText(res, 200, `Local stack is running at ${url}. See README.md for the endpoints.\n`);
    }
    throw new HttpError(404, `no route for ${method} ${path}`, 'NOT_FOUND');
  }

  server.on('request', (req, res) => {
    route(req, res).catch((e: unknown) => {
      if (e instanceof HttpError) {
        sendJson(res, e.status, { ok: false, error: { code: e.code, message: e.message } });
      } else {
        log.error('local stack request failed', { path: req.url, error: e instanceof Error ? e.stack : String(e) });
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'internal error' } });
      }
    });
  });

  return {
    url,
    app,
    env,
    sandboxes,
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
