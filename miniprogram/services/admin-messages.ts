/**
 * Every word the operator pages (pages/admin/*) show, in Simplified Chinese, Traditional Chinese and English.
 * The pages' WXML holds no text of its own: each page puts `t` (one language's table) and
 * the sentences built here into its data. Language from wx.getAppBaseInfo().language;
 * zh_TW / zh_HK / zh_MO get Traditional Chinese, anything that is not Chinese gets English.
 */
import type { ErrorCode, OrderStatus, RefundStatus } from '../contract/wire';
import { currentLanguage, fill, languageOf, type Lang } from './i18n';

/** The same two languages as the shopper's pages, chosen the same way (services/i18n.ts). */
export type AdminLang = Lang;

const en = {
  ordersTitle: "Orders",
  orderTitle: "Order",
  loading: "Loading…",
  retry: "Try again",
  notAllowed: "Not allowed. This WeChat account is not an operator of this shop.",
  filterStatus: "Status",
  filterProvider: "Provider",
  filterAll: "All",
  attentionOnly: "Needs attention only",
  attentionAny: "All orders",
  attentionBadge: "Needs attention",
  empty: "No orders match these filters",
  loadMore: "Load more",
  loadingMore: "Loading more…",
  noMore: "That is every order.",
  fieldOrderNo: "Order number",
  fieldStatus: "Status",
  fieldAmount: "Amount",
  fieldRefunded: "Refunded",
  fieldRemaining: "Refundable",
  fieldProvider: "Provider",
  fieldProviderRef: "Provider reference",
  fieldPayer: "Payer (openid)",
  fieldCreated: "Created",
  fieldPaid: "Paid",
  fieldAttention: "Needs attention",
  fieldStatusReason: "Reason",
  items: "Items",
  refunds: "Refunds",
  noRefunds: "No refunds yet.",
  timeline: "Timeline",
  noTimeline: "Nothing recorded yet.",
  refundButton: "Refund",
  checkStatus: "Check status",
  checking: "Checking…",
  notRefundable: "This order cannot be refunded: only paid orders can.",
  nothingRemains: "Nothing remains to refund on this order.",
  sheetTitle: "Refund",
  amountLabel: "Amount ({currency})",
  amountHint: "At most {remaining}.",
  reasonLabel: "Reason (optional, the payer may see it)",
  continue: "Continue",
  cancel: "Cancel",
  confirmTitle: "Confirm the refund",
  confirmText: "Refund {amount} to the payer of order {orderNo}? This cannot be undone.",
  confirm: "Refund now",
  back: "Back",
  submitting: "Refunding…",
  retryNote: "The last attempt may have reached the server. Trying again sends the same refund number, so the payer cannot be refunded twice.",
  refundSucceeded: "Refunded {amount}.",
  refundPending: "Refund of {amount} submitted. The provider has not confirmed it yet: use Check status.",
  refundFailed: "The refund of {amount} failed: {reason}",
  amountEmpty: "Enter the amount to refund.",
  amountFormat: "Enter the amount as a number, like {example}.",
  amountNoDecimals: "{currency} has no decimals: enter a whole number.",
  amountDecimals: "{currency} has at most {decimals} decimals.",
  amountZero: "Enter an amount greater than zero.",
  amountTooMuch: "That is more than remains to refund ({remaining}).",
  errFORBIDDEN: "Not allowed. This WeChat account is not an operator of this shop.",
  errNETWORK: "Network problem: the server could not be reached. Check the connection and try again.",
  errLOGIN: "WeChat sign-in failed. Try again.",
  errNOT_FOUND: "This order (or refund) was not found. Go back to the list and refresh.",
  errINVALID_INPUT: "The {field} was refused by the server. Check it and try again.",
  errREFUND_EXCEEDS_REMAINING: "The amount is more than remains to refund. The order has been reloaded: check what remains and enter a smaller amount.",
  errREFUND_CONFLICT: "Another refund of this order is being processed, or this refund number was used with other details. Reload the order and check its refunds before trying again.",
  errORDER_NOT_REFUNDABLE: "This order cannot be refunded now (it is not paid, or it is fully refunded).",
  errPROVIDER_ERROR: "The payment provider refused the refund: {message}. Nothing was refunded; check with the provider before trying again.",
  errCONFIG_INVALID: "The server is not configured for this. Ask the developer to check the function’s settings.",
  errOTHER: "Something went wrong on the server ({code}). Try again later.",
  field_amount: "amount",
  field_reason: "reason",
  field_refundNo: "refund number",
  field_orderNo: "order number",
  field_other: "input",
  status_CREATED: "Created",
  status_PAYING: "Awaiting payment",
  status_PAID: "Paid",
  status_FAILED: "Failed",
  status_CLOSED: "Closed",
  status_PARTIALLY_REFUNDED: "Partly refunded",
  status_REFUNDED: "Refunded",
  refund_PENDING: "Pending",
  refund_SUCCEEDED: "Refunded",
  refund_FAILED: "Failed",
  line_created: "Order created",
  line_provider_request: "Sent to the provider",
  line_provider_response: "Provider answered",
  line_provider_error: "Provider error",
  line_status_changed: "Status changed",
  line_notification: "Provider notification",
  line_query: "Asked the provider",
  line_attention: "Marked for attention",
  line_refund_requested: "Refund requested",
  line_refund_response: "Provider answered the refund",
  line_refund_notification: "Refund notification",
  line_refund_query: "Asked the provider about the refund",
  line_refund_settled: "Refund settled",
  line_admin: "Operator action",
  forbiddenTitle: "Not an operator",
  forbiddenHint: "This WeChat account is not an operator of this shop. Ask the shop owner to add it, or go back to the shop.",
  backToShop: "Back to shop",
  emptyHint: "Try other filters.",
  clearFilters: "Show all orders",
  notFoundTitle: "Order not found",
  backToList: "Back to orders",
  errorTitle: "Could not load",
  refundResultTitle: "Refund",
  detail_amount: "amount",
  detail_currency: "currency",
  detail_from: "from",
  detail_to: "to",
  detail_source: "source",
  detail_refundNo: "refund number",
  detail_reason: "reason",
  detail_status: "status",
  detail_provider: "provider",
  detail_providerRef: "provider reference",
  source_notification: "provider notification",
  source_query: "query",
  source_reconcile: "reconciliation",
  source_shopper: "shopper",
  source_admin: "operator",
};

export type AdminMessages = typeof en;

const zh_CN: AdminMessages = {
  ordersTitle: "订单管理",
  orderTitle: "订单详情",
  loading: "加载中…",
  retry: "重试",
  notAllowed: "无权访问。此微信账号不是本店的运营人员。",
  filterStatus: "状态",
  filterProvider: "支付机构",
  filterAll: "全部",
  attentionOnly: "只看待处理",
  attentionAny: "全部订单",
  attentionBadge: "待处理",
  empty: "没有符合条件的订单",
  loadMore: "加载更多",
  loadingMore: "正在加载更多…",
  noMore: "已显示全部订单。",
  fieldOrderNo: "订单编号",
  fieldStatus: "状态",
  fieldAmount: "金额",
  fieldRefunded: "已退款",
  fieldRemaining: "可退款",
  fieldProvider: "支付机构",
  fieldProviderRef: "支付机构单号",
  fieldPayer: "付款人 openid",
  fieldCreated: "创建时间",
  fieldPaid: "支付时间",
  fieldAttention: "待处理事项",
  fieldStatusReason: "原因",
  items: "商品",
  refunds: "退款记录",
  noRefunds: "暂无退款。",
  timeline: "时间线",
  noTimeline: "暂无记录。",
  refundButton: "退款",
  checkStatus: "查询状态",
  checking: "查询中…",
  notRefundable: "此订单未支付，不能退款。",
  nothingRemains: "此订单已无可退金额。",
  sheetTitle: "发起退款",
  amountLabel: "金额（{currency}）",
  amountHint: "最多可退 {remaining}",
  reasonLabel: "退款原因（选填，付款人可见）",
  continue: "下一步",
  cancel: "取消",
  confirmTitle: "确认退款",
  confirmText: "确定向订单 {orderNo} 的付款人退款 {amount}？退款后无法撤回。",
  confirm: "立即退款",
  back: "返回",
  submitting: "退款中…",
  retryNote: "上次请求可能已到达服务器。重试会使用同一退款单号，付款人不会被重复退款。",
  refundSucceeded: "已退款 {amount}",
  refundPending: "已提交 {amount} 的退款，支付机构尚未确认：请稍后点“查询状态”。",
  refundFailed: "{amount} 的退款失败：{reason}",
  amountEmpty: "请输入退款金额。",
  amountFormat: "请输入数字金额，例如 {example}。",
  amountNoDecimals: "{currency} 没有小数：请输入整数。",
  amountDecimals: "{currency} 最多 {decimals} 位小数。",
  amountZero: "请输入大于零的金额。",
  amountTooMuch: "超过了可退金额（{remaining}）。",
  errFORBIDDEN: "无权访问。此微信账号不是本店的运营人员。",
  errNETWORK: "网络异常，无法连接服务器。请检查网络后重试。",
  errLOGIN: "微信登录失败，请重试。",
  errNOT_FOUND: "未找到此订单（或退款）。请返回列表刷新。",
  errINVALID_INPUT: "服务器拒绝了{field}。请检查后重试。",
  errREFUND_EXCEEDS_REMAINING: "金额超过了可退金额。已重新加载订单：请查看剩余可退金额并输入更小的金额。",
  errREFUND_CONFLICT: "此订单有另一笔退款正在处理，或此退款单号已用于其他内容。请重新加载订单、查看退款记录后再试。",
  errORDER_NOT_REFUNDABLE: "此订单目前不可退款（未支付或已全额退款）。",
  errPROVIDER_ERROR: "支付机构拒绝了退款：{message}。未退款；请先向支付机构确认后再试。",
  errCONFIG_INVALID: "服务器尚未完成此项配置。请联系开发人员检查云函数设置。",
  errOTHER: "服务器出错（{code}）。请稍后再试。",
  field_amount: "金额",
  field_reason: "原因",
  field_refundNo: "退款单号",
  field_orderNo: "订单编号",
  field_other: "输入",
  status_CREATED: "已创建",
  status_PAYING: "待支付",
  status_PAID: "已支付",
  status_FAILED: "支付失败",
  status_CLOSED: "已关闭",
  status_PARTIALLY_REFUNDED: "部分退款",
  status_REFUNDED: "已退款",
  refund_PENDING: "处理中",
  refund_SUCCEEDED: "已退款",
  refund_FAILED: "失败",
  line_created: "订单创建",
  line_provider_request: "发送至支付机构",
  line_provider_response: "支付机构应答",
  line_provider_error: "支付机构错误",
  line_status_changed: "状态变更",
  line_notification: "支付机构通知",
  line_query: "查询支付机构",
  line_attention: "标记为需处理",
  line_refund_requested: "发起退款",
  line_refund_response: "支付机构退款应答",
  line_refund_notification: "退款通知",
  line_refund_query: "查询退款",
  line_refund_settled: "退款完成",
  line_admin: "运营操作",
  forbiddenTitle: "无权访问",
  forbiddenHint: "此微信账号不是本店运营人员。请联系店主添加，或返回首页。",
  backToShop: "返回首页",
  emptyHint: "换个筛选条件试试。",
  clearFilters: "查看全部订单",
  notFoundTitle: "未找到订单",
  backToList: "返回订单列表",
  errorTitle: "加载失败",
  refundResultTitle: "退款",
  detail_amount: "金额",
  detail_currency: "币种",
  detail_from: "原状态",
  detail_to: "新状态",
  detail_source: "来源",
  detail_refundNo: "退款单号",
  detail_reason: "原因",
  detail_status: "状态",
  detail_provider: "支付机构",
  detail_providerRef: "支付机构单号",
  source_notification: "支付机构通知",
  source_query: "主动查询",
  source_reconcile: "对账",
  source_shopper: "顾客",
  source_admin: "运营人员",
};

const zh_TW: AdminMessages = {
  ordersTitle: "訂單管理",
  orderTitle: "訂單詳情",
  loading: "載入中…",
  retry: "重試",
  notAllowed: "無權存取。此微信帳號不是本店的營運人員。",
  filterStatus: "狀態",
  filterProvider: "支付機構",
  filterAll: "全部",
  attentionOnly: "只看待處理",
  attentionAny: "全部訂單",
  attentionBadge: "待處理",
  empty: "沒有符合條件的訂單",
  loadMore: "載入更多",
  loadingMore: "正在載入更多…",
  noMore: "已顯示全部訂單。",
  fieldOrderNo: "訂單編號",
  fieldStatus: "狀態",
  fieldAmount: "金額",
  fieldRefunded: "已退款",
  fieldRemaining: "可退款",
  fieldProvider: "支付機構",
  fieldProviderRef: "支付機構單號",
  fieldPayer: "付款人 openid",
  fieldCreated: "建立時間",
  fieldPaid: "付款時間",
  fieldAttention: "待處理事項",
  fieldStatusReason: "原因",
  items: "商品",
  refunds: "退款紀錄",
  noRefunds: "尚無退款。",
  timeline: "時間軸",
  noTimeline: "尚無紀錄。",
  refundButton: "退款",
  checkStatus: "查詢狀態",
  checking: "查詢中…",
  notRefundable: "此訂單未付款，不能退款。",
  nothingRemains: "此訂單已無可退金額。",
  sheetTitle: "發起退款",
  amountLabel: "金額（{currency}）",
  amountHint: "最多可退 {remaining}",
  reasonLabel: "退款原因（選填，付款人可見）",
  continue: "下一步",
  cancel: "取消",
  confirmTitle: "確認退款",
  confirmText: "確定向訂單 {orderNo} 的付款人退款 {amount}？退款後無法撤回。",
  confirm: "立即退款",
  back: "返回",
  submitting: "退款中…",
  retryNote: "上次請求可能已送達伺服器。重試會使用同一退款單號，付款人不會被重複退款。",
  refundSucceeded: "已退款 {amount}",
  refundPending: "已提交 {amount} 的退款，支付機構尚未確認：請稍後點「查詢狀態」。",
  refundFailed: "{amount} 的退款失敗：{reason}",
  amountEmpty: "請輸入退款金額。",
  amountFormat: "請輸入數字金額，例如 {example}。",
  amountNoDecimals: "{currency} 沒有小數，請輸入整數。",
  amountDecimals: "{currency} 最多 {decimals} 位小數。",
  amountZero: "請輸入大於零的金額。",
  amountTooMuch: "超過了可退金額（{remaining}）。",
  errFORBIDDEN: "無權存取。此微信帳號不是本店的營運人員。",
  errNETWORK: "網路異常，無法連線伺服器。請檢查網路後重試。",
  errLOGIN: "微信登入失敗，請重試。",
  errNOT_FOUND: "找不到此訂單（或退款）。請返回列表重新整理。",
  errINVALID_INPUT: "伺服器拒絕了{field}。請檢查後重試。",
  errREFUND_EXCEEDS_REMAINING: "金額超過了可退金額。已重新載入訂單：請查看剩餘可退金額並輸入較小的金額。",
  errREFUND_CONFLICT: "此訂單有另一筆退款正在處理，或此退款單號已用於其他內容。請重新載入訂單、查看退款紀錄後再試。",
  errORDER_NOT_REFUNDABLE: "此訂單目前不可退款（未付款或已全額退款）。",
  errPROVIDER_ERROR: "支付機構拒絕了退款：{message}。未退款；請先向支付機構確認後再試。",
  errCONFIG_INVALID: "伺服器尚未完成此項設定。請聯絡開發人員檢查雲函數設定。",
  errOTHER: "伺服器發生錯誤（{code}）。請稍後再試。",
  field_amount: "金額",
  field_reason: "原因",
  field_refundNo: "退款單號",
  field_orderNo: "訂單編號",
  field_other: "輸入內容",
  status_CREATED: "已建立",
  status_PAYING: "待付款",
  status_PAID: "已付款",
  status_FAILED: "付款失敗",
  status_CLOSED: "已關閉",
  status_PARTIALLY_REFUNDED: "部分退款",
  status_REFUNDED: "已退款",
  refund_PENDING: "處理中",
  refund_SUCCEEDED: "已退款",
  refund_FAILED: "失敗",
  line_created: "訂單建立",
  line_provider_request: "送往支付機構",
  line_provider_response: "支付機構回覆",
  line_provider_error: "支付機構錯誤",
  line_status_changed: "狀態變更",
  line_notification: "支付機構通知",
  line_query: "查詢支付機構",
  line_attention: "標記為待處理",
  line_refund_requested: "發起退款",
  line_refund_response: "支付機構退款回覆",
  line_refund_notification: "退款通知",
  line_refund_query: "查詢退款",
  line_refund_settled: "退款完成",
  line_admin: "營運操作",
  forbiddenTitle: "無權存取",
  forbiddenHint: "此微信帳號不是本店營運人員。請聯絡店主新增，或返回首頁。",
  backToShop: "返回首頁",
  emptyHint: "換個篩選條件試試。",
  clearFilters: "查看全部訂單",
  notFoundTitle: "找不到訂單",
  backToList: "返回訂單列表",
  errorTitle: "載入失敗",
  refundResultTitle: "退款",
  detail_amount: "金額",
  detail_currency: "幣別",
  detail_from: "原狀態",
  detail_to: "新狀態",
  detail_source: "來源",
  detail_refundNo: "退款單號",
  detail_reason: "原因",
  detail_status: "狀態",
  detail_provider: "支付機構",
  detail_providerRef: "支付機構單號",
  source_notification: "支付機構通知",
  source_query: "主動查詢",
  source_reconcile: "對帳",
  source_shopper: "顧客",
  source_admin: "營運人員",
};

const TABLES: Record<AdminLang, AdminMessages> = { en, zh_CN, zh_TW };

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

/**
 * A timeline line's detail in the operator's words: "金额 NZ$18.25 · 原状态 待支付 · 新状态 已支付".
 * Known keys and values (statuses, sources) are translated and amounts formatted with `money`;
 * anything this table does not know is shown as it is.
 */
export function detailText(detail: Record<string, unknown>, lang: AdminLang, money: (amount: number) => string): string {
  const t = TABLES[lang] as Record<string, string>;
  const sep = lang === 'en' ? ': ' : ' ';
  return Object.entries(detail)
    .filter(([key, v]) => v !== null && v !== undefined && v !== '' && key !== 'currency')
    .map(([key, v]) => {
      const label = t[`detail_${key}`] ?? key;
      let value: string;
      if (key === 'amount' && typeof v === 'number') value = money(v);
      else if ((key === 'from' || key === 'to' || key === 'status') && typeof v === 'string') value = t[`status_${v}`] ?? t[`refund_${v}`] ?? v;
      else if (key === 'source' && typeof v === 'string') value = t[`source_${v}`] ?? v;
      else value = typeof v === 'object' ? JSON.stringify(v) : String(v);
      return `${label}${sep}${value}`;
    })
    .join(' · ');
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
