/**
 * The preview's first half, run inside jest's jsdom (test/miniprogram/preview.test.ts):
 * drives each page into each of its states with miniprogram-simulate, then writes what it
 * rendered as a static HTML page at 375 px: wx tags kept as custom elements with WeChat's
 * base styles, the page's and the components' WXSS (rpx → px at 0.5, as on a 375 px phone),
 * app.wxss, a WeChat navigation bar with the title the page set, icons as inline SVG, and
 * the QR code drawn from TDesign's own encoder. Elements with a tap listener are marked
 * `data-tap` so the browser half (scripts/preview/shoot.ts) can measure tap targets.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import simulate from 'miniprogram-simulate';
import exparser from 'miniprogram-exparser';
import { loadPage, MINIPROGRAM } from '../load-page';
import { flush, installWxMock, type WxMock } from '../wx-mock';
import { iconSvg } from './icons';

// --- rendering hooks, installed once, on the same module instances simulate uses ---

/** 1 rpx = 0.5 px on a 375 px wide screen (750 rpx = the screen's width). */
export const rpxToPx = (css: string) => css.replace(/(-?\d*\.?\d+)rpx/gi, (_all, n: string) => `${Number(n) / 2}px`);
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('miniprogram-simulate/src/utils').transformRpx = rpxToPx;
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('j-component/src/tool/utils').transformRpx = rpxToPx;
const ex = exparser as unknown as { addListenerToElement: (node: any, name: string, ...rest: unknown[]) => unknown };
const addListener = ex.addListenerToElement;
ex.addListenerToElement = function (node: any, name: string, ...rest: unknown[]) {
  if (name === 'tap' && node?.$$?.setAttribute) node.$$.setAttribute('data-tap', '');
  return addListener.call(this, node, name, ...rest);
};

// --- the shop the previews show ---

const hang = () => new Promise<never>(() => undefined);
const NAMES: [string, string, string, Record<string, number>, string][] = [
  ['coffee', 'Flat white', '澳白咖啡', { NZD: 550, LAK: 75000 }, '澳白咖啡'],
  ['tea', 'Jasmine tea', '茉莉花茶', { NZD: 450, LAK: 60000 }, '茉莉花茶'],
  ['cake', 'Carrot cake', '胡萝卜蛋糕', { NZD: 725, LAK: 98000 }, '紅蘿蔔蛋糕'],
  ['beans', 'Coffee beans 250 g', '咖啡豆 250 克', { NZD: 1999, LAK: 270000 }, '咖啡豆 250 克'],
];

function provider(name: string, over: Record<string, unknown> = {}) {
  const displayName = { latipay: 'Latipay', newpay: 'NewPay', ottpay: 'OTT Pay' }[name] ?? name;
  return { name, displayName, currencies: [{ code: 'NZD', decimals: 2 }], needsPayCode: false, canReissue: true, hasCashier: false, canQuery: true, ...over };
}
const NZ = provider('latipay');
const LA = provider('newpay', { currencies: [{ code: 'LAK', decimals: 0 }, { code: 'USD', decimals: 2 }], needsPayCode: true, canReissue: false, hasCashier: true, canQuery: false, cashierRefField: 'newpayOrderNo' });

function catalog(info = NZ, items = NAMES) {
  const currency = info.currencies[0]!;
  return {
    ok: true,
    currency: currency.code,
    decimals: currency.decimals,
    items: items.map(([sku, en, zh, prices, tw]) => ({ sku, name: en, names: { en, zh_CN: zh, zh_TW: tw }, price: prices[currency.code] ?? 0 })),
    provider: info,
    providers: [NZ, LA, provider('ottpay', { currencies: [{ code: 'CAD', decimals: 2 }], canReissue: false })],
  };
}

const NOW = new Date(2026, 10, 21, 14, 32).getTime();
function order(orderNo: string, status: string, items: [string, number][], extra: Record<string, unknown> = {}) {
  const lines = items.map(([sku, quantity]) => {
    const n = NAMES.find((x) => x[0] === sku)!;
    return { sku, name: n[1], quantity, unitPrice: n[3].NZD! };
  });
  return {
    orderNo,
    status,
    amount: lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0),
    currency: 'NZD',
    provider: 'latipay',
    description: lines.map((l) => l.name).join(', '),
    items: lines,
    createdAt: NOW,
    expiresAt: Date.now() + 1_800_000,
    ...extra,
  };
}
const PAYMENT = { timeStamp: '1700000000', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'MD5', paySign: 'S' };
const err = (code: string) => ({ ok: false, error: { code, message: code } });

type Backend = (event: Record<string, any>, fn?: string) => Promise<any>;

export interface PreviewState {
  page: 'checkout' | 'result' | 'orders' | 'order' | 'newpay-cashier' | 'admin/orders' | 'admin/order';
  state: string;
  /** The `pay` function's answers; `hang()` keeps a page loading. */
  backend: Backend;
  query?: Record<string, string>;
  /** What the shopper does once the page has loaded. */
  act?: (page: any, wx: WxMock) => Promise<void>;
  /** Show the local demo's acquirer switch. */
  demo?: boolean;
}

const shopBackend =
  (reply = catalog(), more: Backend = async () => err('INTERNAL')): Backend =>
  async (e) =>
    e.action === 'catalog' ? reply : more(e);

const choose = (quantities: Record<string, number>) => async (page: any) => {
  for (const [sku, value] of Object.entries(quantities)) page.instance.onQuantity({ currentTarget: { dataset: { sku } }, detail: { value } });
  await flush();
};
/** The WeChat Pay sheet stays open: the page shows itself paying. */
const sheetOpen = (wx: WxMock) => {
  (globalThis as any).wx.showActionSheet = () => undefined;
  void wx;
};

const ADMIN_NO = '20261121120500000003';
function adminOrder(over: Record<string, unknown> = {}) {
  return {
    ...order(ADMIN_NO, 'PAID', [['coffee', 2], ['cake', 1]]),
    openid: 'o***9',
    providerRef: 'LP-20261121-7731',
    paidAt: NOW + 60_000,
    updatedAt: NOW + 60_000,
    decimals: (over.currency ?? 'NZD') === 'LAK' ? 0 : 2,
    ...over,
  };
}
const adminOrderReply: Backend = async (e) =>
  e.action === 'getOrder'
    ? {
        ok: true,
        order: adminOrder({ status: 'PARTIALLY_REFUNDED', refundedAmount: 500 }),
        refunds: [{ refundNo: 'R20261121150000000001', orderNo: ADMIN_NO, amount: 500, currency: 'NZD', status: 'SUCCEEDED', createdAt: NOW + 1_800_000, updatedAt: NOW + 1_800_000, settledAt: NOW + 1_801_000 }],
        timeline: [
          { at: NOW, type: 'created', detail: { amount: 1825, currency: 'NZD' } },
          { at: NOW + 60_000, type: 'status_changed', detail: { from: 'PAYING', to: 'PAID', source: 'notification' } },
          { at: NOW + 1_800_000, type: 'refund_requested', detail: { amount: 500 } },
        ],
      }
    : err('INVALID_INPUT');
/** The operator pages call `admin`, and `pay` for the providers' names and decimals. */
const adminBackend =
  (admin: Backend): Backend =>
  async (e, fn) =>
    fn === 'admin' ? admin(e, fn) : catalog();

const queried = (o: Record<string, unknown>): Backend => shopBackend(catalog(), async (e) => (e.action === 'queryOrder' ? { ok: true, order: o } : err('INTERNAL')));

export const STATES: PreviewState[] = [
  // checkout
  { page: 'checkout', state: 'loading', backend: hang },
  { page: 'checkout', state: 'ready', backend: shopBackend(), act: choose({ coffee: 2, cake: 1 }) },
  {
    page: 'checkout',
    state: 'paying',
    backend: shopBackend(catalog(), async () => ({ ok: true, order: order('20261121143200000001', 'PAYING', [['coffee', 2]]), payment: PAYMENT })),
    act: async (page, wx) => {
      await choose({ coffee: 2 })(page);
      sheetOpen(wx);
      void page.instance.onPay();
      await flush(60);
    },
  },
  {
    page: 'checkout',
    state: 'failed',
    backend: shopBackend(catalog(), async () => err('PROVIDER_ERROR')),
    act: async (page) => {
      await choose({ tea: 1 })(page);
      await page.instance.onPay();
    },
  },
  { page: 'checkout', state: 'error', backend: async () => err('NETWORK') },
  { page: 'checkout', state: 'empty', backend: shopBackend({ ...catalog(), items: [] }) },
  {
    page: 'checkout',
    state: 'another-way',
    backend: shopBackend(catalog(LA), async () => ({ ok: true, order: { ...order('9', 'PAYING', [['coffee', 1]]), currency: 'LAK', amount: 75000, provider: 'newpay' }, payUrl: 'https://cashier.newpay.la/m/cashier/202611210000006950' })),
    act: async (page) => {
      await choose({ coffee: 1 })(page);
      await page.instance.onPayAnotherWay();
    },
  },
  { page: 'checkout', state: 'demo', demo: true, backend: shopBackend(), act: choose({ beans: 1 }) },
  // result
  { page: 'result', state: 'loading', query: { orderNo: '20261121143200000001', outcome: 'ok' }, backend: shopBackend(catalog(), hang) },
  { page: 'result', state: 'paid', query: { orderNo: '20261121143200000001', outcome: 'ok' }, backend: queried(order('20261121143200000001', 'PAID', [['coffee', 2], ['cake', 1]])) },
  { page: 'result', state: 'cancelled', query: { orderNo: '20261121143200000001', outcome: 'cancel' }, backend: queried(order('20261121143200000001', 'PAYING', [['coffee', 2]])) },
  { page: 'result', state: 'failed', query: { orderNo: '20261121143200000001', outcome: 'fail' }, backend: queried(order('20261121143200000001', 'PAYING', [['coffee', 2]])) },
  {
    page: 'result',
    state: 'paying',
    query: { orderNo: '20261121143200000001', outcome: 'cancel' },
    backend: shopBackend(catalog(), async (e) => (e.action === 'queryOrder' ? { ok: true, order: order('20261121143200000001', 'PAYING', [['coffee', 2]]) } : { ok: true, order: order('20261121143200000001', 'PAYING', [['coffee', 2]]), payment: PAYMENT })),
    act: async (page, wx) => {
      sheetOpen(wx);
      void page.instance.onPayAgain();
      await flush(60);
    },
  },
  {
    page: 'result',
    state: 'still-confirming',
    query: { orderNo: '20261121143200000001', outcome: 'ok' },
    backend: queried(order('20261121143200000001', 'PAYING', [['tea', 1]])),
    act: async (page) => {
      for (let i = 0; i < 12 && page.data.view !== 'still'; i++) await jest.advanceTimersByTimeAsync(8000);
    },
  },
  {
    page: 'result',
    state: 'confirming-5s',
    query: { orderNo: '20261121143200000001', outcome: 'ok' },
    backend: queried(order('20261121143200000001', 'PAYING', [['tea', 1]])),
    act: async () => {
      await jest.advanceTimersByTimeAsync(5000);
    },
  },
  { page: 'result', state: 'refunded', query: { orderNo: '20261121143200000001', outcome: 'ok' }, backend: queried(order('20261121143200000001', 'PARTIALLY_REFUNDED', [['coffee', 2], ['cake', 1]], { refundedAmount: 550 })) },
  { page: 'result', state: 'network-error', query: { orderNo: '20261121143200000001', outcome: 'cancel' }, backend: shopBackend(catalog(), async () => err('NETWORK')) },
  { page: 'result', state: 'unpaid', query: { orderNo: '20261121143200000001' }, backend: queried(order('20261121143200000001', 'PAYING', [['beans', 1]])) },
  { page: 'result', state: 'closed', query: { orderNo: '20261121143200000001', outcome: 'ok' }, backend: queried(order('20261121143200000001', 'CLOSED', [['beans', 1]])) },
  { page: 'result', state: 'not-found', query: { orderNo: '20261121143200000001', outcome: 'ok' }, backend: shopBackend(catalog(), async () => err('NOT_FOUND')) },
  // orders
  { page: 'orders', state: 'loading', backend: shopBackend(catalog(), hang) },
  {
    page: 'orders',
    state: 'ready',
    backend: shopBackend(catalog(), async () => ({
      ok: true,
      orders: [
        order('20261121143200000004', 'PAYING', [['coffee', 2]]),
        order('20261121120500000003', 'PAID', [['cake', 1], ['tea', 1]], { createdAt: NOW - 9_000_000 }),
        order('20261120150000000005', 'PARTIALLY_REFUNDED', [['coffee', 2]], { createdAt: NOW - 60_000_000, refundedAmount: 550 }),
        order('20261120091000000002', 'CLOSED', [['beans', 1]], { createdAt: NOW - 100_000_000 }),
        order('20261119180000000001', 'REFUNDED', [['coffee', 1]], { createdAt: NOW - 180_000_000, refundedAmount: 550 }),
      ],
    })),
  },
  {
    page: 'orders',
    state: 'unpaid-filter',
    backend: shopBackend(catalog(), async () => ({
      ok: true,
      orders: [order('20261121143200000004', 'PAYING', [['coffee', 2]]), order('20261121120500000003', 'PAID', [['cake', 1], ['tea', 1]], { createdAt: NOW - 9_000_000 })],
    })),
    act: async (page) => {
      page.instance.onFilter({ currentTarget: { dataset: { key: 'unpaid' } } });
      await flush();
    },
  },
  { page: 'orders', state: 'empty', backend: shopBackend(catalog(), async () => ({ ok: true, orders: [] })) },
  { page: 'orders', state: 'error', backend: shopBackend(catalog(), async () => err('NETWORK')) },
  // one order
  { page: 'order', state: 'unpaid', query: { orderNo: '20261121143200000004' }, backend: shopBackend(catalog(), async () => ({ ok: true, order: order('20261121143200000004', 'PAYING', [['coffee', 2], ['cake', 1]]) })) },
  {
    page: 'order',
    state: 'refunded',
    query: { orderNo: '20261121120500000003' },
    backend: shopBackend(catalog(), async () => ({
      ok: true,
      order: order('20261121120500000003', 'PARTIALLY_REFUNDED', [['coffee', 2], ['cake', 1]], { paidAt: NOW + 60_000, refundedAmount: 550 }),
      refunds: [
        { refundNo: 'R2', orderNo: '20261121120500000003', amount: 300, currency: 'NZD', status: 'PENDING', createdAt: NOW + 7_200_000, updatedAt: NOW + 7_200_000 },
        { refundNo: 'R1', orderNo: '20261121120500000003', amount: 550, currency: 'NZD', status: 'SUCCEEDED', createdAt: NOW + 3_600_000, updatedAt: NOW + 3_600_000, settledAt: NOW + 3_660_000 },
      ],
    })),
  },
  {
    page: 'order',
    state: 'cancel-sheet',
    query: { orderNo: '20261121143200000004' },
    backend: shopBackend(catalog(), async () => ({ ok: true, order: order('20261121143200000004', 'PAYING', [['coffee', 2]]) })),
    act: async (page) => {
      page.instance.onCancel();
      await jest.advanceTimersByTimeAsync(500); // the sheet's slide-in
    },
  },
  { page: 'order', state: 'not-found', query: { orderNo: '20261121143200000004' }, backend: shopBackend(catalog(), async () => err('NOT_FOUND')) },
  // NewPay's scheme-URL cashier
  { page: 'newpay-cashier', state: 'loading', query: { newpayOrderNo: '202611210000006950' }, backend: shopBackend(catalog(LA), hang) },
  ...(['ready', 'paying', 'cancelled', 'failed', 'still-confirming'] as const).map(
    (state): PreviewState => ({
      page: 'newpay-cashier',
      state,
      query: { newpayOrderNo: '202611210000006950' },
      backend: shopBackend(catalog(LA), async () => ({ ok: true, payment: PAYMENT, ...(state === 'still-confirming' ? {} : { order: { ...order('20261121143200000009', 'PAYING', [['coffee', 1]]), currency: 'LAK', amount: 75000, provider: 'newpay' } }) })),
      act: async (page, wx) => {
        if (state === 'ready') return;
        if (state === 'paying') sheetOpen(wx);
        wx.sheetChoice = state === 'cancelled' ? 1 : state === 'failed' ? 2 : 0;
        const paying = page.instance.onPay();
        await flush(60);
        if (state !== 'paying') await paying;
      },
    }),
  ),
  { page: 'newpay-cashier', state: 'error', query: { newpayOrderNo: '202611210000006950' }, backend: shopBackend(catalog(LA), async () => err('PROVIDER_ERROR')) },
  { page: 'newpay-cashier', state: 'missing', query: {}, backend: shopBackend(catalog(LA)) },
  // the operator pages (pages/admin, a subpackage)
  { page: 'admin/orders', state: 'loading', backend: adminBackend(hang) },
  {
    page: 'admin/orders',
    state: 'ready',
    backend: adminBackend(async () => ({
      ok: true,
      orders: [
        adminOrder({ orderNo: '20261121143200000004', status: 'PAID' }),
        adminOrder({ orderNo: '20261121120500000003', status: 'PARTIALLY_REFUNDED', refundedAmount: 500, attention: 'paid after close' }),
        adminOrder({ orderNo: '20261120091000000002', status: 'PAYING', currency: 'LAK', amount: 150000, provider: 'newpay' }),
        adminOrder({ orderNo: '20261119180000000001', status: 'REFUNDED', refundedAmount: 2000 }),
      ],
    })),
  },
  { page: 'admin/orders', state: 'empty', backend: adminBackend(async () => ({ ok: true, orders: [] })) },
  { page: 'admin/orders', state: 'forbidden', backend: adminBackend(async () => err('FORBIDDEN')) },
  { page: 'admin/orders', state: 'error', backend: adminBackend(async () => err('NETWORK')) },
  { page: 'admin/order', state: 'ready', query: { orderNo: ADMIN_NO }, backend: adminBackend(adminOrderReply) },
  {
    page: 'admin/order',
    state: 'refunding',
    query: { orderNo: ADMIN_NO },
    backend: adminBackend(adminOrderReply),
    act: async (page) => {
      page.instance.openSheet();
      await jest.advanceTimersByTimeAsync(500); // the sheet's slide-in
    },
  },
  { page: 'admin/order', state: 'error', query: { orderNo: ADMIN_NO }, backend: adminBackend(async () => err('NOT_FOUND')) },
];

/** Simplified Chinese, Traditional Chinese (as a Hong Kong phone reports it) and English. */
export type PreviewLang = 'zh' | 'zh-tw' | 'en';
export const PREVIEW_LANGS: PreviewLang[] = ['zh', 'zh-tw', 'en'];
const SYSTEM_LANGUAGE: Record<PreviewLang, string> = { zh: 'zh_CN', 'zh-tw': 'zh_HK', en: 'en' };
const HTML_LANG: Record<PreviewLang, string> = { zh: 'zh-CN', 'zh-tw': 'zh-HK', en: 'en' };

// --- from the simulated page to static HTML ---

const BASE_CSS = `
html, body { margin: 0; padding: 0; width: 375px; }
body { min-height: 812px; font-size: 16px; line-height: 1.4; -webkit-font-smoothing: antialiased; }
main, wx-view, wx-picker, wx-form, wx-scroll-view, wx-swiper, wx-navigator, wx-canvas { display: block; }
wx-text, wx-label { display: inline; }
/* WeChat's own button defaults (TDesign's classes override them). */
wx-button { display: block; position: relative; box-sizing: border-box; margin: 0 auto; padding: 0 14px; border: 0; font-size: 18px; font-family: inherit; line-height: 2.55555556; text-align: center; border-radius: 5px; color: #000; background-color: #f8f8f8; overflow: hidden; -webkit-tap-highlight-color: transparent; }
wx-button::after { content: " "; position: absolute; top: 0; left: 0; width: 200%; height: 200%; transform: scale(0.5); transform-origin: 0 0; box-sizing: border-box; border: 1px solid rgba(0, 0, 0, 0.2); border-radius: 10px; pointer-events: none; }
wx-image { display: inline-block; overflow: hidden; }
wx-input { display: flex; align-items: center; justify-content: center; min-height: 1.4em; overflow: hidden; }
wx-input::after { content: attr(data-value); }
.pv-icon { display: inline-flex; align-items: center; justify-content: center; }
.pv-icon svg { display: block; width: 1em; height: 1em; }
[class*="t-icon--t-icon-"]::before { content: none !important; }
.pv-bar { position: relative; height: 88px; background: #fff; color: #000; }
@media (prefers-color-scheme: dark) {
  .pv-bar { background: #191919; color: #fff; }
  .pv-capsule { background: rgba(0,0,0,.4); border-color: rgba(255,255,255,.25); }
  .pv-capsule i { background: #fff; box-shadow: -8px 0 0 #fff, 8px 0 0 #fff; }
  .pv-capsule b { border-color: #fff; }
  wx-button { background-color: #2c2c2c; color: #fff; }
}
.pv-status { height: 44px; display: flex; align-items: center; justify-content: space-between; padding: 0 24px; font: 600 15px -apple-system, "Helvetica Neue", sans-serif; }
.pv-nav { height: 44px; display: flex; align-items: center; justify-content: center; font-size: 17px; font-weight: 600; }
.pv-capsule { position: absolute; right: 7px; bottom: 6px; width: 87px; height: 32px; box-sizing: border-box; border-radius: 16px; border: 0.5px solid rgba(0,0,0,.12); background: rgba(255,255,255,.6); display: flex; align-items: center; justify-content: space-around; }
.pv-capsule i { display: block; width: 5px; height: 5px; border-radius: 50%; background: #000; box-shadow: -8px 0 0 #000, 8px 0 0 #000; }
.pv-capsule b { display: block; width: 16px; height: 16px; border-radius: 50%; border: 2px solid #000; box-sizing: border-box; }
`;

/** app.wxss with its @imports (TDesign's light and dark theme tokens) inlined, as DevTools compiles it. */
function appCss(): string {
  const source = readFileSync(path.join(MINIPROGRAM, 'app.wxss'), 'utf8').replace(/@import\s+["']([^"']+)["'];?/g, (_all, file: string) =>
    readFileSync(path.join(MINIPROGRAM, file), 'utf8'),
  );
  return rpxToPx(source);
}

/** `page` (WXSS's root) becomes body; WXSS tag selectors become the wx-* elements. */
function toBrowserCss(css: string): string {
  return css
    .replace(/(^|[\s,}>+~(])page(?=[\s,{.:[>+~)]|$)/g, '$1body')
    .replace(/(^|[\s,}>+~(])(view|text|button|image|input|label|picker|canvas|navigator)(?=[\s,{.:[>+~)]|$)/g, '$1wx-$2')
    .replace(/@font-face\s*{[^}]*}/g, '');
}

function qrSvg(text: string, size: number): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { QrCode, Ecc } = require(path.join(MINIPROGRAM, 'miniprogram_npm/tdesign-miniprogram/common/shared/qrcode/qrcodegen.js'));
  const qr = QrCode.encodeText(text, Ecc.MEDIUM);
  let d = '';
  for (let y = 0; y < qr.size; y++) for (let x = 0; x < qr.size; x++) if (qr.getModule(x, y)) d += `M${x} ${y}h1v1h-1z`;
  return `<svg viewBox="0 0 ${qr.size} ${qr.size}" width="${size}" height="${size}" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d="${d}" fill="#000"/></svg>`;
}

function staticDom(root: Element, data: Record<string, any>): string {
  const clone = root.cloneNode(true) as Element;
  // Inputs keep their value in the component, not the DOM.
  const inputs = Array.from(root.querySelectorAll('wx-input'));
  Array.from(clone.querySelectorAll('wx-input')).forEach((el, i) => {
    const node = (inputs[i] as any)?.__wxElement;
    const value = (node?._vt?.attrs as { name: string; value: unknown }[] | undefined)?.find((a) => a.name === 'value')?.value;
    if (value !== undefined && value !== null) el.setAttribute('data-value', String(value));
  });
  for (const label of Array.from(clone.querySelectorAll('wx-label'))) {
    const name = /t-icon--t-icon-(?!base\b)([\w-]+)/.exec(label.getAttribute('class') ?? '')?.[1];
    if (!name) continue;
    label.classList.add('pv-icon');
    label.innerHTML = iconSvg(name);
  }
  for (const canvas of Array.from(clone.querySelectorAll('wx-canvas'))) {
    if (data.payUrl) canvas.outerHTML = qrSvg(String(data.payUrl), 180);
  }
  for (const el of Array.from(clone.querySelectorAll('[style]'))) el.setAttribute('style', rpxToPx(el.getAttribute('style') ?? ''));
  return clone.outerHTML;
}

export interface Captured {
  name: string;
  html: string;
}

/** Drives `state` in `lang` and returns its static HTML. Call with jest fake timers on. */
export async function capture(state: PreviewState, lang: PreviewLang): Promise<Captured> {
  const wx = installWxMock();
  wx.language = SYSTEM_LANGUAGE[lang];
  wx.backend.mockImplementation(state.backend);
  jest.resetModules(); // fresh page and services modules for every state
  const realConfig = jest.requireActual('../../../miniprogram/config').config;
  jest.doMock('../../../miniprogram/config', () => ({ config: { ...realConfig, demoProviders: state.demo ? realConfig.demoProviders : [] } }));
  const id = loadPage(`pages/${state.page}/index`);
  const page = simulate.render(id);
  page.attach(document.createElement('parent-wrapper'));
  // Not awaited: a loading page never finishes, and a polling one finishes on timers.
  void page.instance.onLoad(state.query ?? {});
  await flush(80);
  if (state.act) await state.act(page, wx);
  await flush(80);
  jest.dontMock('../../../miniprogram/config');
  const css = toBrowserCss(Array.from(document.querySelectorAll(`style#${id}`)).map((s) => s.textContent ?? '').join('\n'));
  const title = wx.calls.titles.at(-1) ?? '';
  const html = `<!doctype html><html lang="${HTML_LANG[lang]}"><head><meta charset="utf-8"><meta name="viewport" content="width=375">
<style>${BASE_CSS}</style><style>${toBrowserCss(appCss())}</style><style>${css}</style></head>
<body><div class="pv-bar"><div class="pv-status"><span>9:41</span><span>●●●</span></div><div class="pv-nav">${escapeHtml(title)}</div><div class="pv-capsule"><i></i><b></b></div></div>
<div class="pv-content">${staticDom(page.dom, page.data)}</div></body></html>`;
  page.instance.onUnload?.();
  return { name: `${state.page.replace(/\//g, "-")}-${state.state}-${lang}`, html };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

export function writeCaptured(dir: string, captured: Captured): string {
  const file = path.join(dir, `${captured.name}.html`);
  writeFileSync(file, captured.html);
  return file;
}
