/**
 * WeChat Pay Global's one outcome table: every documented code or status of every answer
 * the adapter reads, and what it means for the money. Whatever is not here is uncertain
 * (../outcomes.ts). Messages never decide. Sources: pay.weixin.qq.com/wiki/doc/api_external/en
 * (JSAPI/mini program: order, query, close, refund, refund query, notifications) and the
 * domestic v3 pages where the global ones are silent; where they spell a status two ways,
 * both spellings are here.
 *
 * An error answer counts only when WeChat Pay signed it (it signs every answer to a correctly
 * signed request); an unsigned one is uncertain whatever its code says.
 */
import { defineOutcomes, type OutcomeColumn, type RefundOutcome } from '../outcomes';

/**
 * A refund's `status`, in the refund answer and the refund query alike; the Global pages spell
 * two of them two ways (CLOSED / REFUNDCLOSE, ABNORMAL / CHANGE), so both are here.
 */
const REFUND_STATUS: OutcomeColumn<RefundOutcome> = {
  SUCCESS: 'succeeded',
  PROCESSING: 'pending',
  CLOSED: 'refused',
  REFUNDCLOSE: 'refused',
  ABNORMAL: 'uncertain',
  CHANGE: 'uncertain',
};

export const WECHATPAY_OUTCOMES = defineOutcomes({
  /** POST /v3/global/transactions/jsapi: a prepay_id is not a payment; its error codes. */
  create: {
    OK: 'pending',
    ORDERPAID: 'paid',
    ORDER_CLOSED: 'closed',
    PARAM_ERROR: 'failed',
    INVALID_REQUEST: 'failed',
    APPID_MCHID_NOT_MATCH: 'failed',
    MCH_NOT_EXISTS: 'failed',
    NO_AUTH: 'failed',
    OUT_TRADE_NO_USED: 'failed',
    // SYSTEM_ERROR, FREQUENCY_LIMITED, SIGN_ERROR (unsigned 401): not named, so uncertain.
  },
  /** GET …/out-trade-no/{no}: trade_state. REFUND means it was paid, then (partly) refunded. */
  query: {
    SUCCESS: 'paid',
    REFUND: 'paid',
    NOTPAY: 'pending',
    USERPAYING: 'pending',
    CLOSED: 'closed',
    REVOKED: 'closed',
    PAYERROR: 'failed',
  },
  /** POST …/close: 204 closes; ORDERPAID means it was paid in the meantime. */
  close: {
    '204': 'closed',
    ORDER_CLOSED: 'closed',
    ORDERPAID: 'paid',
  },
  /** TRANSACTION.SUCCESS, read from the decrypted resource's trade_state. */
  notification: {
    SUCCESS: 'paid',
  },
  /**
   * POST /v3/global/refunds: the answer's `status` when accepted, else the error `code`.
   * NOT_ENOUGH: the day's CNY refund pool is short: try again later with the same
   * out_refund_no (the official checklist suggests an hour). ABNORMAL / CHANGE: the money
   * could not reach the shopper (a closed card): a person must act in the merchant platform.
   */
  refund: {
    ...REFUND_STATUS,
    NOT_ENOUGH: 'uncertain',
    SYSTEM_ERROR: 'uncertain',
    FREQUENCY_LIMITED: 'uncertain',
    PARAM_ERROR: 'refused',
    INVALID_REQUEST: 'refused',
    RESOURCE_NOT_EXISTS: 'refused',
    MCH_NOT_EXISTS: 'refused',
    NO_AUTH: 'refused',
    USER_ACCOUNT_ABNORMAL: 'refused',
  },
  /** GET /v3/global/refunds/out-refund-no/{no}: `status`, both spellings. */
  refundQuery: REFUND_STATUS,
  /** REFUND.* notifications by event_type; the decrypted refund_status must agree. */
  refundNotification: {
    'REFUND.SUCCESS': 'succeeded',
    'REFUND.CLOSED': 'refused',
    'REFUND.ABNORMAL': 'uncertain',
  },
});

/** Statuses and events after which a person must look at the refund, with why. */
export const NEEDS_A_PERSON: Readonly<Record<string, string>> = {
  ABNORMAL: 'WeChat Pay could not return the money to the shopper (REFUND.ABNORMAL: e.g. a closed card); settle it by hand in the merchant platform (Transaction Center > Refunds)',
  CHANGE: 'WeChat Pay could not return the money to the shopper (status CHANGE: e.g. a closed card); settle it by hand in the merchant platform (Transaction Center > Refunds)',
  'REFUND.ABNORMAL': 'WeChat Pay could not return the money to the shopper (REFUND.ABNORMAL: e.g. a closed card); settle it by hand in the merchant platform (Transaction Center > Refunds)',
};

/** Why an uncertain code leaves the refund waiting, in words for the operator's timeline. */
export const WAITING_BECAUSE: Readonly<Record<string, string>> = {
  NOT_ENOUGH: "WeChat Pay's cross-border refund pool (CNY) is short today (NOT_ENOUGH): the refund stays pending and is sent again later with the same out_refund_no",
  SYSTEM_ERROR: 'WeChat Pay answered SYSTEM_ERROR: the refund stays pending and is asked about again',
  FREQUENCY_LIMITED: 'WeChat Pay answered FREQUENCY_LIMITED: the refund stays pending and is sent again later',
};
