/**
 * Display helpers. Amounts arrive as integer minor units; how many decimals a currency has
 * comes from the server's catalog reply (LAK has none), never from a table here.
 */
import type { Lang } from './i18n';

/**
 * How shoppers expect each currency written. Where a sign is shared, the country prefix tells
 * them apart (US$, HK$, S$; ¥ is the yuan in a WeChat shop, so the yen is JP¥).
 */
const SYMBOLS: Record<string, string> = {
  LAK: '₭', USD: 'US$', NZD: 'NZ$', AUD: 'A$', CAD: 'C$', CNY: '¥',
  HKD: 'HK$', MOP: 'MOP$', TWD: 'NT$', SGD: 'S$', JPY: 'JP¥', KRW: '₩', THB: '฿', EUR: '€', GBP: '£',
};

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * 1250 NZD (2 decimals) → "NZ$12.50"; 75000 LAK (0) → "₭75,000"; 700 JPY (0) → "JP¥700";
 * 3800 HKD → "HK$38.00"; 420 EUR → "€4.20". Both locales group
 * thousands with "," and mark decimals with "." (as zh-CN and en do); a currency without a
 * symbol reads "CHF 12.50" in English and "12.50 CHF" in Chinese.
 */
export function formatMoney(amount: number, currency: string, decimals: number, lang: Lang = 'en'): string {
  const digits = String(Math.abs(Math.trunc(amount))).padStart(decimals + 1, '0');
  const whole = decimals === 0 ? digits : digits.slice(0, -decimals);
  const fraction = decimals === 0 ? '' : `.${digits.slice(-decimals)}`;
  const sign = amount < 0 ? '-' : '';
  const number = `${groupThousands(whole)}${fraction}`;
  const symbol = SYMBOLS[currency];
  if (symbol) return `${sign}${symbol}${number}`;
  return lang === 'zh_CN' ? `${sign}${number} ${currency}` : `${sign}${currency} ${number}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Epoch ms → "2026-11-22 09:05" in the phone's time zone (read the same way in both languages). */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
