/**
 * The operator services without a page: money text ↔ minor units, what remains refundable,
 * refund numbers, and a message for every error code in both languages.
 */
import { ERROR_CODES } from '../../miniprogram/contract/wire';
import { decimalsOf, formatAmount, isRefundable, minorToText, newRefundNo, parseAmount, remainingOf } from '../../miniprogram/services/admin';
import { learnDecimals } from '../../miniprogram/services/shop';
import { adminLanguageOf, adminMessages, detailText, errorText, fill, lineText, statusText } from '../../miniprogram/services/admin-messages';

// What the server's replies say (each AdminOrder carries its currency's `decimals`; the
// catalog's providers list theirs): the pages learn it, they keep no table of their own.
beforeAll(() => {
  for (const [currency, decimals] of [['LAK', 0], ['NZD', 2], ['AUD', 2], ['CAD', 2], ['USD', 2], ['CNY', 2]] as const) learnDecimals(currency, decimals);
});

describe('parseAmount: decimal text to minor units, exactly', () => {
  it.each([
    ['12.50', 'NZD', 1250],
    ['12.5', 'NZD', 1250],
    ['12', 'NZD', 1200],
    [' 0.01 ', 'CAD', 1],
    ['0.10', 'USD', 10],
    ['0.29', 'AUD', 29], // 0.29 * 100 is 28.999999999999996 in floating point
    ['1.005', 'NZD', 'decimals'],
    ['12.500', 'NZD', 1250], // trailing zeros are not extra precision
    ['007.25', 'NZD', 725],
    ['75000', 'LAK', 75000],
    ['75000.0', 'LAK', 75000],
    ['75000.5', 'LAK', 'decimals'],
    ['', 'NZD', 'empty'],
    ['   ', 'NZD', 'empty'],
    ['0', 'NZD', 'zero'],
    ['0.00', 'NZD', 'zero'],
    ['-5', 'NZD', 'format'],
    ['+5', 'NZD', 'format'],
    ['1e2', 'NZD', 'format'],
    ['1,000', 'NZD', 'format'],
    ['.5', 'NZD', 'format'],
    ['12.', 'NZD', 1200],
    ['NaN', 'NZD', 'format'],
    ['12 .50', 'NZD', 'format'],
    ['99999999999999999', 'NZD', 'format'],
  ])('%j %s → %j', (text, currency, expected) => {
    const parsed = parseAmount(text, currency);
    if (typeof expected === 'number') expect(parsed).toEqual({ ok: true, minor: expected });
    else expect(parsed).toEqual({ ok: false, reason: expected });
  });

  it('round-trips with minorToText for every cent up to 10.00', () => {
    for (let minor = 1; minor <= 1000; minor++) expect(parseAmount(minorToText(minor, 'NZD'), 'NZD')).toEqual({ ok: true, minor });
  });
});

describe('money display', () => {
  it('decimals, as the server said: LAK 0, the others 2', () => {
    expect(['LAK', 'NZD', 'AUD', 'CAD', 'USD', 'CNY'].map(decimalsOf)).toEqual([0, 2, 2, 2, 2, 2]);
  });

  it('formats minor units as the shopper pages and the console do (services/money.ts)', () => {
    expect(formatAmount(1250, 'NZD')).toBe('NZ$12.50');
    expect(formatAmount(5, 'CAD')).toBe('C$0.05');
    expect(formatAmount(123456789, 'USD')).toBe('US$1,234,567.89');
    expect(formatAmount(1250000, 'LAK')).toBe('₭1,250,000');
    expect(formatAmount(1250, 'CHF')).toBe('CHF 12.50');
    expect(formatAmount(1250, 'CHF', 'zh_TW')).toBe('12.50 CHF');
    expect(minorToText(1250000, 'LAK')).toBe('1250000');
    expect(minorToText(0, 'NZD')).toBe('0.00');
  });
});

describe('what remains refundable', () => {
  const refund = (amount: number, status: 'PENDING' | 'SUCCEEDED' | 'FAILED') => ({ amount, status });

  it('is the paid amount less succeeded (refundedAmount) and pending refunds; failed ones do not count', () => {
    expect(remainingOf({ amount: 2000 }, [])).toBe(2000);
    expect(remainingOf({ amount: 2000, refundedAmount: 500 }, [refund(500, 'SUCCEEDED'), refund(300, 'PENDING'), refund(900, 'FAILED')])).toBe(1200);
    expect(remainingOf({ amount: 2000, refundedAmount: 2000 }, [refund(100, 'PENDING')])).toBe(0);
  });

  it('only PAID and PARTIALLY_REFUNDED orders are refundable', () => {
    const statuses = ['CREATED', 'PAYING', 'PAID', 'FAILED', 'CLOSED', 'PARTIALLY_REFUNDED', 'REFUNDED'] as const;
    expect(statuses.filter((status) => isRefundable({ status }))).toEqual(['PAID', 'PARTIALLY_REFUNDED']);
  });
});

describe('refund numbers', () => {
  it('are 20 letters and digits, different each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const no = newRefundNo();
      expect(no).toMatch(/^R[0-9A-Z]{19}$/);
      seen.add(no);
    }
    expect(seen.size).toBe(1000);
  });
});

describe('admin messages', () => {
  const en = adminMessages('en') as Record<string, string>;
  const zh = adminMessages('zh_CN') as Record<string, string>;

  it('zh_CN, zh_TW and en have the same keys, none empty, and fill the same placeholders', () => {
    for (const other of [zh, adminMessages('zh_TW') as Record<string, string>]) {
      expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en)) {
        expect(en[key]!.length).toBeGreaterThan(0);
        expect(other[key]!.length).toBeGreaterThan(0);
        const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
        expect([key, holes(other[key]!)]).toEqual([key, holes(en[key]!)]);
      }
    }
  });

  it('language: Traditional for zh_TW, zh_HK, zh_MO and zh-Hant; Simplified for other zh*; anything else English', () => {
    expect(['zh_CN', 'zh_TW', 'zh_HK', 'zh_MO', 'zh-Hant-TW', 'zh-Hans', 'en', 'en_US', 'fr', '', undefined].map(adminLanguageOf)).toEqual([
      'zh_CN', 'zh_TW', 'zh_TW', 'zh_TW', 'zh_TW', 'zh_CN', 'en', 'en', 'en', 'en', 'en',
    ]);
  });

  it('timeline details read in the operator’s words, with money formatted', () => {
    const money = (a: number) => formatAmount(a, 'NZD', 'zh_CN');
    expect(detailText({ amount: 1825, currency: 'NZD' }, 'zh_CN', money)).toBe('金额 NZ$18.25');
    expect(detailText({ from: 'PAYING', to: 'PAID', source: 'notification' }, 'zh_CN', money)).toBe('原状态 待支付 · 新状态 已支付 · 来源 支付机构通知');
    expect(detailText({ from: 'PAYING', to: 'PAID', odd: 'x' }, 'en', money)).toBe('from: Awaiting payment · to: Paid · odd: x');
  });

  it('every error code the admin function sends has its own message in both languages', () => {
    const generic = ['INTERNAL', 'SIGNATURE_INVALID', 'ORDER_ALREADY_PAID', 'ORDER_CLOSED', 'ORDER_NOT_PAYABLE', 'DUPLICATE_ORDER'];
    for (const lang of ['en', 'zh_CN', 'zh_TW'] as const) {
      for (const code of [...ERROR_CODES, 'NETWORK' as const]) {
        const message = errorText({ code, message: 'm' }, lang);
        expect(message.length).toBeGreaterThan(5);
        if (!generic.includes(code)) expect([code, message]).not.toEqual([code, fill(adminMessages(lang).errOTHER, { code })]);
      }
    }
    expect(errorText({ code: 'LOGIN_CODE_USED', message: 'x' }, 'en')).toBe(en.errLOGIN);
    expect(errorText({ code: 'INVALID_INPUT', message: 'x', field: 'reason' }, 'zh_CN')).toBe('服务器拒绝了原因。请检查后重试。');
    expect(errorText({ code: 'INVALID_INPUT', message: 'x', field: 'weird' }, 'en')).toBe('The input was refused by the server. Check it and try again.');
    expect(errorText({ code: 'PROVIDER_ERROR', message: 'declined' }, 'en')).toBe(fill(en.errPROVIDER_ERROR!, { message: 'declined' }));
  });

  it('unknown statuses and timeline types are shown as they are', () => {
    expect(statusText('DISPUTED', 'en')).toBe('DISPUTED');
    expect(lineText('refund_requested_v9', 'zh_CN')).toBe('refund_requested_v9');
  });
});
