/**
 * Money is an integer of minor units plus an ISO 4217 currency. No floats anywhere:
 * formatting to a provider's decimal string and parsing back are string operations.
 */
import { ValidationError } from './errors';
import iso4217 from './iso4217.json';

/**
 * Where the money this project moves is written with fewer digits than ISO 4217 gives, and
 * why. ISO lists LAK with 2 minor units (att), but no att circulates, NewPay refuses LAK
 * amounts with decimals (Z00020) and CLDR (Intl) writes LAK with none: the kip is the unit.
 * Every other currency has exactly its ISO minor units.
 */
const PRACTICE_OVER_ISO = { LAK: 0 } as const;

/**
 * Minor-unit digits per currency: ISO 4217 (server/core/iso4217.json, generated from the ISO
 * list by scripts/iso4217.ts and checked by test/unit/iso4217.test.ts), then PRACTICE_OVER_ISO.
 * JPY and KRW have 0, HKD, SGD, USD, EUR, GBP, AUD, CAD, NZD, THB, CNY 2, BHD 3.
 */
export const CURRENCY_DECIMALS: Readonly<Record<Currency, number>> = { ...iso4217.minorUnits, ...PRACTICE_OVER_ISO };

/** An ISO 4217 currency code (currencies only: no funds or metals). */
export type Currency = keyof typeof iso4217.minorUnits;

export interface Money {
  /** Integer count of the currency's minor units (cents; kip for LAK). */
  readonly amount: number;
  readonly currency: Currency;
}

export function isCurrency(value: unknown): value is Currency {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CURRENCY_DECIMALS, value);
}

export function parseCurrency(value: unknown, field = 'currency'): Currency {
  if (!isCurrency(value)) {
    throw new ValidationError(field, `must be one of ${Object.keys(CURRENCY_DECIMALS).join(', ')}`);
  }
  return value;
}

export function money(amount: number, currency: Currency, field = 'amount'): Money {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new ValidationError(field, `must be a non-negative whole number of minor units, got ${String(amount)}`);
  }
  return { amount, currency };
}

export function decimalsOf(currency: Currency): number {
  return CURRENCY_DECIMALS[currency];
}

/** Multiplies a unit price by a quantity, refusing results that are not exact integers. */
export function multiply(unit: Money, quantity: number): Money {
  const amount = unit.amount * quantity;
  if (!Number.isSafeInteger(amount)) throw new ValidationError('quantity', 'makes the amount too large');
  return { amount, currency: unit.currency };
}

export function sum(currency: Currency, parts: readonly Money[]): Money {
  let amount = 0;
  for (const part of parts) {
    if (part.currency !== currency) throw new Error(`cannot add ${part.currency} to ${currency}`);
    amount += part.amount;
    if (!Number.isSafeInteger(amount)) throw new ValidationError('items', 'make the amount too large');
  }
  return { amount, currency };
}

/** `{1250, NZD}` → "12.50"; `{25000, LAK}` → "25000". The major-unit decimal string. */
export function toDecimalString(m: Money): string {
  const decimals = decimalsOf(m.currency);
  const digits = String(m.amount);
  if (decimals === 0) return digits;
  const padded = digits.padStart(decimals + 1, '0');
  return `${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`;
}

/** `{1250, NZD}` → "12.50 NZD": an amount in words for messages, logs and timelines. */
export function formatMoney(m: Money): string {
  return `${toDecimalString(m)} ${m.currency}`;
}

/** The minor-unit integer as a string: OTT Pay's "100" for 1.00. */
export function toMinorUnitString(m: Money): string {
  return String(m.amount);
}

/**
 * Parses a provider's decimal amount ("120.00", "120", "5000", 120.5 as a JSON number)
 * into minor units. Refuses more fractional digits than the currency has (LAK "1.5" is an
 * error, not a rounding), so a provider's amount either matches exactly or is rejected.
 */
export function parseDecimal(value: unknown, currency: Currency, field = 'amount'): Money {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError(field, 'is not a finite number');
    // A JSON number such as 120.5: its shortest round-trip text is what the sender wrote.
    text = String(value);
    if (/e/i.test(text)) throw new ValidationError(field, `is out of range: ${text}`);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    throw new ValidationError(field, 'is missing');
  }
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new ValidationError(field, `is not a decimal amount: "${text}"`);
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  const decimals = decimalsOf(currency);
  if (fraction.length > decimals) {
    throw new ValidationError(
      field,
      decimals === 0 ? `${currency} has no decimals, got "${text}"` : `${currency} has ${decimals} decimals, got "${text}"`,
    );
  }
  const amount = Number(whole + fraction.padEnd(decimals, '0'));
  return money(amount, currency, field);
}

/** Parses a minor-unit integer string ("100" = 1.00): OTT Pay's amounts. */
export function parseMinorUnits(value: unknown, currency: Currency, field = 'amount'): Money {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d+$/.test(text.trim())) {
    throw new ValidationError(field, `must be a whole number of minor units, got ${JSON.stringify(value)}`);
  }
  return money(Number(text.trim()), currency, field);
}

export function sameMoney(a: Money, b: Money): boolean {
  return a.amount === b.amount && a.currency === b.currency;
}
