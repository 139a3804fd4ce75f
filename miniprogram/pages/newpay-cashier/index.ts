/**
 * NewPay's scheme-URL cashier: NewPay opens the mini program with `newpayOrderNo` in the
 * launch query (path pages/newpay-cashier/index). The page asks the backend for the payment
 * (two login codes where NewPay spends one), shows the amount, and pays. WeChat's `ok` is not
 * shown as paid: where the server names our order, the result page polls it like any other.
 */
import { prepareNewpayOrder, type PreparedPayment } from '../../services/newpay/cashier';
import { currentLanguage, errorTitle, message, messageForError, messages, setTitle, type Lang, type MessageKey } from '../../services/i18n';
import { describeOrder, ensureShopKnown, money } from '../../services/shop';
import { LoginCodeCache } from '../../services/wechat';

type View = 'loading' | 'ready' | 'cancelled' | 'failed' | 'submitted' | 'error' | 'missing';

const LOOK: Record<Exclude<View, 'loading'>, { theme: string; icon: string; title: MessageKey; description?: MessageKey }> = {
  ready: { theme: 'success', icon: 'wallet', title: 'titleCashier' },
  // Said before the server is asked: nothing about the money (services/orders decides that).
  cancelled: { theme: 'default', icon: 'info-circle-filled', title: 'resultCancelled', description: 'resultCancelledUnconfirmedHint' },
  failed: { theme: 'error', icon: 'close-circle-filled', title: 'resultFailed', description: 'resultFailedUnconfirmedHint' },
  submitted: { theme: 'warning', icon: 'time-filled', title: 'resultSubmitted', description: 'resultSubmittedHint' },
  error: { theme: 'error', icon: 'error-circle-filled', title: 'resultFailed' },
  missing: { theme: 'error', icon: 'error-circle-filled', title: 'cashierMissing', description: 'cashierMissingHint' },
};

const codes = new LoginCodeCache();
let prepared: PreparedPayment | undefined;

Component({
  data: {
    t: messages('en'),
    lang: 'en' as Lang,
    view: 'loading' as View,
    theme: 'default',
    icon: '',
    title: '',
    description: '',
    newpayOrderNo: '',
    orderNoText: '',
    amountText: '',
    orderDescription: '',
    payLabel: '',
    paying: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const lang = currentLanguage();
      const newpayOrderNo = query.newpayOrderNo ?? '';
      prepared = undefined;
      this.setData({ lang, t: messages(lang), newpayOrderNo, orderNoText: message('cashierOrder', lang, { orderNo: newpayOrderNo }) });
      setTitle('titleCashier', lang);
      if (!newpayOrderNo) return this.show('missing');
      codes.prefetch();
      return this.prepare();
    },

    show(view: View, extra: Record<string, unknown> = {}) {
      if (view === 'loading') return this.setData({ view });
      const look = LOOK[view];
      const lang = this.data.lang;
      this.setData({
        view,
        theme: look.theme,
        icon: look.icon,
        title: message(look.title, lang),
        description: look.description ? message(look.description, lang) : '',
        payLabel: message(view === 'ready' ? 'payWithWechat' : 'payAgain', lang),
        ...extra,
      });
    },

    async prepare() {
      this.show('loading');
      await ensureShopKnown(this.data.lang);
      const result = await prepareNewpayOrder(this.data.newpayOrderNo, () => codes.take());
      if (result.kind === 'error') return this.show('error', { title: errorTitle(result.code, this.data.lang), description: messageForError(result.code, this.data.lang) });
      prepared = result.payment;
      const order = prepared.order;
      this.show('ready', order ? { amountText: money(order.amount, order.currency, this.data.lang), orderDescription: describeOrder(order, this.data.lang) } : {});
    },

    async onPay() {
      if (this.data.paying || !prepared) return;
      this.setData({ paying: true });
      try {
        const outcome = await prepared.pay();
        const order = prepared.order;
        // Where the server knows our order, the result page asks it before saying anything about the money.
        if (order) return wx.redirectTo({ url: `/pages/result/index?orderNo=${order.orderNo}&outcome=${outcome.kind}` });
        if (outcome.kind === 'cancel') return this.show('cancelled');
        if (outcome.kind === 'fail') return this.show('failed');
        this.show('submitted');
      } finally {
        this.setData({ paying: false });
      }
    },

    /** Submitted without our order: ask again; once the shop knows the order, its result page takes over. */
    async onCheckAgain() {
      if (this.data.paying) return;
      this.setData({ paying: true });
      try {
        const result = await prepareNewpayOrder(this.data.newpayOrderNo, () => codes.take());
        if (result.kind === 'error') return this.show('submitted', { description: messageForError(result.code, this.data.lang) });
        prepared = result.payment;
        const order = prepared.order;
        if (order) return wx.redirectTo({ url: `/pages/result/index?orderNo=${order.orderNo}&outcome=ok` });
        this.show('submitted');
      } finally {
        this.setData({ paying: false });
      }
    },

    openOrders() {
      wx.redirectTo({ url: '/pages/orders/index' });
    },

    backToShop() {
      wx.reLaunch({ url: '/pages/checkout/index' });
    },
  },
});
