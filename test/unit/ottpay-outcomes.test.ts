/** OTT Pay's outcome table (server/providers/ottpay/outcomes.ts), code by documented code, plus an unknown one per column. */
import { OTTPAY_OUTCOMES, ottpayOutcome } from '../../server/providers/ottpay/outcomes';

/** column, the code or status as the provider writes it, the outcome it must have. */
type Case = [keyof typeof OTTPAY_OUTCOMES, string, string];

describe('OTT Pay outcome table', () => {
  it.each([
    ['create', 'SUCCESS', 'pending'],
    ...['FAIL', 'PWD_INCORRECT', 'PARAM_INVALID', 'PARAM_ERROR', 'ORDER_TYPE_ERROR'].map((c): Case => ['create', c, 'failed']),
    ...['PROCESSING', 'TIMEOUT', 'SYSTEM_ERROR', 'DB_ERROR', 'ORDER_PAID', 'ORDER_USED', 'SYSTEM_BUSY'].map((c): Case => ['create', c, 'uncertain']),
    ['query', 'SUCCESS', 'paid'],
    ['query', 'captured', 'paid'],
    ['query', 'PROCESSING', 'pending'],
    ['query', 'Authorised', 'pending'],
    ['query', 'ORDERCLOSE', 'closed'],
    // STATUS_QUERY's list is not published for processV2: anything else never closes the order.
    ['query', 'COMPLETE', 'uncertain'],
    ['query', 'NOTPAY', 'uncertain'],
    ['query', '', 'uncertain'],
    ['notification', 'captured', 'paid'],
    ['notification', 'Captured', 'paid'],
    ['notification', 'authorised', 'pending'],
    ['notification', 'SUCCESS', 'uncertain'],
    ['notification', 'COMPLETE', 'uncertain'],
    ['refund', 'SUCCESS', 'succeeded'],
    ...['FAIL', 'PARAM_INVALID', 'PARAM_ERROR', 'PWD_INCORRECT', 'ORDER_TYPE_ERROR'].map((c): Case => ['refund', c, 'refused']),
    ['refund', 'PROCESSING', 'pending'],
    ...['TIMEOUT', 'SYSTEM_ERROR', 'DB_ERROR', 'ORDER_USED', 'ORDER_PAID', 'SYSTEM_BUSY', ''].map((c): Case => ['refund', c, 'uncertain']),
    ['refundQuery', 'SUCCESS', 'succeeded'],
    ['refundQuery', 'PROCESSING', 'pending'],
    ['refundQuery', 'FAIL', 'refused'],
    ['refundQuery', 'ORDERCLOSE', 'refused'],
    ['refundQuery', 'REFUNDED', 'uncertain'],
  ] as Case[])('%s %s → %s', (column, code, outcome) => {
    expect(ottpayOutcome(OTTPAY_OUTCOMES[column], code)).toBe(outcome);
  });

  it('compares any letter case, trimmed (the pages disagree on case)', () => {
    expect(ottpayOutcome(OTTPAY_OUTCOMES.query, ' success ')).toBe('paid');
    expect(ottpayOutcome(OTTPAY_OUTCOMES.refund, 'db_error')).toBe('uncertain');
    expect(ottpayOutcome(OTTPAY_OUTCOMES.refund, 'fail')).toBe('refused');
  });
});
