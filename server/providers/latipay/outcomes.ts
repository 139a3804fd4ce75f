/**
 * Latipay's one outcome table (../outcomes.ts): every documented code and status of every answer
 * the adapter reads, and the words an operator or developer sees for each error code. Whatever
 * a column does not name is uncertain (outcomeOf). This is the only place Latipay's codes live.
 *
 * Sources (Latipay/latipay.github.io, src/v2):
 * - error-code.md: the error codes below (`code` is typed String, the examples write the
 *   number 0: both are read as text);
 * - latipay-wechat-mini-app.md: miniapppay's answer (`code` 0 with `payment`), the notify's
 *   `status` pending / canceled / rejected / paid / failed, the query's pending / paid / failed;
 * - latipay-hosted-online.md §5–6: POST /refund answers `{code, message}`, code 0 = refunded;
 *   error-code.md names 550, 551, 556, 558, 559 and 562 for refunds. No refund query and no
 *   refund notification are documented: the answer is the only word Latipay gives.
 */
import { defineOutcomes, type PaymentOutcome, type RefundOutcome, type OutcomeTable } from '../outcomes';

interface CodeEntry {
  /** In words a shopper, developer or operator can act on. */
  words: string;
  /** What the code means as an answer to miniapppay; absent: uncertain. */
  create?: PaymentOutcome;
  /** What the code means as an answer to POST /refund; absent: uncertain. */
  refund?: RefundOutcome;
}

/**
 * error-code.md, code by code. For a refund, a code is `refused` only where it says the request
 * was turned down before anything was paid back: the request-checking codes (201–207) and the
 * refund refusals 550–559. Code 1 ("the request failed") says nothing about what happened, and
 * 562 reads "this refund request has been done": the money may have gone back, and with no
 * refund query only a person can tell (uncertain, marked for attention).
 * For miniapppay every error code means no payment parameters came back: `failed`.
 */
const CODES: Readonly<Record<string, CodeEntry>> = {
  '1': { words: 'the request failed', create: 'failed' },
  '201': { words: 'the order does not exist at Latipay', create: 'failed', refund: 'refused' },
  '204': { words: 'a required field was empty', create: 'failed', refund: 'refused' },
  '205': { words: 'the user is unknown or disabled (check LATIPAY_USER_ID and LATIPAY_API_KEY)', create: 'failed', refund: 'refused' },
  '206': { words: 'the request signature was rejected (check LATIPAY_API_KEY)', create: 'failed', refund: 'refused' },
  '207': { words: 'a request parameter is wrong', create: 'failed', refund: 'refused' },
  '300': { words: 'the payment gateway does not exist', create: 'failed' },
  '301': { words: 'the account or currency is wrong (check LATIPAY_CURRENCY)', create: 'failed' },
  '302': { words: 'the payment company does not exist', create: 'failed' },
  '303': { words: 'the payment type is not allowed for this merchant', create: 'failed' },
  '304': { words: 'the wallet does not support this payment method (ask Latipay to enable WeChat mini program payments)', create: 'failed' },
  '305': { words: 'the merchant has no margin plan (ask Latipay)', create: 'failed' },
  '450': { words: 'the wallet is not assigned to this user (check LATIPAY_WALLET_ID)', create: 'failed' },
  '454': { words: 'the amount is over the single-payment limit', create: 'failed' },
  '550': { words: 'the refund parameters are wrong', refund: 'refused' },
  '551': { words: 'the order to refund does not exist at Latipay', refund: 'refused' },
  '556': { words: 'Latipay could not create the refund; try again later', refund: 'refused' },
  '558': { words: 'the refund does not exist at Latipay', refund: 'refused' },
  '559': { words: 'the wallet balance is too low for this refund; top up the Latipay wallet and try again', refund: 'refused' },
  '562': { words: 'Latipay says this refund request has already been done: check the Latipay portal', refund: 'uncertain' },
};

function column<O extends string>(pick: (entry: CodeEntry) => O | undefined): Record<string, O> {
  const out: Record<string, O> = {};
  for (const [code, entry] of Object.entries(CODES)) {
    const outcome = pick(entry);
    if (outcome !== undefined) out[code] = outcome;
  }
  return out;
}

/** The words for a documented error code, or undefined. */
export function latipayWords(code: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(CODES, code) ? CODES[code]?.words : undefined;
}

/** The status of a notify (latipay-wechat-mini-app.md): the five documented values. */
const STATUS: Readonly<Record<string, PaymentOutcome>> = {
  paid: 'paid',
  pending: 'pending',
  failed: 'failed',
  rejected: 'failed',
  canceled: 'closed',
};

/** The columns this adapter reads, each present (a missing one would make everything in it uncertain). */
export const LATIPAY_OUTCOMES: Readonly<Required<Pick<OutcomeTable, 'create' | 'query' | 'notification' | 'refund'>>> = defineOutcomes({
  /** miniapppay `code` (error-code.md; latipay-wechat-mini-app.md: 0 with `payment` = placed, not paid). */
  create: { '0': 'pending', ...column((e) => e.create) },
  /** GET /v2/transaction/{ref} `status` (latipay-wechat-mini-app.md: pending / paid / failed; the notify's other two read alike). */
  query: STATUS,
  /** Notify `status` (latipay-wechat-mini-app.md: pending | canceled | rejected | paid | failed). */
  notification: STATUS,
  /** POST /refund `code` (latipay-hosted-online.md §5–6 and error-code.md; see CODES). */
  refund: { '0': 'succeeded', ...column((e) => e.refund) },
});
