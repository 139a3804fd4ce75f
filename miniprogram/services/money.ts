/**
 * The one money formatter: the shopper pages, the operator pages and the local stack's
 * developer console (served to it as /money.js, built from this file) all write amounts
 * with it, so the same order reads the same everywhere. Amounts are integer minor units;
 * how many decimals a currency has comes from the server's replies (LAK has none), never
 * from a table here. Digits only, string arithmetic: no floats touch money.
 * No imports: the console loads this file on its own.
 */

export type MoneyLang = 'zh_CN' | 'zh_TW' | 'en';

const SYMBOLS: Record<string, string> = {
  LAK: '₭', USD: 'US$', NZD: 'NZ$', AUD: 'A$', CAD: 'C$', CNY: '¥',
  // Where a sign is shared, the country prefix tells them apart (¥ is the yuan in a WeChat shop, so the yen is JP¥).
  HKD: 'HK$', MOP: 'MOP$', TWD: 'NT$', SGD: 'S$', JPY: 'JP¥', KRW: '₩', THB: '฿', EUR: '€', GBP: '£',
};

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 1250 with 2 decimals → "12.50"; 75000 with 0 → "75000". Digits only (the refund sheet's input). */
export function minorToText(amount: number, decimals: number): string {
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(Math.trunc(amount))).padStart(decimals + 1, '0');
  if (decimals === 0) return sign + digits;
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/**
 * 1250 NZD (2 decimals) → "NZ$12.50"; 75000 LAK (0) → "₭75,000". Every language groups
 * thousands with "," and marks decimals with "."; a currency without a symbol reads
 * "CHF 12.50" in English and "12.50 CHF" in Chinese.
 */
export function formatMoney(amount: number, currency: string, decimals: number, lang: MoneyLang = 'en'): string {
  const text = minorToText(amount, decimals);
  const sign = text.startsWith('-') ? '-' : '';
  const [whole = '', fraction] = text.replace(/^-/, '').split('.');
  const number = `${groupThousands(whole)}${fraction === undefined ? '' : `.${fraction}`}`;
  const symbol = SYMBOLS[currency];
  if (symbol) return `${sign}${symbol}${number}`;
  return lang === 'en' ? `${sign}${currency} ${number}` : `${sign}${number} ${currency}`;
}

export type ParsedAmount = { ok: true; minor: number } | { ok: false; reason: 'empty' | 'format' | 'decimals' | 'zero' };

/**
 * A person's decimal text → minor units, exactly: "12.5" (2 decimals) → 1250, "75000" (0) →
 * 75000. Refuses more decimals than the currency has, signs, exponents and separators.
 */
export function parseAmount(text: string, decimals: number): ParsedAmount {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'empty' };
  const match = /^(\d+)(?:\.(\d*))?$/.exec(trimmed);
  if (!match) return { ok: false, reason: 'format' };
  const whole = match[1] ?? '';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > decimals) return { ok: false, reason: 'decimals' };
  const digits = (whole + fraction.padEnd(decimals, '0')).replace(/^0+/, '');
  if (digits === '') return { ok: false, reason: 'zero' };
  if (digits.length > 15) return { ok: false, reason: 'format' }; // beyond exact integers
  return { ok: true, minor: Number(digits) };
}
