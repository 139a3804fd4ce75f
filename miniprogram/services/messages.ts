/** Short messages for every failure a shopper can meet, in Simplified Chinese or English. */
export type MessageKey = 'network' | 'cancelled' | 'refused' | 'expired' | 'failed' | 'login' | 'paid' | 'waiting' | 'closed' | 'notPayable';

const MESSAGES: Record<'zh' | 'en', Record<MessageKey, string>> = {
  en: {
    network: 'Network problem. Check your connection and try again.',
    cancelled: 'Payment cancelled. You can pay again.',
    refused: 'The payment provider refused this payment.',
    expired: 'This order has expired. Please order again.',
    failed: 'Payment failed. No money was taken.',
    login: 'Could not sign you in to WeChat. Please try again.',
    paid: 'Paid. Thank you!',
    waiting: 'Confirming your payment…',
    closed: 'This order was closed without payment.',
    notPayable: 'This order can no longer be paid. Please order again.',
  },
  zh: {
    network: '网络异常，请检查网络后重试。',
    cancelled: '已取消支付，可重新支付。',
    refused: '支付机构拒绝了此次支付。',
    expired: '订单已过期，请重新下单。',
    failed: '支付失败，未扣款。',
    login: '微信登录失败，请重试。',
    paid: '支付成功，谢谢！',
    waiting: '正在确认支付结果…',
    closed: '订单已关闭，未付款。',
    notPayable: '此订单无法再次支付，请重新下单。',
  },
};

export function languageOf(systemLanguage: string | undefined): 'zh' | 'en' {
  return systemLanguage && /^zh/i.test(systemLanguage) ? 'zh' : 'en';
}

export function message(key: MessageKey, lang: 'zh' | 'en'): string {
  return MESSAGES[lang][key];
}

/** Maps a backend error code to the message a shopper sees. */
export function messageForError(code: string, lang: 'zh' | 'en'): string {
  if (code === 'NETWORK') return message('network', lang);
  if (code.startsWith('LOGIN_')) return message('login', lang);
  if (code === 'PROVIDER_ERROR') return message('refused', lang);
  if (code === 'ORDER_CLOSED' || code === 'ORDER_EXPIRED') return message('expired', lang);
  if (code === 'ORDER_ALREADY_PAID') return message('paid', lang);
  if (code === 'ORDER_NOT_PAYABLE') return message('notPayable', lang);
  return message('failed', lang);
}

export function currentLanguage(): 'zh' | 'en' {
  try {
    return languageOf(wx.getSystemInfoSync().language);
  } catch {
    return 'en';
  }
}
