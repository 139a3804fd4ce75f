/**
 * My orders: the shopper's orders, newest first, with status and amount. Tapping one opens
 * its result page. All backend work is in services/orders.ts.
 */
import { currentLanguage, messageForError } from '../../services/messages';
import { loadMyOrders, type OrderRow } from '../../services/orders';

Component({
  data: {
    orders: [] as OrderRow[],
    loading: true,
    empty: false,
    error: '',
    lang: 'en' as 'zh' | 'en',
  },
  methods: {
    onLoad() {
      this.setData({ lang: currentLanguage() });
      return this.load();
    },

    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh({}));
    },

    async load() {
      this.setData({ loading: true, error: '' });
      const result = await loadMyOrders(this.data.lang);
      if (result.kind !== 'ok') {
        this.setData({ loading: false, error: messageForError(result.code, this.data.lang) });
        return;
      }
      this.setData({ loading: false, orders: result.orders, empty: result.orders.length === 0 });
    },

    openOrder(e: WechatMiniprogram.TouchEvent) {
      const { orderNo } = e.currentTarget.dataset as { orderNo: string };
      wx.navigateTo({ url: `/pages/result/index?orderNo=${orderNo}` });
    },
  },
});
