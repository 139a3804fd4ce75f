/**
 * My orders: the shopper's orders, newest first, with status and amount, filtered by status
 * (all, unpaid, paid, refunds) and loaded 20 more at a time. Tapping one opens its order
 * page; an unpaid one can be paid here (services/orders.ts payOrder).
 */
import { currentLanguage, message, messageForError, messages, setTitle, type Lang } from '../../services/i18n';
import { loadMyOrders, payOrder, type OrderRow } from '../../services/orders';
import type { Order } from '../../services/types';

type State = 'loading' | 'ready' | 'empty' | 'error';
type Filter = 'all' | 'unpaid' | 'paid' | 'refunds';

export const PAGE_SIZE = 20;
/** The server's cap on listOrders' limit. */
export const MAX_ORDERS = 100;

const MATCHES: Record<Filter, (status: string) => boolean> = {
  all: () => true,
  unpaid: (s) => s === 'PAYING' || s === 'CREATED',
  paid: (s) => s === 'PAID',
  refunds: (s) => s === 'PARTIALLY_REFUNDED' || s === 'REFUNDED',
};

interface Row extends OrderRow {
  ariaLabel: string;
}

let raw: Order[] = [];
let rows: Row[] = [];

Component({
  data: {
    t: messages('en'),
    lang: 'en' as Lang,
    state: 'loading' as State,
    filters: [] as { key: Filter; label: string }[],
    filter: 'all' as Filter,
    shown: [] as Row[],
    limit: PAGE_SIZE,
    hasMore: false,
    loadingMore: false,
    error: '',
    notice: '',
    /** The orderNo being paid, or ''. */
    paying: '',
  },
  methods: {
    onLoad() {
      const lang = currentLanguage();
      const t = messages(lang);
      const filters: { key: Filter; label: string }[] = [
        { key: 'all', label: t.filterAll },
        { key: 'unpaid', label: t.filterUnpaid },
        { key: 'paid', label: t.filterPaid },
        { key: 'refunds', label: t.filterRefunds },
      ];
      this.setData({ lang, t, filters });
      setTitle('titleOrders', lang);
      return this.load();
    },

    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh({}));
    },

    async load(quiet = false) {
      if (!quiet) this.setData({ state: 'loading', error: '', notice: '' });
      const result = await loadMyOrders(this.data.lang, this.data.limit);
      this.setData({ loadingMore: false });
      if (result.kind !== 'ok') {
        if (quiet) return this.setData({ notice: messageForError(result.code, this.data.lang) });
        return this.setData({ state: 'error', error: messageForError(result.code, this.data.lang) });
      }
      raw = result.raw;
      const lang = this.data.lang;
      rows = result.orders.map((o) => ({ ...o, ariaLabel: message('ariaOrderRow', lang, { description: o.description, amount: o.amountText, status: o.statusText }) }));
      // A full page may have more behind it (up to what the server hands out).
      this.setData({ hasMore: raw.length >= this.data.limit && this.data.limit < MAX_ORDERS });
      this.applyFilter();
    },

    applyFilter() {
      const shown = rows.filter((r) => MATCHES[this.data.filter](r.status));
      this.setData({ shown, state: shown.length ? 'ready' : 'empty' });
    },

    onFilter(e: WechatMiniprogram.TouchEvent) {
      const { key } = e.currentTarget.dataset as { key: Filter };
      this.setData({ filter: key });
      if (this.data.state !== 'loading' && this.data.state !== 'error') this.applyFilter();
    },

    loadMore() {
      if (this.data.loadingMore || !this.data.hasMore) return;
      this.setData({ loadingMore: true, limit: Math.min(MAX_ORDERS, this.data.limit + PAGE_SIZE) });
      return this.load(true);
    },

    openOrder(e: WechatMiniprogram.TouchEvent) {
      const { orderNo } = e.currentTarget.dataset as { orderNo: string };
      wx.navigateTo({ url: `/pages/order/index?orderNo=${orderNo}` });
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
