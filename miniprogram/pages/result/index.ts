/**
 * Result: the server's word on the order. Polls queryOrder until the order is final; once
 * the notification is late, asks the backend to settle it with the provider (refresh).
 * After a cancel (or a failed attempt) on a still-PAYING order, "Pay again" pays the SAME
 * order (services/orders.ts payAgain).
 */
import { callPay } from '../../services/backend';
import { formatMoney } from '../../services/format';
import { currentLanguage, message, messageForError, type MessageKey } from '../../services/messages';
import { payAgain } from '../../services/orders';
import type { Order, Provider } from '../../services/types';
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
    provider: '' as Provider | '',
    /** The last attempt was cancelled or failed: the shopper may pay the same order again. */
    retryable: false,
    canPayAgain: false,
    retrying: false,
    lang: 'en' as 'zh' | 'en',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const lang = currentLanguage();
      const outcome = query.outcome;
      const text = outcome === 'cancel' ? message('cancelled', lang) : outcome === 'fail' ? message('failed', lang) : message('waiting', lang);
      this.setData({ orderNo: query.orderNo ?? '', lang, text, retryable: outcome === 'cancel' || outcome === 'fail' });
      return this.poll(0);
    },

    onUnload() {
      (this as unknown as { stopped: boolean }).stopped = true;
    },

    async poll(count: number): Promise<void> {
      const self = this as unknown as { stopped?: boolean; polling?: boolean };
      if (self.stopped) return;
      self.polling = true;
      try {
        await this.pollOnce(count);
      } finally {
        self.polling = false;
      }
    },

    async pollOnce(count: number): Promise<void> {
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
          provider: order.provider,
          amountText: formatMoney(order.amount, order.currency),
          description: order.description,
          final,
          canPayAgain: this.data.retryable && order.status === 'PAYING',
          ...(key ? { text: message(key, this.data.lang) } : {}),
        });
        if (final) return;
      }
      if (count + 1 >= MAX_POLLS) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
      if ((this as unknown as { stopped?: boolean }).stopped) return;
      return this.pollOnce(count + 1);
    },

    /** Pays the same order again; the server, not WeChat's `ok`, says when it is paid. */
    async onPayAgain() {
      // One tap, one attempt: the flag is set before the first await.
      if (this.data.retrying || !this.data.canPayAgain || !this.data.provider) return;
      this.setData({ retrying: true });
      try {
        const result = await payAgain({ orderNo: this.data.orderNo, provider: this.data.provider });
        const lang = this.data.lang;
        if (result.kind === 'ok') {
          this.setData({ retryable: false, canPayAgain: false, text: message('waiting', lang) });
          if (!(this as unknown as { polling?: boolean }).polling) void this.poll(0);
        } else if (result.kind === 'cancel') {
          this.setData({ text: message('cancelled', lang) });
        } else if (result.kind === 'fail') {
          this.setData({ text: message('failed', lang) });
        } else {
          // The order cannot be paid again (paid meanwhile, closed, provider cannot re-issue):
          // say so and let the server's answer settle the page.
          const final = result.code.startsWith('ORDER_');
          this.setData({ text: messageForError(result.code, lang), ...(final ? { retryable: false, canPayAgain: false } : {}) });
          if (final && !(this as unknown as { polling?: boolean }).polling) void this.poll(0);
        }
      } finally {
        this.setData({ retrying: false });
      }
    },

    backToShop() {
      wx.navigateBack({});
    },
  },
});
