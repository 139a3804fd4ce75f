/**
 * One order, for the shopper who placed it (pages/order/index?orderNo=…): its items and
 * amounts, status, when it was placed and paid, each refund, the order number to copy, a
 * customer-service button (open-type="contact"), and for an unpaid order: pay, cancel, and a
 * countdown to when it closes by itself. Everything shown is the server's word (queryOrder).
 */
import { formatCountdown, formatTime } from '../../services/format';
import { currentLanguage, errorTitle, message, messageForError, messages, setTitle, type Lang, type MessageKey } from '../../services/i18n';
import { cancelOrder, isPayable, payOrder, queryOrder } from '../../services/orders';
import { describeOrder, ensureShopKnown, money } from '../../services/shop';
import type { Order } from '../../services/types';
import type { PublicRefund } from '../../contract/wire';

type State = 'loading' | 'ready' | 'error';

interface Internal {
  order?: Order;
  ticker?: ReturnType<typeof setInterval>;
  hidden?: boolean;
}

Component({
  data: {
    t: messages('en'),
    lang: 'en' as Lang,
    state: 'loading' as State,
    orderNo: '',
    error: '',
    errorTitle: '',
    notice: '',
    status: '',
    statusText: '',
    totalText: '',
    description: '',
    items: [] as { sku: string; name: string; quantityText: string; priceText: string }[],
    createdText: '',
    paidText: '',
    refunds: [] as { refundNo: string; amountText: string; status: string; statusText: string; timeText: string }[],
    payable: false,
    countdownText: '',
    copyLabel: '',
    /** '' | 'pay' | 'cancel': one action at a time. */
    busy: '',
    /** The "cancel this order?" sheet is open. */
    confirmCancel: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const lang = currentLanguage();
      const orderNo = decodeURIComponent(query.orderNo ?? '');
      this.setData({ lang, t: messages(lang), orderNo, copyLabel: message('ariaCopy', lang, { orderNo }) });
      setTitle('titleOrder', lang);
      return ensureShopKnown(lang).then(() => this.load());
    },

    onShow() {
      const self = this as unknown as Internal;
      // Back from paying elsewhere, or from another app: what the server says now.
      if (self.hidden && this.data.state === 'ready') void this.load(true);
      self.hidden = false;
      this.startTicker();
    },

    onHide() {
      (this as unknown as Internal).hidden = true;
      this.stopTicker();
    },

    onUnload() {
      this.stopTicker();
    },

    async load(quiet = false) {
      if (!quiet) this.setData({ state: 'loading', error: '' });
      const result = await queryOrder(this.data.orderNo, false);
      const lang = this.data.lang;
      if (result.kind === 'error') {
        if (quiet) return;
        return this.setData({ state: 'error', errorTitle: errorTitle(result.code, lang), error: messageForError(result.code, lang) });
      }
      this.show(result.order, result.refunds);
    },

    show(order: Order, refunds: PublicRefund[]) {
      const self = this as unknown as Internal;
      self.order = order;
      const lang = this.data.lang;
      const refunded = order.refundedAmount ? ` · ${message('refundedShort', lang, { amount: money(order.refundedAmount, order.currency, lang) })}` : '';
      this.setData({
        state: 'ready',
        status: order.status,
        statusText: message(`status${order.status}` as MessageKey, lang) + refunded,
        totalText: money(order.amount, order.currency, lang),
        description: describeOrder(order, lang),
        items: order.items.map((l) => ({
          sku: l.sku,
          name: describeOrder({ description: l.name, items: [{ ...l, quantity: 1 }] }, lang),
          quantityText: message('quantity', lang, { quantity: l.quantity }),
          priceText: money(l.unitPrice * l.quantity, order.currency, lang),
        })),
        createdText: formatTime(order.createdAt),
        paidText: order.paidAt ? formatTime(order.paidAt) : '',
        refunds: refunds.map((r) => ({
          refundNo: r.refundNo,
          amountText: money(r.amount, r.currency, lang),
          status: r.status,
          statusText: message(`refund${r.status}` as MessageKey, lang),
          timeText: formatTime(r.settledAt ?? r.createdAt),
        })),
        payable: isPayable(order),
      });
      this.startTicker();
    },

    /** The countdown to auto-close, once a second while the page shows an unpaid order. */
    startTicker() {
      const self = this as unknown as Internal;
      this.stopTicker();
      const order = self.order;
      if (!order || !isPayable(order)) return this.setData({ countdownText: '' });
      const tick = () => {
        const left = order.expiresAt - Date.now();
        if (left <= 0) {
          this.stopTicker();
          this.setData({ countdownText: '', payable: false });
          void this.load(true); // the server closes it; show what it says
          return;
        }
        this.setData({ countdownText: message('autoClose', this.data.lang, { time: formatCountdown(left) }) });
      };
      tick();
      if (isPayable(order)) self.ticker = setInterval(tick, 1000);
    },

    stopTicker() {
      const self = this as unknown as Internal;
      if (self.ticker) clearInterval(self.ticker);
      self.ticker = undefined;
    },

    copyOrderNo() {
      wx.setClipboardData({ data: this.data.orderNo, success: () => wx.showToast({ title: message('copied', this.data.lang), icon: 'none' }) });
    },

    async onPay() {
      const order = (this as unknown as Internal).order;
      if (this.data.busy || !order || !this.data.payable) return;
      this.setData({ busy: 'pay', notice: '' });
      try {
        const result = await payOrder(order);
        if (result.kind === 'error') return this.setData({ notice: messageForError(result.code, this.data.lang) });
        wx.navigateTo({ url: `/pages/result/index?orderNo=${result.orderNo}&outcome=${result.outcome.kind}` });
      } finally {
        this.setData({ busy: '' });
      }
    },

    /** Asks first, in a sheet; the server closes the order (a payment that still arrives counts). */
    onCancel() {
      if (this.data.busy || !this.data.payable) return;
      this.setData({ confirmCancel: true });
    },

    onCancelSheet(e: WechatMiniprogram.CustomEvent<{ visible: boolean }>) {
      if (!e.detail.visible) this.setData({ confirmCancel: false });
    },

    keepOrder() {
      this.setData({ confirmCancel: false });
    },

    confirmCancelOrder() {
      this.setData({ confirmCancel: false });
      return this.cancelNow();
    },

    async cancelNow() {
      if (this.data.busy) return;
      this.setData({ busy: 'cancel', notice: '' });
      try {
        const result = await cancelOrder(this.data.orderNo);
        if (result.kind === 'error') {
          this.setData({ notice: messageForError(result.code, this.data.lang) });
          return void this.load(true); // paid meanwhile, or closed: show how it stands
        }
        this.show(result.order, []);
        wx.showToast({ title: message('cancelDone', this.data.lang), icon: 'none' });
      } finally {
        this.setData({ busy: '' });
      }
    },

    openOrders() {
      wx.redirectTo({ url: '/pages/orders/index' });
    },
  },
});
