/**
 * A scripted `wx` for page tests: each API the pages use is a jest mock whose behaviour a
 * test sets. The backend is answered by `backend(event)`, as the `pay` function would; or,
 * with `forwardTo(url)`, every wx.request really goes over HTTP to that local stack.
 */
import { request as httpRequest } from 'node:http';

type Callbacks = { success?: (res: any) => void; fail?: (err: any) => void; complete?: () => void };

export interface WxMock {
  /** Answers `(data, functionName)`: the event, and which cloud function it was sent to. */
  backend: jest.Mock<Promise<any>, [Record<string, any>, string]>;
  /** The shopper's choice in the simulated WeChat Pay sheet: index into Pay / Cancel / Fail. */
  sheetChoice: number;
  /** What the requestPayment sandbox answers (mocked mode only). */
  sandboxErrMsg: (result: string) => string;
  networkDown: boolean;
  language: string;
  /** When set, wx.request goes to this base URL over real HTTP (fetch), sandbox included. */
  forwardTo: string | undefined;
  api: Record<string, jest.Mock>;
  calls: { requestPayment: Record<string, unknown>[]; navigateTo: string[]; redirectTo: string[]; reLaunch: string[]; titles: string[] };
}

export function installWxMock(): WxMock {
  const mock: WxMock = {
    backend: jest.fn(),
    sheetChoice: 0,
    sandboxErrMsg: (result) => (result === 'pay' ? 'requestPayment:ok' : result === 'cancel' ? 'requestPayment:fail cancel' : 'requestPayment:fail declined'),
    networkDown: false,
    language: 'en',
    forwardTo: undefined,
    api: {},
    calls: { requestPayment: [], navigateTo: [], redirectTo: [], reLaunch: [], titles: [] },
  };
  // node:http, not fetch: jsdom test environments have no fetch.
  const forward = (opts: Callbacks & { url: string; data: Record<string, unknown> }) => {
    const target = new URL(new URL(opts.url).pathname, mock.forwardTo);
    const body = JSON.stringify(opts.data);
    const req = httpRequest(target, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          opts.success?.({ statusCode: res.statusCode, data: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch {
          opts.fail?.({ errMsg: 'request:fail invalid JSON' });
        }
      });
    });
    req.on('error', (err) => opts.fail?.({ errMsg: `request:fail ${err.message}` }));
    req.end(body);
  };
  const api = {
    request: jest.fn((opts: Callbacks & { url: string; data: Record<string, unknown> }) => {
      if (opts.url.endsWith('/sandbox/wechat/requestPayment')) mock.calls.requestPayment.push(opts.data);
      if (mock.forwardTo && !mock.networkDown) return void forward(opts);
      void Promise.resolve().then(async () => {
        if (mock.networkDown) return opts.fail?.({ errMsg: 'request:fail timeout' });
        if (opts.url.endsWith('/sandbox/wechat/requestPayment')) {
          return opts.success?.({ statusCode: 200, data: { errMsg: mock.sandboxErrMsg(String(opts.data.result)) } });
        }
        const data = await mock.backend(opts.data, /\/fn\/([^/?]+)$/.exec(opts.url)?.[1] ?? '');
        opts.success?.({ statusCode: 200, data });
      });
    }),
    showActionSheet: jest.fn((opts: Callbacks) => void Promise.resolve().then(() => opts.success?.({ tapIndex: mock.sheetChoice }))),
    navigateTo: jest.fn((opts: { url: string }) => mock.calls.navigateTo.push(opts.url)),
    redirectTo: jest.fn((opts: { url: string }) => mock.calls.redirectTo.push(opts.url)),
    reLaunch: jest.fn((opts: { url: string }) => mock.calls.reLaunch.push(opts.url)),
    navigateBack: jest.fn(),
    getAppBaseInfo: jest.fn(() => ({ language: mock.language, SDKVersion: '3.6.0', theme: 'light' })),
    // What TDesign's components read about the screen: a 375 px wide phone.
    getWindowInfo: jest.fn(() => ({ windowWidth: 375, windowHeight: 812, screenWidth: 375, screenHeight: 812, pixelRatio: 2, statusBarHeight: 44 })),
    getDeviceInfo: jest.fn(() => ({ platform: 'devtools', system: 'iOS 17', brand: 'devtools', model: 'iPhone' })),
    setNavigationBarTitle: jest.fn((opts: { title: string }) => mock.calls.titles.push(opts.title)),
    setClipboardData: jest.fn((opts: Callbacks & { data: string }) => opts.success?.({})),
    showToast: jest.fn(),
    pageScrollTo: jest.fn(),
    stopPullDownRefresh: jest.fn(),
    login: jest.fn((opts: Callbacks) => opts.success?.({ code: 'real-code', errMsg: 'login:ok' })),
  };
  mock.api = api;
  Object.assign((globalThis as any).wx ?? ((globalThis as any).wx = {}), api);
  // TDesign's components call getApp() when they are created.
  (globalThis as any).getApp = () => ({ globalData: {} });
  return mock;
}

/** Lets pending promise chains (mocked wx callbacks, setData) run; no timer involved. */
export async function flush(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}

/**
 * Waits until `predicate` holds, for flows that really go over HTTP (the local stack):
 * it yields to the event loop between checks and gives up after `timeoutMs`.
 */
export async function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 0)); // a turn of the event loop (jsdom has no setImmediate)
  }
}

/** A catalog reply in the server's shape (ProviderInfo and both languages' names). */
export function catalogReply(provider: Partial<Record<string, unknown>> & { name: string }, currency = 'NZD', decimals = 2) {
  const prices: Record<string, number[]> = { NZD: [550, 725], LAK: [75000, 98000], CAD: [475, 650] };
  const [coffee, cake] = prices[currency] ?? [550, 725];
  const info = { displayName: provider.name, currencies: [{ code: currency, decimals }], needsPayCode: false, canReissue: true, hasCashier: false, canQuery: true, ...provider };
  return {
    ok: true,
    currency,
    decimals,
    items: [
      { sku: 'coffee', name: 'Flat white', names: { en: 'Flat white', zh_CN: '馥芮白' }, price: coffee },
      { sku: 'cake', name: 'Carrot cake', names: { en: 'Carrot cake', zh_CN: '胡萝卜蛋糕' }, price: cake },
    ],
    provider: info,
    providers: [info],
  };
}
