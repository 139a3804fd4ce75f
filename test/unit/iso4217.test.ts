/**
 * Currencies come from ISO 4217, not from a list typed by hand: server/core/iso4217.json is
 * exactly what scripts/lib/iso4217.ts reads from the ISO list the currency-codes package ships,
 * and money.ts departs from it only where it says why (LAK).
 */
import iso4217 from '../../server/core/iso4217.json';
import { CURRENCY_DECIMALS, isCurrency, parseDecimal, toDecimalString } from '../../server/core/money';
import { readIso4217 } from '../../scripts/lib/iso4217';

describe('ISO 4217 minor units', () => {
  it('server/core/iso4217.json is the ISO list as published (regenerate: npx tsx scripts/iso4217.ts)', () => {
    expect(iso4217).toEqual(readIso4217());
  });

  it('gives the currencies WeChat Pay Global merchants settle in their ISO digits', () => {
    expect(Object.fromEntries(['JPY', 'KRW', 'HKD', 'SGD', 'USD', 'EUR', 'GBP', 'AUD', 'CAD', 'NZD', 'THB', 'CNY', 'BHD'].map((c) => [c, CURRENCY_DECIMALS[c as 'USD']]))).toEqual({
      JPY: 0, KRW: 0, HKD: 2, SGD: 2, USD: 2, EUR: 2, GBP: 2, AUD: 2, CAD: 2, NZD: 2, THB: 2, CNY: 2, BHD: 3,
    });
    expect(toDecimalString({ amount: 700, currency: 'JPY' })).toBe('700');
    expect(() => parseDecimal('7.5', 'KRW')).toThrow(/no decimals/);
  });

  it('departs from ISO for LAK only (ISO 2, the kip has none in practice and at NewPay)', () => {
    const departures = Object.keys(CURRENCY_DECIMALS).filter((c) => CURRENCY_DECIMALS[c as 'USD'] !== iso4217.minorUnits[c as 'USD']);
    expect(departures).toEqual(['LAK']);
    expect(iso4217.minorUnits.LAK).toBe(2);
    expect(CURRENCY_DECIMALS.LAK).toBe(0);
  });

  it('holds currencies only: funds and metals (N.A. minor units) are not currencies here', () => {
    expect(isCurrency('XAU')).toBe(false);
    expect(isCurrency('XTS')).toBe(false);
    expect(isCurrency('XOF')).toBe(true);
  });

  it('differs from Intl where CLDR writes display digits, which is why Intl is not the source', () => {
    const intl = (c: string) => new Intl.NumberFormat('en', { style: 'currency', currency: c }).resolvedOptions().maximumFractionDigits;
    expect([intl('JPY'), intl('KRW')]).toEqual([0, 0]);
    // HUF, IDR: ISO 2 minor units, CLDR displays none (cash practice); an amount in fillér must still be exact.
    expect([iso4217.minorUnits.HUF, intl('HUF')]).toEqual([2, 0]);
  });
});
