/** Display helpers. Amounts arrive as integer minor units; LAK has none. */
const DECIMALS: Record<string, number> = { LAK: 0, USD: 2, NZD: 2, AUD: 2, CAD: 2, CNY: 2 };
const SYMBOLS: Record<string, string> = { LAK: '₭', USD: 'US$', NZD: 'NZ$', AUD: 'A$', CAD: 'C$', CNY: '¥' };

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 1250 NZD → "NZ$12.50"; 75000 LAK → "₭75,000". */
export function formatMoney(amount: number, currency: string): string {
  const decimals = DECIMALS[currency] ?? 2;
  const digits = String(Math.abs(Math.trunc(amount))).padStart(decimals + 1, '0');
  const whole = decimals === 0 ? digits : digits.slice(0, -decimals);
  const fraction = decimals === 0 ? '' : `.${digits.slice(-decimals)}`;
  return `${SYMBOLS[currency] ?? currency + ' '}${groupThousands(whole)}${fraction}`;
}
