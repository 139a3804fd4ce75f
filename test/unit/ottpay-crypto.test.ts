/**
 * OTT Pay Appendix A encryption: published vectors, checked twice (ours and crypto-js), and
 * every way decryption must refuse.
 */
import {
  PUBLISHED_CALLBACK as CALLBACK,
  PUBLISHED_CALLBACK_PLAINTEXT as CALLBACK_PLAINTEXT,
  PUBLISHED_CALLBACK_SIGNKEY as CALLBACK_SIGNKEY,
} from '../fixtures/ottpay-published';
import CryptoJS from 'crypto-js';
import { createHash } from 'node:crypto';
import { aesKeyFor, decryptData, encryptData, transactionMd5 } from '../../server/providers/ottpay/crypto';
import { SignatureError, ValidationError } from '../../server/core/errors';

/** docs.ottpay.com Appendix A, in the published key order (the ciphertext depends on it). */
const VECTOR_DATA = {
  orderId: '1234567890',
  idCardName: '张三',
  idCardNum: '123456789012345678',
  bankCardNum: '62000000000010',
  mobile: '13711111111',
  idCardType: '1',
};
const VECTOR_SIGNKEY = '6698851A525C9433';
const VECTOR_MD5 = 'C12F9560769C2CB55E6954935B325916';
const VECTOR_KEY_DIGEST = '60063EF1EF1712FC070C2C210330BB00';
const VECTOR_AES_KEY = 'EF1712FC070C2C21';

/** An independent implementation of the whole scheme with crypto-js. */
function cryptoJsEncrypt(json: string, md5: string, signKey: string): string {
  const key = CryptoJS.MD5(md5 + signKey).toString().toUpperCase().slice(8, 24);
  return CryptoJS.AES.encrypt(CryptoJS.enc.Utf8.parse(json), CryptoJS.enc.Utf8.parse(key), {
    mode: CryptoJS.mode.ECB,
    padding: CryptoJS.pad.Pkcs7,
  }).toString();
}
function cryptoJsDecrypt(b64: string, md5: string, signKey: string): string {
  const key = CryptoJS.MD5(md5 + signKey).toString().toUpperCase().slice(8, 24);
  return CryptoJS.AES.decrypt(b64, CryptoJS.enc.Utf8.parse(key), { mode: CryptoJS.mode.ECB, padding: CryptoJS.pad.Pkcs7 }).toString(
    CryptoJS.enc.Utf8,
  );
}

function expectSignatureError(fn: () => unknown, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(SignatureError);
  if (message) expect((caught as Error).message).toMatch(message);
}

/** Flip one bit of one byte of the decoded ciphertext and re-encode. */
function flipByte(b64: string, index: number): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

describe('OTT Pay Appendix A vector', () => {
  it('computes the md5 over the sorted values', () => {
    const sorted = Object.keys(VECTOR_DATA)
      .sort()
      .map((k) => VECTOR_DATA[k as keyof typeof VECTOR_DATA])
      .join('');
    expect(sorted).toBe('62000000000010张三1234567890123456781137111111111234567890');
    expect(transactionMd5(VECTOR_DATA)).toBe(VECTOR_MD5);
  });

  it('derives the AES key from the middle of MD5(md5 + signkey)', () => {
    expect(createHash('md5').update(VECTOR_MD5 + VECTOR_SIGNKEY).digest('hex').toUpperCase()).toBe(VECTOR_KEY_DIGEST);
    expect(aesKeyFor(VECTOR_MD5, VECTOR_SIGNKEY)).toBe(VECTOR_AES_KEY);
  });

  it('encrypts to the published ciphertext', () => {
    const out = encryptData(VECTOR_DATA, VECTOR_SIGNKEY);
    expect(out.md5).toBe(VECTOR_MD5);
    expect(out.data.startsWith('Y2+GoqBBPc6EJ9JzXRFoOziKd+')).toBe(true);
    expect(out.data.endsWith('gVvencz80aRWQ==')).toBe(true);
  });

  it('matches crypto-js, an independent implementation, byte for byte', () => {
    const ours = encryptData(VECTOR_DATA, VECTOR_SIGNKEY);
    expect(CryptoJS.MD5(CryptoJS.enc.Utf8.parse('62000000000010张三1234567890123456781137111111111234567890')).toString().toUpperCase()).toBe(
      VECTOR_MD5,
    );
    expect(cryptoJsEncrypt(JSON.stringify(VECTOR_DATA), VECTOR_MD5, VECTOR_SIGNKEY)).toBe(ours.data);
    expect(cryptoJsDecrypt(ours.data, ours.md5, VECTOR_SIGNKEY)).toBe(JSON.stringify(VECTOR_DATA));
  });

  it('depends on JSON key order (insertion order), not the md5 order', () => {
    const reordered = Object.fromEntries(Object.entries(VECTOR_DATA).reverse());
    const out = encryptData(reordered, VECTOR_SIGNKEY);
    expect(out.md5).toBe(VECTOR_MD5);
    expect(out.data).not.toBe(encryptData(VECTOR_DATA, VECTOR_SIGNKEY).data);
    expect(decryptData(out.data, out.md5, VECTOR_SIGNKEY)).toEqual(VECTOR_DATA);
  });
});

describe('OTT Pay published callback example', () => {
  it('decrypts to the published JSON and its md5 verifies', () => {
    const out = decryptData(CALLBACK.data, CALLBACK.md5, CALLBACK_SIGNKEY);
    expect(out).toEqual(JSON.parse(CALLBACK_PLAINTEXT));
    expect(JSON.stringify(out)).toBe(CALLBACK_PLAINTEXT); // same key order as sent
    expect(out.remarks).toBe('可以');
  });

  it('crypto-js decrypts it to the same text, and ours re-encrypts it to the same ciphertext', () => {
    expect(cryptoJsDecrypt(CALLBACK.data, CALLBACK.md5, CALLBACK_SIGNKEY)).toBe(CALLBACK_PLAINTEXT);
    expect(encryptData(JSON.parse(CALLBACK_PLAINTEXT) as Record<string, unknown>, CALLBACK_SIGNKEY)).toEqual({
      md5: CALLBACK.md5,
      data: CALLBACK.data,
    });
  });

  it('derives the key from the md5 exactly as sent, and compares it case-insensitively', () => {
    // Lowercasing the callback's md5 derives another key: refused.
    expectSignatureError(() => decryptData(CALLBACK.data, CALLBACK.md5.toLowerCase(), CALLBACK_SIGNKEY));
    // A sender that used a lowercase md5 throughout is accepted.
    const lower = CALLBACK.md5.toLowerCase();
    const data = cryptoJsEncrypt(CALLBACK_PLAINTEXT, lower, CALLBACK_SIGNKEY);
    expect(decryptData(data, lower, CALLBACK_SIGNKEY)).toEqual(JSON.parse(CALLBACK_PLAINTEXT));
  });
});

describe('OTT Pay round trip', () => {
  const SIGNKEY = 'A8B5FE540E38A5A9';

  it('round-trips request-shaped data', () => {
    const data = {
      order_id: '2020041468976O124O000857',
      operator_id: '0000020156',
      amount: '100',
      tip: '',
      biz_type: 'WECHATPAY',
      app_id: 'wx5f89682208cf8e88',
      open_id: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      call_back_url: 'https://example.com/api/ottpay/callback?x=1&y=2',
    };
    const out = encryptData(data, SIGNKEY);
    expect(out.md5).toMatch(/^[0-9A-F]{32}$/);
    expect(decryptData(out.data, out.md5, SIGNKEY)).toEqual(data);
  });

  it('handles Chinese characters as UTF-8 (md5, JSON and ciphertext)', () => {
    const data = { remarks: '可以 — 测试订单', order_id: '订单-1', amount: '1' };
    const out = encryptData(data, SIGNKEY);
    const utf8Md5 = createHash('md5').update(Buffer.from('1订单-1可以 — 测试订单', 'utf8')).digest('hex').toUpperCase();
    const latin1Md5 = createHash('md5').update(Buffer.from('1订单-1可以 — 测试订单', 'latin1')).digest('hex').toUpperCase();
    expect(out.md5).toBe(utf8Md5);
    expect(out.md5).not.toBe(latin1Md5);
    expect(cryptoJsEncrypt(JSON.stringify(data), out.md5, SIGNKEY)).toBe(out.data);
    expect(decryptData(out.data, out.md5, SIGNKEY)).toEqual(data);
  });

  it('skips null and undefined in the digest, hashes numbers and booleans via String()', () => {
    expect(transactionMd5({ b: '2', a: '1', c: null, d: undefined })).toBe(transactionMd5({ a: '1', b: '2' }));
    expect(transactionMd5({ amount: 100, paid: true })).toBe(transactionMd5({ amount: '100', paid: 'true' }));
    const out = encryptData({ amount: 100, paid: true, gone: null }, SIGNKEY);
    expect(decryptData(out.data, out.md5, SIGNKEY)).toEqual({ amount: 100, paid: true, gone: null });
  });

  it('hashes nested objects as compact JSON and round-trips them', () => {
    const payInfo = { appId: 'wx5f89682208cf8e88', timeStamp: '1586851200', signType: 'MD5' };
    expect(transactionMd5({ order_id: '1', payInfo })).toBe(transactionMd5({ order_id: '1', payInfo: JSON.stringify(payInfo) }));
    const out = encryptData({ order_id: '1', payInfo }, SIGNKEY);
    expect(decryptData(out.data, out.md5, SIGNKEY)).toEqual({ order_id: '1', payInfo });
  });

  it('sorts keys by UTF-16 code unit, like Java String.compareTo (uppercase first)', () => {
    expect(transactionMd5({ amount: 'a', Tip: 'T' })).toBe(createHash('md5').update('Ta').digest('hex').toUpperCase());
  });

  it('accepts MIME line-wrapped Base64', () => {
    const out = encryptData(VECTOR_DATA, VECTOR_SIGNKEY);
    const wrapped = out.data.replace(/(.{76})/g, '$1\r\n');
    expect(wrapped).toContain('\r\n');
    expect(decryptData(wrapped, out.md5, VECTOR_SIGNKEY)).toEqual(VECTOR_DATA);
  });
});

describe('OTT Pay decryption refuses', () => {
  it('a wrong signkey', () => {
    expectSignatureError(() => decryptData(CALLBACK.data, CALLBACK.md5, '6698851A525C9433'));
    expectSignatureError(() => decryptData(CALLBACK.data, CALLBACK.md5, 'A8B5FE540E38A5A8'));
  });

  it('never puts the signkey in the message', () => {
    try {
      decryptData(CALLBACK.data, CALLBACK.md5, 'SECRETSECRET1234');
      throw new Error('expected a SignatureError');
    } catch (e) {
      expect(e).toBeInstanceOf(SignatureError);
      expect((e as Error).message).not.toContain('SECRETSECRET1234');
      expect((e as Error).message).not.toContain(aesKeyFor(CALLBACK.md5, 'SECRETSECRET1234'));
    }
  });

  it('a flipped ciphertext byte, anywhere', () => {
    const length = Buffer.from(CALLBACK.data, 'base64').length;
    expect(length % 16).toBe(0);
    for (let i = 0; i < length; i++) {
      expectSignatureError(() => decryptData(flipByte(CALLBACK.data, i), CALLBACK.md5, CALLBACK_SIGNKEY));
    }
  });

  it('a flipped byte in a middle block of the vector', () => {
    const out = encryptData(VECTOR_DATA, VECTOR_SIGNKEY);
    expectSignatureError(() => decryptData(flipByte(out.data, 20), out.md5, VECTOR_SIGNKEY));
  });

  it('bad Base64', () => {
    const d = CALLBACK.data;
    const bad = [
      '',
      d.slice(0, -1), // wrong length
      d.slice(0, 10) + '!' + d.slice(11), // non-alphabet character
      d.slice(0, 10) + ' ' + d.slice(11), // space
      d.replace(/\+/g, '-').replace(/\//g, '_'), // URL-safe alphabet
      d.slice(0, 16) + '=' + d.slice(17), // padding in the middle
      d.slice(0, -4), // truncated: not whole AES blocks
      'AAA=', // canonical Base64 but only 2 bytes
      'AB==', // non-zero trailing bits
    ];
    for (const b of bad) expectSignatureError(() => decryptData(b, CALLBACK.md5, CALLBACK_SIGNKEY));
    expectSignatureError(() => decryptData(undefined as unknown as string, CALLBACK.md5, CALLBACK_SIGNKEY));
  });

  it('a whole-block truncation or a block from elsewhere (bad padding or md5 mismatch)', () => {
    const bytes = Buffer.from(CALLBACK.data, 'base64');
    expectSignatureError(() => decryptData(bytes.subarray(0, bytes.length - 16).toString('base64'), CALLBACK.md5, CALLBACK_SIGNKEY));
    const swapped = Buffer.concat([bytes.subarray(16, 32), bytes.subarray(0, 16), bytes.subarray(32)]);
    expectSignatureError(() => decryptData(swapped.toString('base64'), CALLBACK.md5, CALLBACK_SIGNKEY));
  });

  it('a tampered md5', () => {
    // A different md5 derives a different key: decryption fails.
    const tampered = CALLBACK.md5.slice(0, -1) + (CALLBACK.md5.endsWith('F') ? 'E' : 'F');
    expectSignatureError(() => decryptData(CALLBACK.data, tampered, CALLBACK_SIGNKEY));
    expectSignatureError(() => decryptData(CALLBACK.data, 'not-an-md5', CALLBACK_SIGNKEY), /md5/);
    expectSignatureError(() => decryptData(CALLBACK.data, CALLBACK.md5 + '00', CALLBACK_SIGNKEY), /md5/);
  });

  it('valid ciphertext whose values do not match the md5 it was keyed with', () => {
    // Encrypted with the right key for this md5, but the data has been changed: only the
    // recomputed digest can catch this.
    const md5 = VECTOR_MD5;
    const forged = cryptoJsEncrypt(JSON.stringify({ ...VECTOR_DATA, orderId: '9999999999' }), md5, VECTOR_SIGNKEY);
    expectSignatureError(() => decryptData(forged, md5, VECTOR_SIGNKEY), /md5 does not match/);
  });

  it('plaintext that is not a UTF-8 JSON object', () => {
    const md5 = VECTOR_MD5;
    for (const text of ['not json', '["a","b"]', 'null', '"string"', '42']) {
      expectSignatureError(() => decryptData(cryptoJsEncrypt(text, md5, VECTOR_SIGNKEY), md5, VECTOR_SIGNKEY));
    }
    const key = CryptoJS.enc.Utf8.parse(aesKeyFor(md5, VECTOR_SIGNKEY));
    const invalidUtf8 = CryptoJS.AES.encrypt(CryptoJS.enc.Hex.parse('7b2261223a22ff227d'), key, {
      mode: CryptoJS.mode.ECB,
      padding: CryptoJS.pad.Pkcs7,
    }).toString(); // {"a":"\xff"}
    expectSignatureError(() => decryptData(invalidUtf8, md5, VECTOR_SIGNKEY), /UTF-8/);
  });
});

describe('OTT Pay input validation', () => {
  it('requires a signkey', () => {
    expect(() => encryptData(VECTOR_DATA, '')).toThrow(ValidationError);
    expect(() => decryptData(CALLBACK.data, CALLBACK.md5, '')).toThrow(ValidationError);
  });

  it('rejects data JSON cannot round-trip', () => {
    expect(() => transactionMd5({ amount: Number.NaN })).toThrow(ValidationError);
    expect(() => transactionMd5({ amount: 10n })).toThrow(ValidationError);
    expect(() => transactionMd5({ when: new Date(0) })).toThrow(ValidationError);
    expect(() => transactionMd5({ f: () => 1 })).toThrow(ValidationError);
    expect(() => transactionMd5([] as unknown as Record<string, unknown>)).toThrow(ValidationError);
    expect(() => transactionMd5({ amount: Number.POSITIVE_INFINITY })).toThrow(
      expect.objectContaining({ field: 'data.amount' }) as unknown as Error,
    );
  });
});
