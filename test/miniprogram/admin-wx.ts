/**
 * A scripted `wx` for the operator page tests (admin-*.test.ts), on its own so the shopper
 * pages' wx-mock can change without touching these. Every callback is delivered on a
 * microtask: no timers, so `flush()` (promise turns only) is all a test ever waits.
 * `admin(event)` answers the `admin` function, `pay(event)` the `pay` function (catalog),
 * whether the page goes through wx.request (local stack) or wx.cloud.callFunction (cloud).
 */
import path from 'node:path';
import simulate from 'miniprogram-simulate';

type Callbacks = { success?: (res: any) => void; fail?: (err: any) => void };
type Handler = jest.Mock<Promise<any>, [Record<string, any>]>;

export interface AdminWx {
  admin: Handler;
  pay: Handler;
  /** The next this-many admin calls fail as if the network were down (then it is back). */
  failNext: number;
  language: string;
  titles: string[];
  navigateTo: string[];
  /** Every event sent to the admin function, in order, optionally for one action. */
  events(action?: string): Record<string, any>[];
  api: Record<string, any>;
}

export const MINIPROGRAM = path.resolve(__dirname, '../../miniprogram');
export const ADMIN_ORDERS = path.join(MINIPROGRAM, 'pages/admin/orders/index');
export const ADMIN_ORDER = path.join(MINIPROGRAM, 'pages/admin/order/index');

export function installAdminWx(): AdminWx {
  const sent: Record<string, any>[] = [];
  const mock: AdminWx = {
    admin: jest.fn(async (_event: Record<string, any>) => ({ ok: false, error: { code: 'INTERNAL', message: 'no answer scripted' } })),
    pay: jest.fn(async (_event: Record<string, any>) => ({ ok: true, currency: 'NZD', decimals: 2, items: [], providers: [] })),
    failNext: 0,
    language: 'en',
    titles: [],
    navigateTo: [],
    events: (action) => sent.filter((e) => action === undefined || e.action === action),
    api: {},
  };
  const answer = async (name: string, data: Record<string, any>): Promise<any> => {
    if (name === 'admin' && mock.failNext > 0) {
      mock.failNext -= 1;
      sent.push(JSON.parse(JSON.stringify(data)));
      throw new Error('network down');
    }
    if (name === 'admin') {
      sent.push(JSON.parse(JSON.stringify(data)));
      return mock.admin(data);
    }
    return mock.pay(data);
  };
  const api = {
    request: jest.fn((opts: Callbacks & { url: string; data: Record<string, any> }) => {
      const name = /\/fn\/([^/?]+)$/.exec(opts.url)?.[1] ?? '';
      void Promise.resolve()
        .then(() => answer(name, opts.data))
        .then(
          (data) => opts.success?.({ statusCode: data?.ok === false ? 400 : 200, data }),
          () => opts.fail?.({ errMsg: 'request:fail timeout' }),
        );
    }),
    cloud: {
      callFunction: jest.fn((opts: { name: string; data: Record<string, any> }) => answer(opts.name, opts.data).then((result) => ({ result, errMsg: 'cloud.callFunction:ok' }))),
    },
    login: jest.fn((opts: Callbacks) => void Promise.resolve().then(() => opts.success?.({ code: `wx-code-${Math.random().toString(36).slice(2)}`, errMsg: 'login:ok' }))),
    getAppBaseInfo: jest.fn(() => ({ language: mock.language, SDKVersion: '3.6.0' })),
    setNavigationBarTitle: jest.fn((opts: { title: string }) => mock.titles.push(opts.title)),
    navigateTo: jest.fn((opts: { url: string }) => mock.navigateTo.push(opts.url)),
    navigateBack: jest.fn(),
    redirectTo: jest.fn(),
    reLaunch: jest.fn(),
    getWindowInfo: jest.fn(() => ({ windowWidth: 375, windowHeight: 812, screenWidth: 375, screenHeight: 812, pixelRatio: 2, statusBarHeight: 44 })),
    getDeviceInfo: jest.fn(() => ({ platform: 'devtools', system: 'iOS 17', brand: 'devtools', model: 'iPhone' })),
    stopPullDownRefresh: jest.fn(),
  };
  mock.api = api;
  (globalThis as any).wx = Object.assign((globalThis as any).wx ?? {}, api);
  return mock;
}

/** Lets pending promise chains (mocked wx callbacks, taps, setData) run; no timer involved. */
export async function flush(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}

/** The mini program's config object as the page about to be rendered will see it (after jest.resetModules). */
export function miniConfig(): { backend: 'cloud' | 'local'; adminLocalUser: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(MINIPROGRAM, 'config')).config;
}

/** Renders a page fresh (its modules re-run, so config edits made before apply). */
export function renderPage(pagePath: string): any {
  const page = simulate.render(simulate.load(pagePath));
  page.attach(document.createElement('parent-wrapper'));
  return page;
}

/** Taps the `index`th element matching `selector` and lets the handler run. */
export async function tap(page: any, selector: string, index = 0): Promise<void> {
  const el = page.querySelectorAll(selector)[index];
  if (!el) throw new Error(`nothing matches ${selector}`);
  el.dispatchEvent('tap');
  await flush();
}

export function text(page: any, selector: string): string {
  const el = page.querySelector(selector);
  if (!el) throw new Error(`nothing matches ${selector}`);
  return String(el.dom.textContent).trim();
}

export function texts(page: any, selector: string): string[] {
  return page.querySelectorAll(selector).map((el: any) => String(el.dom.textContent).trim());
}

// --- Replies as the admin function sends them ---

export function adminOrder(overrides: Record<string, any> = {}): Record<string, any> {
  return {
    orderNo: '20261202000000000001',
    status: 'PAID',
    amount: 2000,
    currency: 'NZD',
    provider: 'latipay',
    description: 'Flat white ×2',
    items: [{ sku: 'coffee', name: 'Flat white', quantity: 2, unitPrice: 1000 }],
    createdAt: new Date(2026, 11, 2, 9, 5, 7).getTime(),
    paidAt: new Date(2026, 11, 2, 9, 6, 0).getTime(),
    expiresAt: new Date(2026, 11, 2, 9, 35, 7).getTime(),
    openid: 'o***9',
    providerRef: 'LP-123',
    updatedAt: new Date(2026, 11, 2, 9, 6, 0).getTime(),
    // As the admin function sends it: the currency's minor-unit digits.
    decimals: (overrides.currency ?? 'NZD') === 'LAK' ? 0 : 2,
    ...overrides,
  };
}

export function publicRefund(overrides: Record<string, any> = {}): Record<string, any> {
  return {
    refundNo: 'RPREVIOUS0000000001',
    orderNo: '20261202000000000001',
    amount: 500,
    currency: 'NZD',
    status: 'SUCCEEDED',
    createdAt: new Date(2026, 11, 2, 10, 0, 0).getTime(),
    updatedAt: new Date(2026, 11, 2, 10, 0, 1).getTime(),
    settledAt: new Date(2026, 11, 2, 10, 0, 1).getTime(),
    ...overrides,
  };
}
