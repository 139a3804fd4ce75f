/**
 * Checkout: the catalog in the provider's currency, quantities, and a Pay button.
 * Built with Component() so miniprogram-simulate can mount it; all payment work is in
 * services/ (the page only sequences it and shows the result).
 */
import { config } from '../../config';
import { callPay } from '../../services/backend';
import { formatMoney } from '../../services/format';
import { currentLanguage, message, messageForError } from '../../services/messages';
import type { CatalogItem, Order, PaymentParams, Provider } from '../../services/types';
import { LoginCodeCache, paymentCodes, requestPayment } from '../../services/wechat';

interface Line extends CatalogItem {
  quantity: number;
  priceText: string;
}

const codes = new LoginCodeCache();

Component({
  data: {
    providers: config.providers as Provider[],
    providerIndex: 0,
    provider: config.providers[0] as Provider,
    currency: '',
    lines: [] as Line[],
    totalText: '',
    canPay: false,
    paying: false,
    loading: true,
    error: '',
    lang: 'en' as 'zh' | 'en',
    /** A NewPay cashier link, once "pay another way" created one. */
    payUrl: '',
  },
  methods: {
    onLoad() {
      this.setData({ lang: currentLanguage() });
      codes.prefetch();
      return this.loadCatalog();
    },

    async loadCatalog() {
      this.setData({ loading: true, error: '' });
      const reply = await callPay<{ currency: string; items: CatalogItem[] }>({ action: 'catalog', provider: this.data.provider });
      if (!reply.ok) {
        this.setData({ loading: false, error: messageForError(reply.error.code, this.data.lang) });
        return;
      }
      const lines = reply.items.map((i) => ({ ...i, quantity: 0, priceText: formatMoney(i.price, reply.currency) }));
      this.setData({ loading: false, currency: reply.currency, lines });
      this.updateTotal();
    },

    onProviderChange(e: WechatMiniprogram.PickerChange) {
      const providerIndex = Number(e.detail.value);
      this.setData({ providerIndex, provider: this.data.providers[providerIndex] as Provider });
      return this.loadCatalog();
    },

    changeQuantity(e: WechatMiniprogram.TouchEvent) {
      const { sku, delta } = e.currentTarget.dataset as { sku: string; delta: number };
      const lines = this.data.lines.map((l) => (l.sku === sku ? { ...l, quantity: Math.max(0, Math.min(99, l.quantity + Number(delta))) } : l));
      this.setData({ lines });
      this.updateTotal();
    },

    /** A preview from catalog prices; the amount charged is the one the server computes. */
    updateTotal() {
      const total = this.data.lines.reduce((sum, l) => sum + l.price * l.quantity, 0);
      this.setData({ totalText: formatMoney(total, this.data.currency), canPay: total > 0 });
    },

    async onPay() {
      // One tap, one order: the flag is set before the first await.
      if (this.data.paying || !this.data.canPay) return;
      this.setData({ paying: true, error: '' });
      try {
        const login = await paymentCodes(this.data.provider, () => codes.take());
        if (!login) return this.setData({ error: message('login', this.data.lang) });
        const event: Record<string, unknown> = {
          action: 'createOrder',
          provider: this.data.provider,
          currency: this.data.currency,
          items: this.data.lines.filter((l) => l.quantity > 0).map((l) => ({ sku: l.sku, quantity: l.quantity })),
          ...login,
        };
        const reply = await callPay<{ order: Order; payment: PaymentParams }>(event);
        if (!reply.ok) return this.setData({ error: messageForError(reply.error.code, this.data.lang) });
        const outcome = await requestPayment(reply.payment);
        // Success of requestPayment is not proof of payment: the result page asks the server.
        wx.navigateTo({ url: `/pages/result/index?orderNo=${reply.order.orderNo}&outcome=${outcome.kind}` });
      } finally {
        this.setData({ paying: false });
      }
    },

    openOrders() {
      wx.navigateTo({ url: '/pages/orders/index' });
    },

    /**
     * NewPay only: "pay another way". A Converge cashier order whose payUrl the shopper can
     * open elsewhere (NewPay app, VISA, Alipay); copied to the clipboard.
     */
    async onPayAnotherWay() {
      if (this.data.paying || !this.data.canPay || this.data.provider !== 'newpay') return;
      this.setData({ paying: true, error: '', payUrl: '' });
      try {
        const login = await codes.take();
        if (login.kind !== 'ok') return this.setData({ error: message('login', this.data.lang) });
        const reply = await callPay<{ order: Order; payUrl: string }>({
          action: 'createCashierOrder',
          provider: 'newpay',
          currency: this.data.currency,
          payMethod: 'newpay',
          channel: 'mobile',
          items: this.data.lines.filter((l) => l.quantity > 0).map((l) => ({ sku: l.sku, quantity: l.quantity })),
          code: login.code,
        });
        if (!reply.ok) return this.setData({ error: messageForError(reply.error.code, this.data.lang) });
        this.setData({ payUrl: reply.payUrl });
        wx.setClipboardData({ data: reply.payUrl });
      } finally {
        this.setData({ paying: false });
      }
    },
  },
});
