/**
 * OTT Pay's one outcome table (../outcomes.ts): every documented code and status of every answer
 * the adapter reads. Whatever a column does not name is uncertain (outcomeOf).
 *
 * Keys are UPPER CASE: OTT Pay's pages disagree on letter case (`captured`, `Captured`,
 * `SUCCESS`, public clients compare `success`), so values are upper-cased before the lookup
 * (`ottpayOutcome`).
 *
 * Sources:
 * - Appendix B (docs.ottpay.com /payment-api/untitled): the `rsp_code` list SUCCESS,
 *   PROCESSING, PWD_INCORRECT, FAIL, TIMEOUT, SYSTEM_ERROR, PARAM_INVALID, PARAM_ERROR,
 *   ORDER_PAID, ORDER_USED ("order number duplicated"), ORDER_TYPE_ERROR ("pre-authorised
 *   order"), DB_ERROR, and more past what was captured (those are uncertain: not named here).
 * - Callback (apidocs.ottpay.com /api/integration/callback/): order_status `authorised`,
 *   `captured` (captured = the money moved).
 * - Query (docs.ottpay.com /payment-api/query-transaction-api-1, and the checkout
 *   PREPAY_QUERY page /payment-api/12-1-api-for-checkout-payment/query-transaction-api):
 *   status "SUCCESS" paid, "ORDERCLOSE" payment fail (closed), "PROCESSING" on processing.
 * - Refund (docs.ottpay.com /payment-api/refund-transaction-and-query-api): REFUND answers
 *   `rsp_code` (Appendix B) and encrypted data; a refund is queried by its own order_id.
 *
 * `rsp_code` sits outside the encrypted data and its md5 (providers.md): it is never the only
 * ground for paid or succeeded. The adapter reads a SUCCESS only together with md5-checked data.
 */
import { defineOutcomes, outcomeOf, type OutcomeColumn, type OutcomeTable } from '../outcomes';

/** The columns this adapter reads, each present (a missing one would make everything in it uncertain). */
export const OTTPAY_OUTCOMES: Readonly<Required<Pick<OutcomeTable, 'create' | 'query' | 'notification' | 'refund' | 'refundQuery'>>> = defineOutcomes({
  /**
   * MAPPPAY / in-app `rsp_code` (Appendix B). SUCCESS places the order (not paid yet). The
   * codes that reject the request are failed; those after which the order may exist at OTT Pay
   * (PROCESSING, TIMEOUT, SYSTEM_ERROR, DB_ERROR) or that speak of an earlier use of the number
   * (ORDER_PAID, ORDER_USED: unsigned, so never a payment on their own) are uncertain.
   */
  create: {
    SUCCESS: 'pending',
    FAIL: 'failed',
    PWD_INCORRECT: 'failed',
    PARAM_INVALID: 'failed',
    PARAM_ERROR: 'failed',
    ORDER_TYPE_ERROR: 'failed',
    PROCESSING: 'uncertain',
    TIMEOUT: 'uncertain',
    SYSTEM_ERROR: 'uncertain',
    DB_ERROR: 'uncertain',
    ORDER_PAID: 'uncertain',
    ORDER_USED: 'uncertain',
  },
  /**
   * STATUS_QUERY's decrypted `order_status` (query pages, callback page). Read only under
   * rsp_code SUCCESS with md5-checked data; any other rsp_code says nothing about the payment
   * (uncertain). AUTHORISED is the callback page's "not captured yet".
   */
  query: {
    SUCCESS: 'paid',
    CAPTURED: 'paid',
    PROCESSING: 'pending',
    AUTHORISED: 'pending',
    ORDERCLOSE: 'closed',
  },
  /**
   * A callback's decrypted `order_status`: the two values the callback page documents. Any
   * other value, or none (the published examples carry none, leaving only the unsigned
   * rsp_code), is uncertain and confirmed by STATUS_QUERY.
   */
  notification: {
    CAPTURED: 'paid',
    AUTHORISED: 'pending',
  },
  /**
   * REFUND `rsp_code` (Appendix B). SUCCESS counts only with md5-checked data about this refund
   * (else uncertain); its `order_status`, when present, is read through `refundQuery`.
   * Refused: the documented codes that turn the request down (FAIL "failure.", the parameter
   * and password errors, ORDER_TYPE_ERROR: a pre-authorised order is not refunded this way).
   * Uncertain: PROCESSING / TIMEOUT / SYSTEM_ERROR / DB_ERROR (the refund may go through), and
   * ORDER_USED "order number duplicated": our refund's order_id was seen before, which is what a
   * re-send of a refund that did arrive answers, first send or not; STATUS_QUERY on it decides.
   * ORDER_PAID is not documented for refunds: uncertain like any unlisted code (SYSTEM_BUSY...).
   */
  refund: {
    SUCCESS: 'succeeded',
    FAIL: 'refused',
    PARAM_INVALID: 'refused',
    PARAM_ERROR: 'refused',
    PWD_INCORRECT: 'refused',
    ORDER_TYPE_ERROR: 'refused',
    PROCESSING: 'pending',
    TIMEOUT: 'uncertain',
    SYSTEM_ERROR: 'uncertain',
    DB_ERROR: 'uncertain',
    ORDER_USED: 'uncertain',
    ORDER_PAID: 'uncertain',
  },
  /**
   * STATUS_QUERY on the refund's own order_id (and a REFUND answer's data), `order_status`:
   * the query page's SUCCESS / ORDERCLOSE / PROCESSING, and Appendix B's FAIL, the word the
   * refund answer uses for a refund turned down. Read only under rsp_code SUCCESS with
   * md5-checked data: a refund query answering FAIL ("order not found") is uncertain, since the
   * refund may simply not be visible yet.
   */
  refundQuery: {
    SUCCESS: 'succeeded',
    PROCESSING: 'pending',
    FAIL: 'refused',
    ORDERCLOSE: 'refused',
  },
});

/** A value looked up in a column the way OTT Pay's pages need: trimmed, any letter case. */
export function ottpayOutcome<O extends string>(column: OutcomeColumn<O>, raw: string): O | 'uncertain' {
  return outcomeOf(column, raw.trim().toUpperCase());
}

/** Appendix B in words a shopper, developer or operator can act on. */
export const OTTPAY_WORDS: Readonly<Record<string, string>> = {
  PROCESSING: 'the request is still being processed',
  FAIL: 'OTT Pay refused it',
  TIMEOUT: 'OTT Pay timed out',
  SYSTEM_ERROR: 'OTT Pay had a system error',
  DB_ERROR: 'OTT Pay had a database error',
  PWD_INCORRECT: 'the password is incorrect (check OTTPAY_SIGN_KEY)',
  PARAM_INVALID: 'a request parameter is invalid',
  PARAM_ERROR: 'a request parameter is wrong (check OTTPAY_MERCHANT_ID, OTTPAY_OPERATOR_ID and OTTPAY_SIGN_KEY)',
  ORDER_PAID: 'this order has already been paid',
  ORDER_USED: 'this order number has already been used',
  ORDER_TYPE_ERROR: 'this is a pre-authorised order',
};
