/**
 * Every word the shopper reads, in Simplified Chinese and English, chosen from the phone's
 * language (English when it is neither). Pages bind `t` (this table for the language) into
 * their data, so no .wxml holds literal text; `{name}` placeholders are filled by `format`.
 */
export type Lang = 'zh_CN' | 'en';

const en = {
  // navigation titles
  titleCheckout: 'Checkout',
  titleResult: 'Payment result',
  titleOrders: 'My orders',
  titleCashier: 'Pay your order',
  // checkout
  loadingCatalog: 'Loading the menu…',
  catalogEmpty: 'Nothing for sale right now',
  catalogEmptyHint: 'Please come back later.',
  currency: 'Currency',
  demoProvider: 'Demo only: acquirer',
  total: 'Total',
  chooseSomething: 'Choose something to buy',
  payWithWechat: 'Pay with WeChat Pay',
  myOrders: 'My orders',
  payAnotherWay: 'Pay another way',
  payAnotherWayHint: 'Scan this code with another phone to pay by card, Alipay or the bank app. Tap the code to copy the link.',
  linkCopied: 'Link copied',
  tryAgain: 'Try again',
  // result
  resultPaid: 'Payment successful',
  resultPaidHint: 'Thank you! Your order is paid.',
  resultConfirming: 'Confirming your payment…',
  resultConfirmingHint: 'Asking the shop for the result.',
  resultStill: 'Still confirming',
  resultStillHint: 'The payment provider has not answered yet. If you paid, your order updates by itself: check again in a minute, or see My orders.',
  resultCancelled: 'Payment cancelled',
  resultCancelledHint: 'No money was taken. You can pay again.',
  resultFailed: 'Payment failed',
  resultFailedHint: 'WeChat Pay could not complete the payment and no money was taken. Try again, or choose another card in WeChat Pay.',
  resultClosed: 'Order closed',
  resultClosedHint: 'This order was closed without payment. Order again from the shop.',
  resultRefunded: 'Refunded',
  resultRefundedHint: 'This order was refunded to your WeChat Pay account.',
  resultPartlyRefunded: 'Partly refunded',
  resultPartlyRefundedHint: '{amount} was refunded to your WeChat Pay account.',
  resultUnpaid: 'Awaiting payment',
  resultUnpaidHint: 'This order is not paid yet.',
  payAgain: 'Pay again',
  payNow: 'Pay now',
  checkAgain: 'Check again',
  backToShop: 'Back to shop',
  orderNumber: 'Order number',
  // orders
  loadingOrders: 'Loading your orders…',
  ordersEmpty: 'No orders yet',
  ordersEmptyHint: 'What you buy here shows up in this list.',
  goShopping: 'Go shopping',
  pay: 'Pay',
  statusCREATED: 'Created',
  statusPAYING: 'Awaiting payment',
  statusPAID: 'Paid',
  statusFAILED: 'Failed',
  statusCLOSED: 'Closed',
  statusPARTIALLY_REFUNDED: 'Partly refunded',
  statusREFUNDED: 'Refunded',
  refundedShort: '{amount} refunded',
  // cashier
  loadingPayment: 'Getting your payment ready…',
  cashierOrder: 'Order {orderNo}',
  cashierAmountUnknown: 'The amount is shown in WeChat Pay.',
  cashierMissing: 'This link has no order to pay',
  cashierMissingHint: 'Open the payment link again from the page where you ordered.',
  // errors: what happened, and what to do
  errNETWORK: 'Could not reach the shop. Check your connection and try again.',
  errLOGIN: 'WeChat sign-in failed. Try again.',
  errINVALID_INPUT: 'The shop could not accept this order. Go back to the shop and order again.',
  errNOT_FOUND: 'This order was not found. See My orders for your orders.',
  errORDER_ALREADY_PAID: 'This order is already paid. There is nothing more to pay.',
  errORDER_CLOSED: 'This order is closed. Order again from the shop.',
  errORDER_NOT_PAYABLE: 'This order can no longer be paid. Order again from the shop.',
  errDUPLICATE_ORDER: 'This order was already placed. See My orders.',
  errCONFIG_INVALID: 'The shop’s payment setup is incomplete, so it cannot take payments now. Please try again later.',
  errSIGNATURE_INVALID: 'The payment could not be verified, so no money was taken. Try again.',
  errPROVIDER_ERROR: 'The payment provider refused this payment. No money was taken. Try again later.',
  errINTERNAL: 'Something went wrong at the shop. No money was taken. Try again later.',
  errPAYMENT_FAILED: 'WeChat Pay could not complete the payment. No money was taken. Try again.',
  // the local stack's stand-in for the WeChat Pay sheet
  simPay: 'Pay (simulated)',
  simCancel: 'Cancel',
  simFail: 'Fail',
};

export type Messages = typeof en;
export type MessageKey = keyof Messages;

const zh_CN: Messages = {
  titleCheckout: '结算',
  titleResult: '支付结果',
  titleOrders: '我的订单',
  titleCashier: '订单支付',
  loadingCatalog: '正在加载商品…',
  catalogEmpty: '暂无商品',
  catalogEmptyHint: '请稍后再来。',
  currency: '币种',
  demoProvider: '仅演示：收单机构',
  total: '合计',
  chooseSomething: '请选择要购买的商品',
  payWithWechat: '微信支付',
  myOrders: '我的订单',
  payAnotherWay: '其他支付方式',
  payAnotherWayHint: '用另一部手机扫描此码，可用银行卡、支付宝或银行 App 支付。点击二维码复制链接。',
  linkCopied: '链接已复制',
  tryAgain: '重试',
  resultPaid: '支付成功',
  resultPaidHint: '谢谢！订单已支付。',
  resultConfirming: '正在确认支付结果…',
  resultConfirmingHint: '正在向商家查询结果。',
  resultStill: '仍在确认中',
  resultStillHint: '支付机构尚未返回结果。如已付款，订单会自动更新：请稍后再次查询，或在“我的订单”中查看。',
  resultCancelled: '已取消支付',
  resultCancelledHint: '未扣款，可重新支付。',
  resultFailed: '支付失败',
  resultFailedHint: '微信支付未能完成付款，未扣款。请重试，或在微信支付中更换银行卡。',
  resultClosed: '订单已关闭',
  resultClosedHint: '此订单未付款已关闭，请回到商店重新下单。',
  resultRefunded: '已退款',
  resultRefundedHint: '此订单已退款至您的微信支付账户。',
  resultPartlyRefunded: '部分退款',
  resultPartlyRefundedHint: '已退款 {amount} 至您的微信支付账户。',
  resultUnpaid: '待支付',
  resultUnpaidHint: '此订单尚未支付。',
  payAgain: '重新支付',
  payNow: '立即支付',
  checkAgain: '再次查询',
  backToShop: '返回商店',
  orderNumber: '订单号',
  loadingOrders: '正在加载订单…',
  ordersEmpty: '暂无订单',
  ordersEmptyHint: '您在这里购买的商品会显示在此列表中。',
  goShopping: '去逛逛',
  pay: '去支付',
  statusCREATED: '已创建',
  statusPAYING: '待支付',
  statusPAID: '已支付',
  statusFAILED: '支付失败',
  statusCLOSED: '已关闭',
  statusPARTIALLY_REFUNDED: '部分退款',
  statusREFUNDED: '已退款',
  refundedShort: '已退 {amount}',
  loadingPayment: '正在准备支付…',
  cashierOrder: '订单 {orderNo}',
  cashierAmountUnknown: '金额将在微信支付中显示。',
  cashierMissing: '此链接没有可支付的订单',
  cashierMissingHint: '请从下单页面重新打开支付链接。',
  errNETWORK: '无法连接商店，请检查网络后重试。',
  errLOGIN: '微信登录失败，请重试。',
  errINVALID_INPUT: '商店无法接受此订单，请返回商店重新下单。',
  errNOT_FOUND: '未找到此订单，请在“我的订单”中查看。',
  errORDER_ALREADY_PAID: '此订单已支付，无需再次付款。',
  errORDER_CLOSED: '此订单已关闭，请回到商店重新下单。',
  errORDER_NOT_PAYABLE: '此订单已无法支付，请回到商店重新下单。',
  errDUPLICATE_ORDER: '此订单已提交，请在“我的订单”中查看。',
  errCONFIG_INVALID: '商店的支付设置不完整，暂时无法收款，请稍后再试。',
  errSIGNATURE_INVALID: '无法验证此次支付，未扣款，请重试。',
  errPROVIDER_ERROR: '支付机构拒绝了此次支付，未扣款，请稍后再试。',
  errINTERNAL: '商店出现问题，未扣款，请稍后再试。',
  errPAYMENT_FAILED: '微信支付未能完成付款，未扣款，请重试。',
  simPay: '支付（模拟）',
  simCancel: '取消',
  simFail: '失败',
};

const TABLES: Record<Lang, Messages> = { en, zh_CN };

/** 'zh_CN', 'zh_TW', 'zh-Hans'… → zh_CN; everything else → en. */
export function languageOf(systemLanguage: string | undefined): Lang {
  return systemLanguage && /^zh/i.test(systemLanguage) ? 'zh_CN' : 'en';
}

/** The phone's language, from wx.getAppBaseInfo (getSystemInfoSync is deprecated). */
export function currentLanguage(): Lang {
  try {
    return languageOf(wx.getAppBaseInfo().language);
  } catch {
    return 'en';
  }
}

export function messages(lang: Lang): Messages {
  return TABLES[lang];
}

/** `{name}` placeholders filled from `vars`; unknown ones stay as written. */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => (name in vars ? String(vars[name]) : all));
}

export function message(key: MessageKey, lang: Lang, values: Record<string, string> = {}): string {
  return fill(TABLES[lang][key], values);
}

/** What a backend error code means for the shopper, and what to do next. */
export function messageForError(code: string, lang: Lang): string {
  if (code.startsWith('LOGIN_')) return message('errLOGIN', lang);
  const key = `err${code}` as MessageKey;
  return key in en ? message(key, lang) : message('errINTERNAL', lang);
}

/** Sets the navigation bar title in the phone's language. */
export function setTitle(key: MessageKey, lang: Lang): void {
  wx.setNavigationBarTitle({ title: message(key, lang) });
}
