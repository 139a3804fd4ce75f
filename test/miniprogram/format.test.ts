import { formatMoney } from '../../miniprogram/services/format';

describe('formatMoney: amounts as shoppers expect them', () => {
  it.each([
    [700, 'JPY', 0, 'JP¥700'],
    [6500, 'KRW', 0, '₩6,500'],
    [3800, 'HKD', 2, 'HK$38.00'],
    [650, 'SGD', 2, 'S$6.50'],
    [420, 'EUR', 2, '€4.20'],
    [360, 'GBP', 2, '£3.60'],
    [16000, 'THB', 2, '฿160.00'],
    [2500, 'CNY', 2, '¥25.00'],
    [75000, 'LAK', 0, '₭75,000'],
  ])('%d %s (%d decimals) → %s', (amount, currency, decimals, text) => {
    expect(formatMoney(amount, currency, decimals)).toBe(text);
  });
  it('a currency without a sign is written with its code, after the number in Chinese', () => {
    expect(formatMoney(12345, 'CHF', 2, 'en')).toBe('CHF 123.45');
    expect(formatMoney(12345, 'CHF', 2, 'zh_CN')).toBe('123.45 CHF');
  });
});
