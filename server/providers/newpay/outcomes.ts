/**
 * NewPay's one outcome table (../outcomes.ts): every documented code and status of every answer
 * the adapter reads. Whatever a column does not name is uncertain (outcomeOf).
 *
 * NewPay answers in two layers: an envelope `{success, code, message, data}` whose error codes
 * (unsigned) come from the business-code page, and signed `data` carrying a status. Columns that
 * read both name the envelope codes as written (`Z00048`) and the data status as
 * `<field>:<value>` (`tranStatus:1`), so the two can never be confused.
 *
 * Sources:
 * - Business codes (newpay-api-document.gitbook.io `9.-business-code`; providers.md): `0` ok,
 *   E9008 order not found, E9999 unknown error, Z00005 sign illegal, Z00007 sign verification
 *   failed, Z00016 currency, Z00018 orderAmt illegal, Z00020 LAK amount with decimals, Z00023
 *   orderNo, Z01008 order completed, Z01009 expired, Z01010 failed, Z01011 cancelled, Z01028
 *   order number unavailable; refunds: Z00048 pay method cannot be refunded, Z00049, Z00051,
 *   Z00053, Z00055 (refundOrderAmt; Z00055 LAK decimals), Z01017 billed order, Z01018 active
 *   order (no partial refund), Z01020 more than paid, Z01026 refund number already exists.
 * - Payment callback (gitbook `4.-apis-v1-deprecated/4.4.-callback`): transStatus 0 success,
 *   1 failure; its example pairs 0 with "Transaction Success" (consistent).
 * - v2 uniQueryPay (gitbook `5.-apis-v2/5.2-query-order`): payStatus SUCCESS / EXPIRED /
 *   PROCESSING / FAIL.
 * - v1 refund (gitbook `4.3.2-refund`; pre-lnp-openapi.newpay.la `413-refund.html`): data
 *   `tranStatus` 1 success, 0 failure.
 * - Refund callback (pre-lnp-openapi.newpay.la `8-refund-callback.html`): "transStatus |
 *   Payment result: 1-success; 0-failure", but its example sends `"transStatus":0` (twice) with
 *   `"transInfo":"Transaction Success"`.
 * - v2 uniQueryRefund (gitbook `5.-apis-v2/5.4-query-refund`): refundStatus
 *   "SUCCESS/FAIL/PROCESSING", typed `int` in the table but only ever written as those words.
 *
 * Where the pages disagree (refund answer and refund callback, status 0):
 * - 0: the tables say failure, the callback example says success. Neither reading is final on
 *   its own, so 0 is uncertain and the refund query (uniQueryRefund) decides; reading it as a
 *   refusal would free the amount for a second refund of money NewPay already paid back.
 * - 1: three tables (refund answer, v1 Inquiry Refund `414/424-query-refund.html`, refund
 *   callback) say success, and no page pairs 1 with failure. The only contrary hint is the
 *   callback example, and it is visibly a copy of the payment-callback example (the same
 *   orderNo 202209067002502223, newpayOrderNo, amount 123.00 and timestamp 1663738614280;
 *   newpayRefundOrderNo equal to newpayOrderNo; transStatus written twice), so it says
 *   nothing about 1. 1 is succeeded. (A wrong "succeeded" keeps the amount held: it can never
 *   pay twice; a person can still correct it.)
 * - transInfo ("the reason for failure") and messages never decide: "Transaction Unsuccessful"
 *   or "Refund not successful" are just words.
 */
import { defineOutcomes, type OutcomeColumn, type RefundOutcome, type OutcomeTable } from '../outcomes';

/**
 * Envelope codes that turn a refund request down before anything is paid back: the refund
 * codes, and the request-checking codes (signature, currency, amount, order number, no such
 * order, an order that was never paid because it expired, failed or was cancelled).
 */
const REFUND_REFUSALS: OutcomeColumn<RefundOutcome> = {
  Z00048: 'refused',
  Z00049: 'refused',
  Z00051: 'refused',
  Z00053: 'refused',
  Z00055: 'refused',
  Z01017: 'refused',
  Z01018: 'refused',
  Z01020: 'refused',
  Z00005: 'refused',
  Z00007: 'refused',
  Z00016: 'refused',
  Z00018: 'refused',
  Z00020: 'refused',
  Z00023: 'refused',
  E9008: 'refused',
  Z01009: 'refused',
  Z01010: 'refused',
  Z01011: 'refused',
};

/** The columns this adapter reads, each present (a missing one would make everything in it uncertain). */
export const NEWPAY_OUTCOMES: Readonly<Required<Pick<OutcomeTable, 'create' | 'query' | 'notification' | 'refund' | 'refundQuery' | 'refundNotification'>>> = defineOutcomes({
  /**
   * createOpenMini / createOrder / getMiniPayment envelope `code`: 0 placed (not paid yet);
   * the request-checking and order-state codes are failures to place it (expired or cancelled
   * orders closed); E9999 unknown error and Z01008 "order completed" (unsigned: it may have
   * been paid) are uncertain.
   */
  create: {
    '0': 'pending',
    E9008: 'failed',
    Z00005: 'failed',
    Z00007: 'failed',
    Z00016: 'failed',
    Z00018: 'failed',
    Z00020: 'failed',
    Z00023: 'failed',
    Z01009: 'closed',
    Z01010: 'failed',
    Z01011: 'closed',
    Z01028: 'failed',
    Z01008: 'uncertain',
    E9999: 'uncertain',
  },
  /** v2 uniQueryPay signed `data.payStatus` (gitbook 5.2). An error envelope is uncertain. */
  query: {
    SUCCESS: 'paid',
    PROCESSING: 'pending',
    FAIL: 'failed',
    EXPIRED: 'closed',
  },
  /** Payment callback signed `transStatus` (gitbook 4.4): 0 success, 1 failure. */
  notification: {
    '0': 'paid',
    '1': 'failed',
  },
  /**
   * v1 refund: envelope `code` when it is not 0, else the signed `data.tranStatus` (written
   * `tranStatus:<value>`). Z01026 "refund number already exists" is what a re-send of a refund
   * that did arrive answers: uncertain ("ask"), first send or not. E9999 is an unknown error,
   * never a refusal.
   */
  refund: {
    'tranStatus:1': 'succeeded',
    'tranStatus:0': 'uncertain',
    ...REFUND_REFUSALS,
    Z01026: 'uncertain',
    E9999: 'uncertain',
  },
  /**
   * v2 uniQueryRefund signed `data.refundStatus` (gitbook 5.4). An error envelope (E9008: not
   * found yet, E9999) is uncertain: the refund may not be visible yet.
   */
  refundQuery: {
    SUCCESS: 'succeeded',
    FAIL: 'refused',
    PROCESSING: 'pending',
  },
  /** Refund callback signed `transStatus` (8-refund-callback.html): see the header for 0 and 1. */
  refundNotification: {
    '1': 'succeeded',
    '0': 'uncertain',
  },
});
