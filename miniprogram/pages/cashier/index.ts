/**
 * NewPay's scheme-URL cashier: NewPay opens the mini program with `newpayOrderNo` in the
 * launch query. This page logs in twice (one code identifies the shopper to our backend,
 * the other only NewPay spends in getMiniPayment), gets the payment parameters and pays.
 */
import { callPay } from '../../services/backend';
import { currentLanguage, message, messageForError } from '../../services/messages';
import type { PaymentParams } from '../../services/types';
import { LoginCodeCache, paymentCodes, requestPayment } from '../../services/wechat';

const codes = new LoginCodeCache();

Component({
  data: {
    newpayOrderNo: '',
    paying: false,
    done: false,
    text: '',
    error: '',
    lang: 'en' as 'zh' | 'en',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const lang = currentLanguage();
      const newpayOrderNo = query.newpayOrderNo ?? '';
      this.setData({ lang, newpayOrderNo, error: newpayOrderNo ? '' : message('failed', lang) });
      codes.prefetch();
    },

    async onPay() {
      if (this.data.paying || this.data.done || !this.data.newpayOrderNo) return;
      this.setData({ paying: true, error: '' });
      try {
        const login = await paymentCodes('newpay', () => codes.take());
        if (!login) return this.setData({ error: message('login', this.data.lang) });
        const reply = await callPay<{ payment: PaymentParams }>({
          action: 'cashierPayment',
          provider: 'newpay',
          newpayOrderNo: this.data.newpayOrderNo,
          ...login,
        });
        if (!reply.ok) return this.setData({ error: messageForError(reply.error.code, this.data.lang) });
        const outcome = await requestPayment(reply.payment);
        if (outcome.kind === 'ok') this.setData({ done: true, text: message('paid', this.data.lang) });
        else if (outcome.kind === 'cancel') this.setData({ text: message('cancelled', this.data.lang) });
        else this.setData({ error: message('failed', this.data.lang) });
      } finally {
        this.setData({ paying: false });
      }
    },
  },
});
