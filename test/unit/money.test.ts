import { ValidationError } from '../../server/core/errors';
import { money, multiply, parseDecimal, parseMinorUnits, sum, toDecimalString, toMinorUnitString } from '../../server/core/money';

describe('money', () => {
  it('formats minor units with the currency decimals, no floats', () => {
    expect(toDecimalString({ amount: 12000, currency: 'NZD' })).toBe('120.00');
    expect(toDecimalString({ amount: 5, currency: 'CAD' })).toBe('0.05');
    expect(toDecimalString({ amount: 0, currency: 'USD' })).toBe('0.00');
    expect(toDecimalString({ amount: 25000, currency: 'LAK' })).toBe('25000');
    expect(toMinorUnitString({ amount: 100, currency: 'CAD' })).toBe('100');
    // 0.1 + 0.2 style errors cannot happen: 10 + 20 minor units is exactly 30.
    expect(toDecimalString(sum('AUD', [money(10, 'AUD'), money(20, 'AUD')]))).toBe('0.30');
  });

  it('parses provider decimals exactly and refuses extra precision', () => {
    expect(parseDecimal('120.00', 'NZD')).toEqual({ amount: 12000, currency: 'NZD' });
    expect(parseDecimal('120', 'NZD').amount).toBe(12000);
    expect(parseDecimal('0.1', 'USD').amount).toBe(10);
    expect(parseDecimal(120.5, 'NZD').amount).toBe(12050);
    expect(parseDecimal('5000', 'LAK').amount).toBe(5000);
    expect(parseDecimal('5000.00', 'LAK').amount).toBe(5000);
    expect(() => parseDecimal('1.5', 'LAK')).toThrow(/LAK has no decimals/);
    expect(() => parseDecimal('1.005', 'USD')).toThrow(ValidationError);
    expect(() => parseDecimal('-1.00', 'USD')).toThrow(ValidationError);
    expect(() => parseDecimal('1e3', 'USD')).toThrow(ValidationError);
    expect(() => parseDecimal(undefined, 'USD')).toThrow(/amount: is missing/);
  });

  it('parses minor-unit strings and rejects anything else', () => {
    expect(parseMinorUnits('100', 'CAD').amount).toBe(100);
    expect(() => parseMinorUnits('1.00', 'CAD')).toThrow(ValidationError);
  });

  it('rejects non-integer, negative and unsafe amounts', () => {
    expect(() => money(1.5, 'USD')).toThrow(ValidationError);
    expect(() => money(-1, 'USD')).toThrow(ValidationError);
    expect(() => multiply(money(Number.MAX_SAFE_INTEGER, 'USD'), 2)).toThrow(/quantity/);
  });
});
