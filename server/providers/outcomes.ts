/**
 * What a provider's answer means for the money, in three kinds of outcome (design.md,
 * "Uncertain is not failed"). Each provider folder has ONE table (`<provider>/outcomes.ts`)
 * mapping every documented code and status of every answer it reads to an outcome; whatever
 * the table does not name is uncertain. Free text (messages, `transInfo`, `rsp_msg`) never
 * decides: only a code or status the provider documents does.
 */

/**
 * A payment: `paid` (money moved), `pending` (documented "not paid yet"), `closed` (a
 * documented answer that it is closed or expired), `failed` (a documented failure), or
 * `uncertain` (anything else: an unknown status, an unreadable or unsigned body, a
 * contradiction between the provider's own pages). Uncertain closes and fails nothing.
 */
export type PaymentOutcome = 'paid' | 'pending' | 'closed' | 'failed' | 'uncertain';

/**
 * A refund: `succeeded` (money went back), `refused` (a documented refusal: nothing was
 * refunded, the amount is free again), `pending` (documented "processing"), or `uncertain`
 * (anything else). Pending and uncertain both hold the amount until a signed callback, a
 * query or a person settles the refund.
 */
export type RefundOutcome = 'succeeded' | 'refused' | 'pending' | 'uncertain';

/** The answers a provider gives, each read through its own column of the table. */
export type AnswerKind = 'create' | 'query' | 'close' | 'notification' | 'refund' | 'refundQuery' | 'refundNotification';

/** One column: documented code or status (exactly as the provider writes it) → outcome. */
export type OutcomeColumn<O extends string> = Readonly<Record<string, O>>;

/** A provider's table: the columns of the answers it reads (payment answers, refund answers). */
export interface OutcomeTable {
  readonly create?: OutcomeColumn<PaymentOutcome>;
  readonly query?: OutcomeColumn<PaymentOutcome>;
  readonly close?: OutcomeColumn<PaymentOutcome>;
  readonly notification?: OutcomeColumn<PaymentOutcome>;
  readonly refund?: OutcomeColumn<RefundOutcome>;
  readonly refundQuery?: OutcomeColumn<RefundOutcome>;
  readonly refundNotification?: OutcomeColumn<RefundOutcome>;
}

/**
 * The outcome `code` has in `column`; `uncertain` for anything the column does not name
 * (including a missing code, a number where a string was documented is looked up as text).
 */
export function outcomeOf<O extends string>(column: OutcomeColumn<O> | undefined, code: unknown): O | 'uncertain' {
  if (column === undefined || code === undefined || code === null) return 'uncertain';
  const key = typeof code === 'string' ? code : typeof code === 'number' && Number.isFinite(code) ? String(code) : undefined;
  if (key === undefined || !Object.prototype.hasOwnProperty.call(column, key)) return 'uncertain';
  return column[key] as O;
}

/** Builds a provider's table, keeping its column types checked. */
export function defineOutcomes<T extends OutcomeTable>(table: T): T {
  return table;
}
