/**
 * Checkout: the catalog in the shop's currency, quantities, and a Pay button. The shopper
 * sees currencies, not acquirers (config.provider serves the shop; the local demo may offer
 * a switch, labelled as a demo). All payment work is in services/.
 */
import { formatTime } from '../../services/format';
import { currentLanguage, message, messageForError, messages, setTitle, type Lang } from '../../services/i18n';
import { cashierLink, checkout, queryOrder, type CartLine } from '../../services/orders';
import { Poller } from '../../services/poller';
import { demoProviders, loadShop, money, shopProvider, type Shop, type ShopItem } from '../../services/shop';
import { LoginCodeCache, requestSubscribe } from '../../services/wechat';

interface Line extends ShopItem {
  quantity: number;
  ariaQuantity: string;
  ariaLess: string;
  ariaMore: string;
}

/** The cashier order a "pay another way" QR code stands for, and the cart it was made for. */
interface CashierOrder {
  cartKey: string;
  orderNo: string;
  payUrl: string;
}

/** Stops watching the cashier order after this many asks (waits back off to 8 s: about 10 minutes). */
export const CASHIER_MAX_POLLS = 80;

type State = 'loading' | 'ready' | 'error' | 'empty';

const codes = new LoginCodeCache();
let shop: Shop | undefined;
let cashier: CashierOrder | undefined;
let watcher: Poller | undefined;

function withLabels(line: ShopItem & { quantity: number }, lang: Lang): Line {
  const vars = { name: line.name, quantity: line.quantity };
  return { ...line, ariaQuantity: message('ariaQuantity', lang, vars), ariaLess: message('ariaLess', lang, vars), ariaMore: message('ariaMore', lang, vars) };
}

Component({
  data: {
    t: messages('en'),
    lang: 'en' as Lang,
    state: 'loading' as State,
    provider: shopProvider(),
    demoProviders: [] as string[],
    /** The demo switch's labels: each provider's display name, as the server gives it. */
    demoLabels: [] as string[],
    demoIndex: 0,
    currencies: [] as string[],
    currencyIndex: 0,
    currency: '',
    lines: [] as Line[],
    totalText: '',
    canPay: false,
    paying: false,
    hasCashier: false,
    error: '',
    /** A cashier link, once "pay another way" created one: shown as a QR code. */
    payUrl: '',
    cashierAmountText: '',
    cashierExpiresText: '',
    qrLabel: '',
  },
  methods: {
    onLoad() {
      const lang = currentLanguage();
      const demo = demoProviders();
      this.setData({ lang, t: messages(lang), demoProviders: demo, demoLabels: demo, demoIndex: Math.max(0, demo.indexOf(this.data.provider)) });
      setTitle('titleCheckout', lang);
      codes.prefetch();
      return this.loadCatalog();
    },

    onHide() {
      watcher?.hide();
    },

    onShow() {
      return watcher?.show();
    },

    onUnload() {
      watcher?.stop();
    },

    async loadCatalog(currency?: string) {
      this.forgetCashier();
      this.setData({ state: 'loading', error: '' });
      const result = await loadShop(this.data.lang, this.data.provider, typeof currency === 'string' ? currency : undefined);
      if (result.kind !== 'ok') {
        shop = undefined;
        this.setData({ state: 'error', error: messageForError(result.code, this.data.lang) });
        return;
      }
      shop = result.shop;
      const currencies = shop.provider.currencies.map((c) => c.code);
      const lines = shop.items.map((i) => withLabels({ ...i, quantity: 0 }, this.data.lang));
      this.setData({
        state: lines.length ? 'ready' : 'empty',
        currency: shop.currency.code,
        currencies: currencies.length > 1 ? currencies : [],
        currencyIndex: Math.max(0, currencies.indexOf(shop.currency.code)),
        hasCashier: shop.provider.hasCashier,
        demoLabels: this.data.demoProviders.map((n) => shop?.providers.find((p) => p.name === n)?.displayName ?? n),
        lines,
      });
      this.updateTotal();
    },

    onDemoProviderChange(e: WechatMiniprogram.PickerChange) {
      const demoIndex = Number(e.detail.value);
      this.setData({ demoIndex, provider: this.data.demoProviders[demoIndex] ?? shopProvider() });
      return this.loadCatalog();
    },

    onCurrencyChange(e: WechatMiniprogram.PickerChange) {
      const code = this.data.currencies[Number(e.detail.value)];
      return this.loadCatalog(code);
    },

    onQuantity(e: WechatMiniprogram.CustomEvent<{ value: number | string }>) {
      const { sku } = e.currentTarget.dataset as { sku: string };
      this.setQuantity(sku, Number(e.detail.value));
    },

    onStep(e: WechatMiniprogram.TouchEvent) {
      const { sku, delta } = e.currentTarget.dataset as { sku: string; delta: number };
      const line = this.data.lines.find((l) => l.sku === sku);
      if (line && !this.data.paying) this.setQuantity(sku, line.quantity + Number(delta));
    },

    setQuantity(sku: string, quantity: number) {
      const q = Math.max(0, Math.min(99, Math.trunc(quantity) || 0));
      this.setData({ lines: this.data.lines.map((l) => (l.sku === sku ? withLabels({ ...l, quantity: q }, this.data.lang) : l)) });
      // A QR code stands for one cart: a different cart hides it (its order stays unpaid and expires).
      if (cashier && cashier.cartKey !== this.cartKey()) this.forgetCashier();
      this.updateTotal();
    },

    cartKey(): string {
      return JSON.stringify([this.data.provider, this.data.currency, this.cart()]);
    },

    forgetCashier() {
      watcher?.stop();
      watcher = undefined;
      cashier = undefined;
      this.setData({ payUrl: '', cashierAmountText: '', cashierExpiresText: '', qrLabel: '' });
    },

    /** A preview from catalog prices; the amount charged is the one the server computes. */
    updateTotal() {
      const total = this.data.lines.reduce((sum, l) => sum + l.price * l.quantity, 0);
      this.setData({ totalText: money(total, this.data.currency, this.data.lang), canPay: total > 0 });
    },

    cart(): CartLine[] {
      return this.data.lines.filter((l) => l.quantity > 0).map((l) => ({ sku: l.sku, quantity: l.quantity }));
    },

    async onPay() {
      // One tap, one order: the flag is set before the first await.
      if (this.data.paying || !this.data.canPay || !shop) return;
      this.setData({ paying: true, error: '' });
      try {
        // First, inside the tap: may the shop tell the shopper when it is paid or refunded?
        await requestSubscribe(shop.subscribeTemplates, this.data.lang);
        const result = await checkout(shop, this.cart(), () => codes.take());
        if (result.kind === 'error') return this.setData({ error: messageForError(result.code, this.data.lang) });
        // Success of requestPayment is not proof of payment: the result page asks the server.
        wx.navigateTo({ url: `/pages/result/index?orderNo=${result.orderNo}&outcome=${result.outcome.kind}` });
      } finally {
        this.setData({ paying: false });
      }
    },

    openOrders() {
      wx.navigateTo({ url: '/pages/orders/index' });
    },

    /**
     * Where the provider has a cashier: an order the shopper pays elsewhere, shown as a QR code
     * with its amount and expiry. Tapping again for the same cart shows the same order (no new
     * one). The page watches the order and goes to the result page once it is paid.
     */
    async onPayAnotherWay() {
      if (this.data.paying || !this.data.canPay || !shop || !shop.provider.hasCashier) return;
      if (cashier && cashier.cartKey === this.cartKey()) {
        wx.pageScrollTo({ selector: '.another-way', duration: 300 });
        return;
      }
      this.setData({ paying: true, error: '' });
      try {
        const cartKey = this.cartKey();
        const result = await cashierLink(shop, this.cart(), () => codes.take());
        if (result.kind === 'error') return this.setData({ error: messageForError(result.code, this.data.lang) });
        cashier = { cartKey, orderNo: result.orderNo, payUrl: result.payUrl };
        const lang = this.data.lang;
        const amount = money(result.order.amount, result.order.currency, lang);
        this.setData({
          payUrl: result.payUrl,
          cashierAmountText: amount,
          cashierExpiresText: message('qrExpires', lang, { time: formatTime(result.order.expiresAt) }),
          qrLabel: message('ariaQr', lang, { amount }),
        });
        this.watchCashier(result.orderNo);
        // The code appears below the buttons: bring it into view.
        wx.pageScrollTo({ selector: '.another-way', duration: 300 });
      } finally {
        this.setData({ paying: false });
      }
    },

    /** Asks the server about the cashier order, backing off, paused while the page is hidden. */
    watchCashier(orderNo: string) {
      watcher?.stop();
      const poller = new Poller(async (attempt) => {
        const result = await queryOrder(orderNo, false);
        if (cashier?.orderNo !== orderNo) return true;
        if (result.kind === 'ok' && result.order.status !== 'PAYING' && result.order.status !== 'CREATED') {
          const outcome = result.order.status === 'PAID' ? 'ok' : '';
          this.forgetCashier();
          wx.navigateTo({ url: `/pages/result/index?orderNo=${orderNo}&outcome=${outcome}` });
          return true;
        }
        return attempt + 1 >= CASHIER_MAX_POLLS;
      });
      watcher = poller;
      void poller.start();
    },

    copyLink() {
      if (!this.data.payUrl) return;
      wx.setClipboardData({
        data: this.data.payUrl,
        success: () => wx.showToast({ title: message('linkCopied', this.data.lang), icon: 'success' }),
      });
    },
  },
});
