/** Known-answer vectors from Latipay's docs (providers.md), checked twice: ours and crypto-js. */
import CryptoJS from 'crypto-js';
import { requestSigningMessage, resultSigningMessage, signRequest, signResult, signatureMatches } from '../../server/providers/latipay/signature';
import { ProviderError } from '../../server/core/errors';
import type { Order } from '../../server/domain/order';
import { refundFields } from '../../server/providers/latipay/refund';
import type { Refund } from '../../server/domain/refund';

const KEY = '111222333';
const SEED_FIELDS = {
  amount: '120.00',
  app_id: 'wx721398712681232',
  callback_url: 'https://merchantsite.com/confirm',
  ip: '122.122.122.1',
  merchant_reference: 'dsi39ej430sks03',
  payment_method: 'alipay',
  product_name: 'Pinot Noir, Otago',
  return_url: 'https://merchantsite.com/checkout',
  user_id: 'U000334333',
  version: '2.0',
  wallet_id: 'W00000001',
};

describe('Latipay signatures (published vectors)', () => {
  it('signs the seed message', () => {
    expect(requestSigningMessage(SEED_FIELDS, KEY)).toBe(
      'amount=120.00&app_id=wx721398712681232&callback_url=https://merchantsite.com/confirm&ip=122.122.122.1&merchant_reference=dsi39ej430sks03&payment_method=alipay&product_name=Pinot Noir, Otago&return_url=https://merchantsite.com/checkout&user_id=U000334333&version=2.0&wallet_id=W00000001111222333',
    );
    expect(signRequest(SEED_FIELDS, KEY)).toBe('5c732083dbae8b6402bb329a0d1862de2f2337e4bc5b1ee721218fc2c3271db9');
  });

  it('signs the seed message without app_id, skipping null and empty fields', () => {
    const { app_id: _, ...rest } = SEED_FIELDS;
    expect(signRequest({ ...rest, signature: 'ignored', empty: '', nothing: null }, KEY)).toBe(
      '8d1bea078eaacdae8388852851ec39e2e8561cdce64f359421d85ed4844496ec',
    );
  });

  it('signs the query and refund examples', () => {
    expect(signRequest({ user_id: 'U000000013', merchant_reference: '6000324' }, KEY)).toBe(
      '58f93f458880120d650611f2452917a25a39edc2f5e3a03baac73a7a49bc81f4',
    );
    expect(
      signRequest({ user_id: 'U000334333', order_id: '23479798sdf7987234', refund_amount: '120.00', reference: 'notes about this refund' }, KEY),
    ).toBe('3052b51072570b743bf9a12a20a45b0adf280aee84907ef0e54d1079fb3f961c');
  });

  it('signs the notification vector', () => {
    const fields = { merchant_reference: 'dsi39ej430sks03', payment_method: 'alipay', status: 'paid', currency: 'NZD', amount: '120.00' };
    expect(resultSigningMessage(fields)).toBe('dsi39ej430sks03alipaypaidNZD120.00');
    expect(signResult(fields, KEY)).toBe('840151e0dc39496e22b410b83058b4ddd633b786936c505ae978fae029a1e0f1');
  });

  it('agrees with crypto-js as an independent implementation', () => {
    const message = requestSigningMessage(SEED_FIELDS, KEY);
    expect(signRequest(SEED_FIELDS, KEY)).toBe(CryptoJS.HmacSHA256(message, KEY).toString(CryptoJS.enc.Hex));
  });

  it('compares in constant time and refuses malformed signatures', () => {
    const good = '840151e0dc39496e22b410b83058b4ddd633b786936c505ae978fae029a1e0f1';
    expect(signatureMatches(good, good)).toBe(true);
    expect(signatureMatches(good, good.toUpperCase())).toBe(true);
    expect(signatureMatches(good, good.replace(/^8/, '9'))).toBe(false);
    expect(signatureMatches(good, good.slice(2))).toBe(false);
    expect(signatureMatches(good, undefined)).toBe(false);
    expect(signatureMatches(good, 'zz' + good.slice(2))).toBe(false);
  });
});

describe('Latipay refund signature (latipay-hosted-online.md §5, vector in providers.md)', () => {
  const fields = { user_id: 'U000334333', order_id: '23479798sdf7987234', refund_amount: '120.00', reference: 'notes about this refund' };
  const expected = '3052b51072570b743bf9a12a20a45b0adf280aee84907ef0e54d1079fb3f961c';

  it('signs the refund fields by the sorted rule to the published value', () => {
    expect(requestSigningMessage(fields, '111222333')).toBe('order_id=23479798sdf7987234&reference=notes about this refund&refund_amount=120.00&user_id=U000334333111222333');
    expect(signRequest(fields, '111222333')).toBe(expected);
    expect(CryptoJS.HmacSHA256(requestSigningMessage(fields, '111222333'), '111222333').toString()).toBe(expected);
  });

  it('builds the refund request from the order and refund (order_id = Latipay order id, reference = refundNo)', () => {
    const order = { orderNo: 'O1', providerRef: '23479798sdf7987234' } as Order;
    const refund = { refundNo: 'notes about this refund', amount: 12000, currency: 'NZD' } as Refund;
    const built = refundFields({ userId: 'U000334333' }, { order, refund, notifyUrl: 'http://x/notify/latipay' });
    expect(built).toEqual(fields);
    expect(signRequest(built, '111222333')).toBe(expected);
    expect(() => refundFields({ userId: 'U1' }, { order: { orderNo: 'O2' } as Order, refund, notifyUrl: '' })).toThrow(ProviderError);
  });
});
