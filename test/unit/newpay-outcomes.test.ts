/** NewPay's outcome table (server/providers/newpay/outcomes.ts), code by documented code, plus an unknown one per column. */
import { outcomeOf } from '../../server/providers/outcomes';
import { NEWPAY_OUTCOMES } from '../../server/providers/newpay/outcomes';

const refundRefusals = ['Z00048', 'Z00049', 'Z00051', 'Z00053', 'Z00055', 'Z01017', 'Z01018', 'Z01020'];
const requestRefusals = ['Z00005', 'Z00007', 'Z00016', 'Z00018', 'Z00020', 'Z00023', 'E9008', 'Z01009', 'Z01010', 'Z01011'];

/** column, the code or status as the provider writes it, the outcome it must have. */
type Case = [keyof typeof NEWPAY_OUTCOMES, string, string];

describe('NewPay outcome table', () => {
  it.each([
    ['create', '0', 'pending'],
    ...['E9008', 'Z00005', 'Z00007', 'Z00016', 'Z00018', 'Z00020', 'Z00023', 'Z01010', 'Z01028'].map((c): Case => ['create', c, 'failed']),
    ['create', 'Z01009', 'closed'],
    ['create', 'Z01011', 'closed'],
    ...['Z01008', 'E9999', 'Z99999'].map((c): Case => ['create', c, 'uncertain']),
    ['query', 'SUCCESS', 'paid'],
    ['query', 'PROCESSING', 'pending'],
    ['query', 'FAIL', 'failed'],
    ['query', 'EXPIRED', 'closed'],
    ['query', 'REFUND', 'uncertain'],
    ['query', 'success', 'uncertain'],
    ['notification', '0', 'paid'],
    ['notification', '1', 'failed'],
    ['notification', '2', 'uncertain'],
    ['refund', 'tranStatus:1', 'succeeded'],
    // The refund-callback example pairs 0 with "Transaction Success": not final on its own.
    ['refund', 'tranStatus:0', 'uncertain'],
    ['refund', 'tranStatus:2', 'uncertain'],
    ...refundRefusals.map((c): Case => ['refund', c, 'refused']),
    ...requestRefusals.map((c): Case => ['refund', c, 'refused']),
    // Refund number already exists (a re-send of a refund that arrived): ask, never refused.
    ['refund', 'Z01026', 'uncertain'],
    // Unknown error: never a refusal.
    ['refund', 'E9999', 'uncertain'],
    ['refund', 'Z99999', 'uncertain'],
    ['refund', '', 'uncertain'],
    ['refund', '1', 'uncertain'],
    ['refundQuery', 'SUCCESS', 'succeeded'],
    ['refundQuery', 'FAIL', 'refused'],
    ['refundQuery', 'PROCESSING', 'pending'],
    ['refundQuery', 'REFUNDED', 'uncertain'],
    ['refundQuery', 'E9008', 'uncertain'],
    ['refundNotification', '1', 'succeeded'],
    ['refundNotification', '0', 'uncertain'],
    ['refundNotification', '2', 'uncertain'],
  ] as Case[])('%s %s → %s', (column, code, outcome) => {
    expect(outcomeOf(NEWPAY_OUTCOMES[column], code)).toBe(outcome);
  });

  it('reads signed numbers as written (transStatus 0/1), but not uniQueryRefund\'s "int" as a status word', () => {
    expect(outcomeOf(NEWPAY_OUTCOMES.refundNotification, 1)).toBe('succeeded');
    expect(outcomeOf(NEWPAY_OUTCOMES.refundNotification, 0)).toBe('uncertain');
    expect(outcomeOf(NEWPAY_OUTCOMES.notification, 0)).toBe('paid');
    expect(outcomeOf(NEWPAY_OUTCOMES.refundQuery, 1)).toBe('uncertain');
  });
});
