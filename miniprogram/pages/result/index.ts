/**
 * Result: the server's word on the order, never WeChat's `ok` alone. Polls queryOrder until
 * the order is final; once the notification is late, asks the backend to settle it with the
 * provider (refresh, where the provider can be asked). After the last poll it says the
 * payment is still being confirmed and offers "check again" and "my orders". An unpaid order
 * can be paid from here (services/orders.ts payOrder: same order, or a fresh one).
 */
import { currentLanguage, errorTitle, message, messageForError, messages, setTitle, type Lang, type MessageKey } from '../../services/i18n';
import { isPayable, payOrder, queryOrder } from '../../services/orders';
import { describeOrder, ensureShopKnown, money, providerInfo } from '../../services/shop';
import type { Order } from '../../services/types';
import { Poller } from '../../services/poller';

/** Asks before giving up and saying "still confirming" (waits 1, 2, 3, 5, 8, 8, 8 s: about 35 s). */
export const MAX_POLLS = 8;
/** From this ask on, the backend settles a late notification by asking the provider. */
export const REFRESH_AFTER_POLLS = 4;
/** After this long confirming, My orders appears (the shopper can always leave). */
export const ORDERS_LINK_AFTER_MS = 5000;

type View = 'confirming' | 'paid' | 'cancelled' | 'failed' | 'unpaid' | 'still' | 'closed' | 'refunded' | 'partly' | 'notfound' | 'error';
type Outcome = 'ok' | 'cancel' | 'fail' | '';
/** The two buttons each state offers: what to do next, and the way out. */
type Action = 'payAgain' | 'checkAgain' | 'backToShop' | 'myOrders' | 'viewOrder';

const LOOK: Record<Exclude<View, 'confirming'>, { theme: string; icon: string; title: MessageKey; description: MessageKey; primary: Action; secondary: Action }> = {
  paid: { theme: 'success', icon: 'check-circle-filled', title: 'resultPaid', description: 'resultPaidHint', primary: 'backToShop', secondary: 'viewOrder' },
  cancelled: { theme: 'default', icon: 'info-circle-filled', title: 'resultCancelled', description: 'resultCancelledHint', primary: 'payAgain', secondary: 'viewOrder' },
  failed: { theme: 'error', icon: 'close-circle-filled', title: 'resultFailed', description: 'resultFailedHint', primary: 'payAgain', secondary: 'viewOrder' },
  unpaid: { theme: 'default', icon: 'time-filled', title: 'resultUnpaid', description: 'resultUnpaidHint', primary: 'payAgain', secondary: 'viewOrder' },
  still: { theme: 'warning', icon: 'time-filled', title: 'resultStill', description: 'resultStillHint', primary: 'checkAgain', secondary: 'myOrders' },
  closed: { theme: 'default', icon: 'close-circle', title: 'resultClosed', description: 'resultClosedHint', primary: 'backToShop', secondary: 'viewOrder' },
  refunded: { theme: 'default', icon: 'rollback', title: 'resultRefunded', description: 'resultRefundedHint', primary: 'viewOrder', secondary: 'backToShop' },
  partly: { theme: 'success', icon: 'rollback', title: 'resultPartlyRefunded', description: 'resultPartlyRefundedHint', primary: 'viewOrder', secondary: 'backToShop' },
  notfound: { theme: 'default', icon: 'search', title: 'resultNotFound', description: 'resultNotFoundHint', primary: 'myOrders', secondary: 'backToShop' },
  error: { theme: 'error', icon: 'error-circle-filled', title: 'errTitleOTHER', description: 'errNETWORK', primary: 'checkAgain', secondary: 'myOrders' },
};

const ACTION_LABEL: Record<Action, MessageKey> = { payAgain: 'payAgain', checkAgain: 'checkAgain', backToShop: 'backToShop', myOrders: 'myOrders', viewOrder: 'viewOrder' };

interface Internal {
  order?: Order;
  poller?: Poller;
  ordersTimer?: ReturnType<typeof setTimeout>;
}

Component({
  data: {
    t: messages('en'),
    lang: 'en' as Lang,
    orderNo: '',
    outcome: '' as Outcome,
    view: 'confirming' as View,
    theme: 'default',
    icon: '',
    title: '',
    description: '',
    amountText: '',
    orderDescription: '',
    status: '',
    notice: '',
    payable: false,
    payLabel: '',
    retrying: false,
    primary: '' as Action | '',
    secondary: '' as Action | '',
    primaryLabel: '',
    secondaryLabel: '',
    /** Confirming for ORDERS_LINK_AFTER_MS: My orders is offered. */
    showOrdersLink: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const lang = currentLanguage();
      const outcome = (['ok', 'cancel', 'fail'].includes(query.outcome ?? '') ? query.outcome : '') as Outcome;
      this.setData({ lang, t: messages(lang), orderNo: query.orderNo ?? '', outcome });
      setTitle('titleResult', lang);
      return ensureShopKnown(lang).then(() => this.poll());
    },

    onUnload() {
      const self = this as unknown as Internal;
      self.poller?.stop();
      if (self.ordersTimer) clearTimeout(self.ordersTimer);
    },

    /** The shopper went to another app: no asking meanwhile; on return, ask at once. */
    onHide() {
      (this as unknown as Internal).poller?.hide();
    },

    onShow() {
      return (this as unknown as Internal).poller?.show();
    },

    show(view: View, extra: Record<string, unknown> = {}) {
      const lang = this.data.lang;
      const self = this as unknown as Internal;
      if (view !== 'confirming' && self.ordersTimer) clearTimeout(self.ordersTimer);
      if (view === 'confirming') return this.setData({ view, primary: '', secondary: '', ...extra });
      const look = LOOK[view];
      const order = self.order;
      const refunded = order?.refundedAmount ? money(order.refundedAmount, order.currency, lang) : '';
      const payable = view === 'cancelled' || view === 'failed' || view === 'unpaid' ? Boolean(extra.payable ?? this.data.payable) : false;
      // Without the order (a payable one) the primary action falls back to the way out.
      const primary: Action = look.primary === 'payAgain' && !payable ? 'myOrders' : look.primary;
      const secondary: Action = look.secondary === 'viewOrder' && !order ? (primary === 'myOrders' ? 'backToShop' : 'myOrders') : look.secondary;
      this.setData({
        view,
        theme: look.theme,
        icon: look.icon,
        title: message(look.title, lang),
        description: message(look.description, lang, { amount: refunded }),
        primary,
        secondary: secondary === primary ? 'backToShop' : secondary,
        primaryLabel: primary === 'payAgain' ? String(extra.payLabel ?? this.data.payLabel) || message('payAgain', lang) : message(ACTION_LABEL[primary], lang),
        secondaryLabel: message(ACTION_LABEL[secondary === primary ? 'backToShop' : secondary], lang),
        ...extra,
      });
    },

    /** Starts (or restarts) polling from the shortest wait. */
    poll(): Promise<void> {
      const self = this as unknown as Internal;
      self.poller?.stop();
      if (this.data.outcome === 'ok' || this.data.outcome === '') {
        this.show('confirming', { notice: '', showOrdersLink: false });
        if (self.ordersTimer) clearTimeout(self.ordersTimer);
        self.ordersTimer = setTimeout(() => this.setData({ showOrdersLink: true }), ORDERS_LINK_AFTER_MS);
      }
      const poller = new Poller((attempt) => this.pollOnce(attempt));
      self.poller = poller;
      return poller.start();
    },

    /** One ask; true when polling is done (a final answer, an error that asking again cannot fix, or the last ask). */
    async pollOnce(count: number): Promise<boolean> {
      const self = this as unknown as Internal;
      const provider = self.order ? providerInfo(self.order.provider) : undefined;
      const refresh = count >= REFRESH_AFTER_POLLS && (provider?.canQuery ?? true);
      const result = await queryOrder(this.data.orderNo, refresh);
      if (self.poller && !self.poller.active) return true;
      const lang = this.data.lang;
      if (result.kind === 'error') {
        if (result.code === 'NOT_FOUND' || result.code === 'INVALID_INPUT') {
          this.show('notfound', { payable: false });
          return true;
        }
        if (count + 1 >= MAX_POLLS || this.data.outcome !== 'ok') {
          // Nothing is claimed about the money: the title names what failed.
          this.show('error', { title: errorTitle(result.code, lang), description: messageForError(result.code, lang), payable: false });
          return true;
        }
        return false;
      }
      if (this.settle(result.order)) return true;
      if (count + 1 >= MAX_POLLS) {
        this.show('still', { payable: false });
        return true;
      }
      return false;
    },

    /** Shows the order; true when polling can stop. */
    settle(order: Order): boolean {
      const self = this as unknown as Internal;
      self.order = order;
      const lang = this.data.lang;
      const shown = {
        status: order.status,
        amountText: money(order.amount, order.currency, lang),
        orderDescription: describeOrder(order, lang),
      };
      const payable = isPayable(order);
      switch (order.status) {
        case 'PAID':
          this.show('paid', { ...shown, payable: false });
          return true;
        case 'REFUNDED':
          this.show('refunded', { ...shown, payable: false });
          return true;
        case 'PARTIALLY_REFUNDED':
          this.show('partly', { ...shown, payable: false });
          return true;
        case 'CLOSED':
        case 'FAILED':
          this.show('closed', { ...shown, payable: false });
          return true;
        default: {
          const outcome = this.data.outcome;
          if (outcome === 'cancel' || outcome === 'fail' || outcome === '') {
            // The shopper did not pay (or opened the order from My orders): nothing to wait for.
            const view: View = outcome === 'cancel' ? 'cancelled' : outcome === 'fail' ? 'failed' : 'unpaid';
            this.show(view, { ...shown, payable, payLabel: message(outcome === '' ? 'payNow' : 'payAgain', lang) });
            return true;
          }
          this.setData(shown);
          return false;
        }
      }
    },

    /** Pays the order again (same order or a fresh one); the server, not WeChat's `ok`, says when it is paid. */
    async onPayAgain() {
      const self = this as unknown as Internal;
      // One tap, one attempt: the flag is set before the first await.
      if (this.data.retrying || !this.data.payable || !self.order) return;
      this.setData({ retrying: true, notice: '' });
      try {
        const result = await payOrder(self.order);
        const lang = this.data.lang;
        if (result.kind === 'error') {
          const final = result.code.startsWith('ORDER_');
          this.setData({ notice: messageForError(result.code, lang), ...(final ? { payable: false } : {}) });
          if (result.code === 'ORDER_ALREADY_PAID') {
            this.setData({ outcome: 'ok' });
            void this.poll();
          }
          return;
        }
        // A fresh order (the provider could not re-issue) takes over the page.
        this.setData({ orderNo: result.orderNo, outcome: result.outcome.kind });
        void this.poll();
      } finally {
        this.setData({ retrying: false });
      }
    },

    onCheckAgain() {
      this.setData({ outcome: this.data.outcome === '' ? '' : 'ok' });
      return this.poll();
    },

    onAction(e: WechatMiniprogram.TouchEvent) {
      const { action } = e.currentTarget.dataset as { action: Action };
      if (action === 'payAgain') return this.onPayAgain();
      if (action === 'checkAgain') return this.onCheckAgain();
      if (action === 'viewOrder') return this.openOrder();
      if (action === 'myOrders') return this.openOrders();
      return this.backToShop();
    },

    openOrder() {
      wx.redirectTo({ url: `/pages/order/index?orderNo=${this.data.orderNo}` });
    },

    openOrders() {
      wx.redirectTo({ url: '/pages/orders/index' });
    },

    backToShop() {
      wx.reLaunch({ url: '/pages/checkout/index' });
    },
  },
});
