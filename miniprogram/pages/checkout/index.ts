/**
 * Checkout: the catalog in the shop's currency, quantities, and a Pay button. The shopper
 * sees currencies, not acquirers (config.provider serves the shop; the local demo may offer
 * a switch, labelled as a demo). All payment work is in services/.
 */
import { currentLanguage, message, messageForError, messages, setTitle, type Lang } from '../../services/i18n';
import { cashierLink, checkout, type CartLine } from '../../services/orders';
import { demoProviders, loadShop, money, shopProvider, type Shop, type ShopItem } from '../../services/shop';
import { LoginCodeCache } from '../../services/wechat';

interface Line extends ShopItem {
  quantity: number;
}

type State = 'loading' | 'ready' | 'error' | 'empty';

const codes = new LoginCodeCache();
let shop: Shop | undefined;

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

    async loadCatalog(currency?: string) {
      this.setData({ state: 'loading', error: '', payUrl: '' });
      const result = await loadShop(this.data.lang, this.data.provider, typeof currency === 'string' ? currency : undefined);
      if (result.kind !== 'ok') {
        shop = undefined;
        this.setData({ state: 'error', error: messageForError(result.code, this.data.lang) });
        return;
      }
      shop = result.shop;
      const currencies = shop.provider.currencies.map((c) => c.code);
      const lines = shop.items.map((i) => ({ ...i, quantity: 0 }));
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

    setQuantity(sku: string, quantity: number) {
      const q = Math.max(0, Math.min(99, Math.trunc(quantity) || 0));
      this.setData({ lines: this.data.lines.map((l) => (l.sku === sku ? { ...l, quantity: q } : l)), payUrl: '' });
      this.updateTotal();
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

    /** Where the provider has a cashier: an order the shopper pays elsewhere, shown as a QR code. */
    async onPayAnotherWay() {
      if (this.data.paying || !this.data.canPay || !shop || !shop.provider.hasCashier) return;
      this.setData({ paying: true, error: '', payUrl: '' });
      try {
        const result = await cashierLink(shop, this.cart(), () => codes.take());
        if (result.kind === 'error') return this.setData({ error: messageForError(result.code, this.data.lang) });
        this.setData({ payUrl: result.payUrl });
        // The code appears below the buttons: bring it into view.
        wx.pageScrollTo({ selector: '.another-way', duration: 300 });
      } finally {
        this.setData({ paying: false });
      }
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
