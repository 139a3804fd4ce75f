/**
 * Result: the server's word on the order. Polls queryOrder until the order is final; once
 * the notification is late, asks the backend to settle it with the provider (refresh).
 */
import { callPay } from '../../services/backend';
import { formatMoney } from '../../services/format';
import { currentLanguage, message, messageForError, type MessageKey } from '../../services/messages';
import type { Order } from '../../services/types';
import { login } from '../../services/wechat';

export const POLL_INTERVAL_MS = 1500;
export const MAX_POLLS = 40;
/** After this many polls without a final status, ask the provider directly. */
export const REFRESH_AFTER_POLLS = 4;

const FINAL = ['PAID', 'FAILED', 'CLOSED'];
const STATUS_MESSAGE: Record<string, MessageKey> = { PAID: 'paid', FAILED: 'failed', CLOSED: 'closed' };

Component({
  data: {
    orderNo: '',
    status: '',
    amountText: '',
    description: '',
    text: '',
    final: false,
    lang: 'en' as 'zh' | 'en',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const lang = currentLanguage();
      const outcome = query.outcome;
      const text = outcome === 'cancel' ? message('cancelled', lang) : outcome === 'fail' ? message('failed', lang) : message('waiting', lang);
      this.setData({ orderNo: query.orderNo ?? '', lang, text });
      return this.poll(0);
    },

    onUnload() {
      (this as unknown as { stopped: boolean }).stopped = true;
    },

    async poll(count: number): Promise<void> {
      if ((this as unknown as { stopped?: boolean }).stopped) return;
      const code = await login();
      if (code.kind !== 'ok') return this.setData({ text: message('login', this.data.lang) });
      const reply = await callPay<{ order: Order }>({
        action: 'queryOrder',
        orderNo: this.data.orderNo,
        code: code.code,
        refresh: count >= REFRESH_AFTER_POLLS,
      });
      if (!reply.ok) {
        this.setData({ text: messageForError(reply.error.code, this.data.lang) });
      } else {
        const order = reply.order;
        const final = FINAL.includes(order.status);
        const key = STATUS_MESSAGE[order.status];
        this.setData({
          status: order.status,
          amountText: formatMoney(order.amount, order.currency),
          description: order.description,
          final,
          ...(key ? { text: message(key, this.data.lang) } : {}),
        });
        if (final) return;
      }
      if (count + 1 >= MAX_POLLS) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
      return this.poll(count + 1);
    },

    backToShop() {
      wx.navigateBack({});
    },
  },
});
