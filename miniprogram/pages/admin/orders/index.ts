/**
 * Operator order list (pages/admin/orders/index): every shopper's orders, newest first, with
 * filters (status, provider, needs attention) and "load more" by cursor. The server decides
 * who may see it: FORBIDDEN shows "not allowed" and nothing else. Tapping an order opens
 * pages/admin/order/index. Words come from services/admin-messages.ts; backend work from
 * services/admin.ts.
 */
import type { AdminOrder, OrderStatus } from '../../../contract/wire';
import { enabledProviders, formatAmount, formatTime, listOrders, type OrderFilters } from '../../../services/admin';
import { providerInfo } from '../../../services/shop';
import { adminLanguage, adminMessages, errorText, statusText, type AdminLang } from '../../../services/admin-messages';

/** The status filter's choices after "All", in lifecycle order. */
export const STATUSES: OrderStatus[] = ['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'PAYING', 'CREATED', 'FAILED', 'CLOSED'];
export const PAGE_SIZE = 20;

export interface AdminOrderRow {
  orderNo: string;
  status: string;
  statusText: string;
  amountText: string;
  provider: string;
  timeText: string;
  description: string;
  attention: boolean;
  ariaLabel: string;
}

type State = 'loading' | 'ready' | 'error' | 'forbidden';

interface Internal {
  /** Bumped by each fresh load: replies to an older one (filters changed since) are dropped. */
  generation?: number;
  providerNames?: string[];
}

function rowOf(order: AdminOrder, lang: AdminLang): AdminOrderRow {
  return {
    orderNo: order.orderNo,
    status: order.status,
    statusText: statusText(order.status, lang),
    amountText: formatAmount(order.amount, order.currency, lang),
    provider: providerInfo(order.provider).displayName,
    timeText: formatTime(order.createdAt),
    description: order.description,
    attention: Boolean(order.attention),
    ariaLabel: [order.orderNo, formatAmount(order.amount, order.currency, lang), statusText(order.status, lang), order.attention ? adminMessages(lang).attentionBadge : ''].filter(Boolean).join(', '),
  };
}

Component({
  data: {
    lang: 'en' as AdminLang,
    t: adminMessages('en'),
    state: 'loading' as State,
    error: '',
    /** FORBIDDEN only: the caller's own openid, to add to ADMIN_OPENIDS (the server says it to that caller alone). */
    yourOpenid: '',
    statusOptions: [] as string[],
    statusIndex: 0,
    providerOptions: [] as string[],
    providerIndex: 0,
    attention: false,
    orders: [] as AdminOrderRow[],
    empty: false,
    nextCursor: '',
    loadingMore: false,
    moreError: '',
  },
  methods: {
    onLoad() {
      const lang = adminLanguage();
      const t = adminMessages(lang);
      (this as unknown as Internal).providerNames = [];
      this.setData({
        lang,
        t,
        statusOptions: [t.filterAll, ...STATUSES.map((s) => statusText(s, lang))],
        providerOptions: [t.filterAll],
      });
      wx.setNavigationBarTitle({ title: t.ordersTitle });
      return Promise.all([this.load(), this.loadProviders()]).then(() => undefined);
    },

    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh({}));
    },

    /** The provider filter's choices come from the server's enabled providers. */
    async loadProviders() {
      const providers = await enabledProviders();
      if (providers.length === 0) return;
      (this as unknown as Internal).providerNames = providers.map((p) => p.name);
      this.setData({ providerOptions: [this.data.t.filterAll, ...providers.map((p) => p.displayName)] });
    },

    filters(): OrderFilters {
      const names = (this as unknown as Internal).providerNames ?? [];
      const status = this.data.statusIndex > 0 ? STATUSES[this.data.statusIndex - 1] : undefined;
      const provider = this.data.providerIndex > 0 ? names[this.data.providerIndex - 1] : undefined;
      return { status, provider, attention: this.data.attention };
    },

    /** The first page for the current filters. */
    async load() {
      const self = this as unknown as Internal;
      const generation = (self.generation ?? 0) + 1;
      self.generation = generation;
      this.setData({ state: 'loading', error: '', moreError: '', orders: [], empty: false, nextCursor: '' });
      const reply = await listOrders(this.filters(), undefined, PAGE_SIZE);
      if (self.generation !== generation) return;
      if (!reply.ok) {
        if (reply.error.code === 'FORBIDDEN') return this.setData({ state: 'forbidden', error: this.data.t.notAllowed, yourOpenid: reply.error.openid ?? '' });
        return this.setData({ state: 'error', error: errorText(reply.error, this.data.lang) });
      }
      const orders = reply.orders.map((o) => rowOf(o, this.data.lang));
      this.setData({ state: 'ready', orders, empty: orders.length === 0, nextCursor: reply.nextCursor ?? '' });
    },

    async loadMore() {
      const self = this as unknown as Internal;
      if (this.data.loadingMore || !this.data.nextCursor || this.data.state !== 'ready') return;
      const generation = self.generation;
      this.setData({ loadingMore: true, moreError: '' });
      const reply = await listOrders(this.filters(), this.data.nextCursor, PAGE_SIZE);
      if (self.generation !== generation) return this.setData({ loadingMore: false });
      if (!reply.ok) {
        if (reply.error.code === 'FORBIDDEN') return this.setData({ loadingMore: false, state: 'forbidden', orders: [], error: this.data.t.notAllowed, yourOpenid: reply.error.openid ?? '' });
        return this.setData({ loadingMore: false, moreError: errorText(reply.error, this.data.lang) });
      }
      const seen = new Set(this.data.orders.map((o) => o.orderNo));
      const more = reply.orders.filter((o) => !seen.has(o.orderNo)).map((o) => rowOf(o, this.data.lang));
      this.setData({ loadingMore: false, orders: [...this.data.orders, ...more], nextCursor: reply.nextCursor ?? '' });
    },

    onStatusChange(e: WechatMiniprogram.PickerChange) {
      this.setData({ statusIndex: Number(e.detail.value) });
      return this.load();
    },

    onProviderChange(e: WechatMiniprogram.PickerChange) {
      this.setData({ providerIndex: Number(e.detail.value) });
      return this.load();
    },

    toggleAttention() {
      this.setData({ attention: !this.data.attention });
      return this.load();
    },

    clearFilters() {
      this.setData({ statusIndex: 0, providerIndex: 0, attention: false });
      return this.load();
    },

    backToShop() {
      wx.reLaunch({ url: '/pages/checkout/index' });
    },

    openOrder(e: WechatMiniprogram.TouchEvent) {
      const { orderNo } = e.currentTarget.dataset as { orderNo: string };
      wx.navigateTo({ url: `/pages/admin/order/index?orderNo=${encodeURIComponent(orderNo)}` });
    },
  },
});
