/**
 * Result: the server's word on the order, never WeChat's `ok` alone. Polls queryOrder until
 * the order is final; once the notification is late, asks the backend to settle it with the
 * provider (refresh, where the provider can be asked). After the last poll it says the
 * payment is still being confirmed and offers "check again" and "my orders". An unpaid order
 * can be paid from here (services/orders.ts payOrder: same order, or a fresh one).
 */
import { currentLanguage, message, messageForError, messages, setTitle, type Lang, type MessageKey } from '../../services/i18n';
import { isPayable, payOrder, queryOrder } from '../../services/orders';
import { describeOrder, ensureShopKnown, money, providerInfo } from '../../services/shop';
import type { Order } from '../../services/types';

export const POLL_INTERVAL_MS = 1500;
export const MAX_POLLS = 20;
/** After this many polls without a final status, ask the provider directly. */
export const REFRESH_AFTER_POLLS = 4;

type View = 'confirming' | 'paid' | 'cancelled' | 'failed' | 'unpaid' | 'still' | 'closed' | 'refunded' | 'partly' | 'error';
type Outcome = 'ok' | 'cancel' | 'fail' | '';

const LOOK: Record<Exclude<View, 'confirming'>, { theme: string; icon: string; title: MessageKey; description: MessageKey }> = {
  paid: { theme: 'success', icon: 'check-circle-filled', title: 'resultPaid', description: 'resultPaidHint' },
  cancelled: { theme: 'default', icon: 'info-circle-filled', title: 'resultCancelled', description: 'resultCancelledHint' },
  failed: { theme: 'error', icon: 'close-circle-filled', title: 'resultFailed', description: 'resultFailedHint' },
  unpaid: { theme: 'default', icon: 'time-filled', title: 'resultUnpaid', description: 'resultUnpaidHint' },
  still: { theme: 'warning', icon: 'time-filled', title: 'resultStill', description: 'resultStillHint' },
  closed: { theme: 'default', icon: 'close-circle', title: 'resultClosed', description: 'resultClosedHint' },
  refunded: { theme: 'default', icon: 'rollback', title: 'resultRefunded', description: 'resultRefundedHint' },
  partly: { theme: 'success', icon: 'rollback', title: 'resultPartlyRefunded', description: 'resultPartlyRefundedHint' },
  error: { theme: 'error', icon: 'error-circle-filled', title: 'resultStill', description: 'errNETWORK' },
};

interface Internal {
  stopped?: boolean;
  generation?: number;
  order?: Order;
  timer?: ReturnType<typeof setTimeout>;
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
      self.stopped = true;
      if (self.timer) clearTimeout(self.timer);
    },

    show(view: View, extra: Record<string, unknown> = {}) {
      const lang = this.data.lang;
      if (view === 'confirming') return this.setData({ view, ...extra });
      const look = LOOK[view];
      const order = (this as unknown as Internal).order;
      const refunded = order?.refundedAmount ? money(order.refundedAmount, order.currency, lang) : '';
      this.setData({
        view,
        theme: look.theme,
        icon: look.icon,
        title: message(look.title, lang),
        description: message(look.description, lang, { amount: refunded }),
        ...extra,
      });
    },

    /** Starts (or restarts) polling from zero; an earlier loop stops at its next turn. */
    poll(): Promise<void> {
      const self = this as unknown as Internal;
      if (self.timer) clearTimeout(self.timer);
      self.generation = (self.generation ?? 0) + 1;
      if (this.data.outcome === 'ok' || this.data.outcome === '') this.show('confirming', { notice: '' });
      return this.pollOnce(0, self.generation);
    },

    async pollOnce(count: number, generation: number): Promise<void> {
      const self = this as unknown as Internal;
      if (self.stopped || self.generation !== generation) return;
      const provider = self.order ? providerInfo(self.order.provider) : undefined;
      const refresh = count >= REFRESH_AFTER_POLLS && (provider?.canQuery ?? true);
      const result = await queryOrder(this.data.orderNo, refresh);
      if (self.stopped || self.generation !== generation) return;
      if (result.kind === 'error') {
        // Not found or bad input will not change by asking again.
        if (result.code === 'NOT_FOUND' || result.code === 'INVALID_INPUT' || count + 1 >= MAX_POLLS) {
          return this.show('error', { description: messageForError(result.code, this.data.lang), payable: false });
        }
      } else if (this.settle(result.order)) {
        return;
      }
      if (count + 1 >= MAX_POLLS) return this.show('still', { payable: false });
      await new Promise<void>((resolve) => {
        self.timer = setTimeout(resolve, POLL_INTERVAL_MS);
      });
      return this.pollOnce(count + 1, generation);
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

    openOrders() {
      wx.redirectTo({ url: '/pages/orders/index' });
    },

    backToShop() {
      wx.reLaunch({ url: '/pages/checkout/index' });
    },
  },
});
