/**
 * My orders: the shopper's orders, newest first, with status and amount. Tapping one opens
 * its result page; an unpaid one can be paid here (services/orders.ts payOrder).
 */
import { currentLanguage, messageForError, messages, setTitle, type Lang } from '../../services/i18n';
import { loadMyOrders, payOrder, type OrderRow } from '../../services/orders';
import type { Order } from '../../services/types';

type State = 'loading' | 'ready' | 'empty' | 'error';
let raw: Order[] = [];

Component({
  data: {
    t: messages('en'),
    lang: 'en' as Lang,
    state: 'loading' as State,
    orders: [] as OrderRow[],
    error: '',
    notice: '',
    /** The orderNo being paid, or ''. */
    paying: '',
  },
  methods: {
    onLoad() {
      const lang = currentLanguage();
      this.setData({ lang, t: messages(lang) });
      setTitle('titleOrders', lang);
      return this.load();
    },

    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh({}));
    },

    async load() {
      this.setData({ state: 'loading', error: '', notice: '' });
      const result = await loadMyOrders(this.data.lang);
      if (result.kind !== 'ok') {
        this.setData({ state: 'error', error: messageForError(result.code, this.data.lang) });
        return;
      }
      raw = result.raw;
      this.setData({ state: result.orders.length ? 'ready' : 'empty', orders: result.orders });
    },

    openOrder(e: WechatMiniprogram.TouchEvent) {
      const { orderNo } = e.currentTarget.dataset as { orderNo: string };
      wx.navigateTo({ url: `/pages/result/index?orderNo=${orderNo}` });
    },

    async payOrder(e: WechatMiniprogram.TouchEvent) {
      const { orderNo } = e.currentTarget.dataset as { orderNo: string };
      const order = raw.find((o) => o.orderNo === orderNo);
      if (this.data.paying || !order) return;
      this.setData({ paying: orderNo, notice: '' });
      try {
        const result = await payOrder(order);
        if (result.kind === 'error') return this.setData({ notice: messageForError(result.code, this.data.lang) });
        wx.navigateTo({ url: `/pages/result/index?orderNo=${result.orderNo}&outcome=${result.outcome.kind}` });
      } finally {
        this.setData({ paying: '' });
      }
    },

    goShopping() {
      wx.reLaunch({ url: '/pages/checkout/index' });
    },
  },
});
