/**
 * Every word the operator pages (pages/admin/*) show, in Simplified Chinese and English.
 * The pages' WXML holds no text of its own: each page puts `t` (one language's table) and
 * the sentences built here into its data. Language from wx.getAppBaseInfo().language;
 * anything that is not Chinese gets English.
 */
import type { ErrorCode, OrderStatus, RefundStatus } from '../contract/wire';
import { currentLanguage, fill, languageOf, type Lang } from './i18n';

/** The same two languages as the shopper's pages, chosen the same way (services/i18n.ts). */
export type AdminLang = Lang;

const en = {
  ordersTitle: 'Orders (operator)',
  orderTitle: 'Order (operator)',
  loading: 'Loading…',
  retry: 'Try again',
  notAllowed: 'Not allowed. This WeChat account is not an operator of this shop.',
  addYourOpenid: 'To make it one, add this openid to ADMIN_OPENIDS in the admin function\'s environment:',
  filterStatus: 'Status',
  filterProvider: 'Provider',
  filterAll: 'All',
  attentionOnly: 'Needs attention only',
  attentionAny: 'All orders',
  attentionBadge: 'Needs attention',
  empty: 'No orders match these filters.',
  loadMore: 'Load more',
  loadingMore: 'Loading more…',
  noMore: 'That is every order.',
  fieldOrderNo: 'Order number',
  fieldStatus: 'Status',
  fieldAmount: 'Amount',
  fieldRefunded: 'Refunded',
  fieldRemaining: 'Refundable',
  fieldProvider: 'Provider',
  fieldProviderRef: 'Provider reference',
  fieldPayer: 'Payer (openid)',
  fieldCreated: 'Created',
  fieldPaid: 'Paid',
  fieldAttention: 'Needs attention',
  fieldStatusReason: 'Reason',
  items: 'Items',
  refunds: 'Refunds',
  noRefunds: 'No refunds yet.',
  timeline: 'Timeline',
  noTimeline: 'Nothing recorded yet.',
  refundButton: 'Refund',
  checkStatus: 'Check status',
  checking: 'Checking…',
  notRefundable: 'This order cannot be refunded: only paid orders can.',
  nothingRemains: 'Nothing remains to refund on this order.',
  sheetTitle: 'Refund',
  amountLabel: 'Amount ({currency})',
  amountHint: 'At most {remaining}.',
  reasonLabel: 'Reason (optional, the payer may see it)',
  continue: 'Continue',
  cancel: 'Cancel',
  confirmTitle: 'Confirm the refund',
  confirmText: 'Refund {amount} to the payer of order {orderNo}? This cannot be undone.',
  confirm: 'Refund now',
  back: 'Back',
  submitting: 'Refunding…',
  retryNote: 'The last attempt may have reached the server. Trying again sends the same refund number, so the payer cannot be refunded twice.',
  refundSucceeded: 'Refunded {amount}.',
  refundPending: 'Refund of {amount} submitted. The provider has not confirmed it yet: use Check status.',
  refundFailed: 'The refund of {amount} failed: {reason}',
  amountEmpty: 'Enter the amount to refund.',
  amountFormat: 'Enter the amount as a number, like {example}.',
  amountNoDecimals: '{currency} has no decimals: enter a whole number.',
  amountDecimals: '{currency} has at most {decimals} decimals.',
  amountZero: 'Enter an amount greater than zero.',
  amountTooMuch: 'That is more than remains to refund ({remaining}).',
  // Backend errors: what happened, and what to do.
  errFORBIDDEN: 'Not allowed. This WeChat account is not an operator of this shop.',
  errNETWORK: 'Network problem: the server could not be reached. Check the connection and try again.',
  errLOGIN: 'WeChat sign-in failed. Try again.',
  errNOT_FOUND: 'This order (or refund) was not found. Go back to the list and refresh.',
  errINVALID_INPUT: 'The {field} was refused by the server. Check it and try again.',
  errREFUND_EXCEEDS_REMAINING: 'The amount is more than remains to refund. The order has been reloaded: check what remains and enter a smaller amount.',
  errREFUND_CONFLICT: 'Another refund of this order is being processed, or this refund number was used with other details. Reload the order and check its refunds before trying again.',
  errREFUND_LIMIT_REACHED: 'The provider does not allow another refund of this order now (too many refunds, or the last one was less than a minute ago). Wait a minute, or refund in the provider\'s portal.',
  errREFUND_NOT_PENDING: 'This refund is already settled. Reload the order to see how it ended.',
  errORDER_NOT_REFUNDABLE: 'This order cannot be refunded now (it is not paid, or it is fully refunded).',
  errPROVIDER_ERROR: 'The payment provider refused the refund: {message}. Nothing was refunded; check with the provider before trying again.',
  errCONFIG_INVALID: 'The server is not configured for this. Ask the developer to check the function’s settings.',
  errOTHER: 'Something went wrong on the server ({code}). Try again later.',
  field_amount: 'amount',
  field_reason: 'reason',
  field_refundNo: 'refund number',
  field_orderNo: 'order number',
  field_other: 'input',
  status_CREATED: 'Created',
  status_PAYING: 'Awaiting payment',
  status_PAID: 'Paid',
  status_FAILED: 'Failed',
  status_CLOSED: 'Closed',
  status_PARTIALLY_REFUNDED: 'Partly refunded',
  status_REFUNDED: 'Refunded',
  refund_PENDING: 'Pending',
  refund_SUCCEEDED: 'Refunded',
  refund_FAILED: 'Failed',
  line_created: 'Order created',
  line_provider_request: 'Sent to the provider',
  line_provider_response: 'Provider answered',
  line_provider_error: 'Provider error',
  line_status_changed: 'Status changed',
  line_notification: 'Provider notification',
  line_query: 'Asked the provider',
  line_attention: 'Marked for attention',
  line_refund_requested: 'Refund requested',
  line_refund_response: 'Provider answered the refund',
  line_refund_notification: 'Refund notification',
  line_refund_query: 'Asked the provider about the refund',
  line_refund_settled: 'Refund settled',
  line_admin: 'Operator action',
};

export type AdminMessages = typeof en;

const zh_CN: AdminMessages = {
  ordersTitle: '订单（运营）',
  orderTitle: '订单详情（运营）',
  loading: '加载中…',
  retry: '重试',
  notAllowed: '无权访问。此微信账号不是本店的运营人员。',
  addYourOpenid: '如需设为运营人员，请把下面的 openid 加入 admin 云函数环境变量 ADMIN_OPENIDS：',
  filterStatus: '状态',
  filterProvider: '支付机构',
  filterAll: '全部',
  attentionOnly: '仅看需处理',
  attentionAny: '全部订单',
  attentionBadge: '需处理',
  empty: '没有符合筛选条件的订单。',
  loadMore: '加载更多',
  loadingMore: '正在加载更多…',
  noMore: '已显示全部订单。',
  fieldOrderNo: '订单号',
  fieldStatus: '状态',
  fieldAmount: '金额',
  fieldRefunded: '已退款',
  fieldRemaining: '可退款',
  fieldProvider: '支付机构',
  fieldProviderRef: '支付机构单号',
  fieldPayer: '付款人（openid）',
  fieldCreated: '创建时间',
  fieldPaid: '支付时间',
  fieldAttention: '需处理',
  fieldStatusReason: '原因',
  items: '商品',
  refunds: '退款记录',
  noRefunds: '暂无退款。',
  timeline: '时间线',
  noTimeline: '暂无记录。',
  refundButton: '退款',
  checkStatus: '查询状态',
  checking: '查询中…',
  notRefundable: '此订单不可退款：只有已支付的订单可以退款。',
  nothingRemains: '此订单已无可退金额。',
  sheetTitle: '退款',
  amountLabel: '金额（{currency}）',
  amountHint: '最多 {remaining}。',
  reasonLabel: '原因（选填，付款人可能看到）',
  continue: '下一步',
  cancel: '取消',
  confirmTitle: '确认退款',
  confirmText: '向订单 {orderNo} 的付款人退款 {amount}？退款后无法撤销。',
  confirm: '立即退款',
  back: '返回',
  submitting: '退款中…',
  retryNote: '上次请求可能已到达服务器。重试会使用同一退款单号，付款人不会被重复退款。',
  refundSucceeded: '已退款 {amount}。',
  refundPending: '已提交 {amount} 的退款，支付机构尚未确认：请稍后点“查询状态”。',
  refundFailed: '{amount} 的退款失败：{reason}',
  amountEmpty: '请输入退款金额。',
  amountFormat: '请输入数字金额，例如 {example}。',
  amountNoDecimals: '{currency} 没有小数：请输入整数。',
  amountDecimals: '{currency} 最多 {decimals} 位小数。',
  amountZero: '请输入大于零的金额。',
  amountTooMuch: '超过了可退金额（{remaining}）。',
  errFORBIDDEN: '无权访问。此微信账号不是本店的运营人员。',
  errNETWORK: '网络异常，无法连接服务器。请检查网络后重试。',
  errLOGIN: '微信登录失败，请重试。',
  errNOT_FOUND: '未找到此订单（或退款）。请返回列表刷新。',
  errINVALID_INPUT: '服务器拒绝了{field}。请检查后重试。',
  errREFUND_EXCEEDS_REMAINING: '金额超过了可退金额。已重新加载订单：请查看剩余可退金额并输入更小的金额。',
  errREFUND_CONFLICT: '此订单有另一笔退款正在处理，或此退款单号已用于其他内容。请重新加载订单、查看退款记录后再试。',
  errREFUND_LIMIT_REACHED: '支付机构暂不允许此订单再次退款（退款次数已达上限，或距上次退款不足一分钟）。请稍后再试，或在支付机构后台退款。',
  errREFUND_NOT_PENDING: '这笔退款已有结果，请重新加载订单查看。',
  errORDER_NOT_REFUNDABLE: '此订单目前不可退款（未支付或已全额退款）。',
  errPROVIDER_ERROR: '支付机构拒绝了退款：{message}。未退款；请先向支付机构确认后再试。',
  errCONFIG_INVALID: '服务器尚未完成此项配置。请联系开发人员检查云函数设置。',
  errOTHER: '服务器出错（{code}）。请稍后再试。',
  field_amount: '金额',
  field_reason: '原因',
  field_refundNo: '退款单号',
  field_orderNo: '订单号',
  field_other: '输入',
  status_CREATED: '已创建',
  status_PAYING: '待支付',
  status_PAID: '已支付',
  status_FAILED: '支付失败',
  status_CLOSED: '已关闭',
  status_PARTIALLY_REFUNDED: '部分退款',
  status_REFUNDED: '已退款',
  refund_PENDING: '处理中',
  refund_SUCCEEDED: '已退款',
  refund_FAILED: '失败',
  line_created: '订单创建',
  line_provider_request: '发送至支付机构',
  line_provider_response: '支付机构应答',
  line_provider_error: '支付机构错误',
  line_status_changed: '状态变更',
  line_notification: '支付机构通知',
  line_query: '查询支付机构',
  line_attention: '标记为需处理',
  line_refund_requested: '发起退款',
  line_refund_response: '支付机构退款应答',
  line_refund_notification: '退款通知',
  line_refund_query: '查询退款',
  line_refund_settled: '退款完成',
  line_admin: '运营操作',
};

const TABLES: Record<AdminLang, AdminMessages> = { en, zh_CN };

export type MessageKey = keyof AdminMessages;

/** Chinese for any zh* language the phone reports, English for everything else. */
export const adminLanguageOf = languageOf;
export const adminLanguage = currentLanguage;

export function adminMessages(lang: AdminLang): AdminMessages {
  return TABLES[lang];
}

export { fill };

export function statusText(status: OrderStatus | string, lang: AdminLang): string {
  return (TABLES[lang] as Record<string, string>)[`status_${status}`] ?? status;
}

export function refundStatusText(status: RefundStatus | string, lang: AdminLang): string {
  return (TABLES[lang] as Record<string, string>)[`refund_${status}`] ?? status;
}

/** A timeline line's type as words; a type this table does not know is shown as it is. */
export function lineText(type: string, lang: AdminLang): string {
  return (TABLES[lang] as Record<string, string>)[`line_${type}`] ?? type;
}

export interface ErrorDetail {
  code: ErrorCode | 'NETWORK' | string;
  message?: string;
  field?: string;
  providerCode?: string;
}

/** What an operator reads for a backend error: what happened and what to do. */
export function errorText(error: ErrorDetail, lang: AdminLang): string {
  const t = TABLES[lang] as Record<string, string>;
  const code = error.code;
  if (code.startsWith('LOGIN_')) return t.errLOGIN!;
  if (code === 'INVALID_INPUT') {
    const field = (error.field && t[`field_${error.field}`]) || t.field_other!;
    return fill(t.errINVALID_INPUT!, { field });
  }
  if (code === 'PROVIDER_ERROR') {
    const detail = [error.message, error.providerCode ? `(${error.providerCode})` : ''].filter(Boolean).join(' ');
    return fill(t.errPROVIDER_ERROR!, { message: detail || code });
  }
  return t[`err${code}`] ?? fill(t.errOTHER!, { code });
}
