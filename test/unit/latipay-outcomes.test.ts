/** Latipay's outcome table (server/providers/latipay/outcomes.ts), code by documented code, plus an unknown one per column. */
import { outcomeOf } from '../../server/providers/outcomes';
import { LATIPAY_OUTCOMES, latipayWords } from '../../server/providers/latipay/outcomes';

const refused = ['201', '204', '205', '206', '207', '550', '551', '556', '558', '559'];

/** column, the code or status as the provider writes it, the outcome it must have. */
type Case = [keyof typeof LATIPAY_OUTCOMES, string, string];

describe('Latipay outcome table', () => {
  it.each([
    ['create', '0', 'pending'],
    ...['1', '201', '204', '205', '206', '207', '300', '301', '302', '303', '304', '305', '450', '454'].map((c): Case => ['create', c, 'failed']),
    ['create', '562', 'uncertain'],
    ['query', 'paid', 'paid'],
    ['query', 'pending', 'pending'],
    ['query', 'failed', 'failed'],
    ['query', 'rejected', 'failed'],
    ['query', 'canceled', 'closed'],
    ['query', 'refunded', 'uncertain'],
    ['query', 'PAID', 'uncertain'],
    ['notification', 'paid', 'paid'],
    ['notification', 'pending', 'pending'],
    ['notification', 'failed', 'failed'],
    ['notification', 'rejected', 'failed'],
    ['notification', 'canceled', 'closed'],
    ['notification', 'cancelled', 'uncertain'],
    ['refund', '0', 'succeeded'],
    ...refused.map((c): Case => ['refund', c, 'refused']),
    // "this refund request has been done": the money may have gone back; only a person can tell.
    ['refund', '562', 'uncertain'],
    ['refund', '1', 'uncertain'],
    ['refund', '999', 'uncertain'],
    ['refund', '', 'uncertain'],
  ] as Case[])('%s %s → %s', (column, code, outcome) => {
    expect(outcomeOf(LATIPAY_OUTCOMES[column], code)).toBe(outcome);
  });

  it('reads the code typed String or written as a number (the example writes 0)', () => {
    expect(outcomeOf(LATIPAY_OUTCOMES.refund, 0)).toBe('succeeded');
    expect(outcomeOf(LATIPAY_OUTCOMES.refund, 559)).toBe('refused');
    expect(outcomeOf(LATIPAY_OUTCOMES.refund, undefined)).toBe('uncertain');
  });

  it('has words for every documented error code, and only for those', () => {
    for (const code of [...refused, '1', '300', '454', '562']) expect(latipayWords(code)).toEqual(expect.any(String));
    expect(latipayWords('999')).toBeUndefined();
    expect(latipayWords('toString')).toBeUndefined();
  });
});
