/**
 * NewPay SHA256withRSA signatures (providers.md, "NewPay (Laos)"). NewPay publishes no test
 * vector, so the signing string is checked against the documented callback example and the
 * signatures against generated RSA-2048 key pairs, cross-checked with crypto.createVerify,
 * a hand-decoded PKCS#1 v1.5 block and (where installed) the openssl command line.
 */
import { execFileSync } from 'node:child_process';
import {
  KeyObject,
  constants,
  createHash,
  createSign,
  createVerify,
  generateKeyPairSync,
  publicDecrypt,
} from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureError, ValidationError } from '../../server/core/errors';
import { assertSigned, signParams, signingString, verifyParams } from '../../server/providers/newpay/signature';

function rsaPair(): { privatePem: string; publicPem: string; privateKey: KeyObject; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey,
    publicKey,
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const merchant = rsaPair();
const platform = rsaPair();

/** The callback example from section 4.4, as NewPay sends it. */
const CALLBACK_JSON =
  '{"orderNo":"202209067002502223","subject":"1","transInfo":"Transaction Success","sign":"...","orderAmt":"123.00","newpayOrderNo":"202209210000006950","settlementStatus":1,"payMethod":1,"extra":"","appId":6,"currency":"LAK","transStatus":0,"timestamp":1663738614280}';
const callback = (): Record<string, unknown> => JSON.parse(CALLBACK_JSON) as Record<string, unknown>;

const CALLBACK_SIGNING_STRING =
  'appId=6&currency=LAK&extra=&newpayOrderNo=202209210000006950&orderAmt=123.00&orderNo=202209067002502223&payMethod=1&settlementStatus=1&subject=1&timestamp=1663738614280&transInfo=Transaction Success&transStatus=0';

/** A callback as NewPay would send it, signed with the platform key. */
function signedCallback(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const body = { ...callback(), ...overrides };
  return { ...body, sign: signParams(body, platform.privatePem) };
}

describe('NewPay signing string', () => {
  it('matches the documented callback example exactly', () => {
    expect(signingString(callback())).toBe(CALLBACK_SIGNING_STRING);
  });

  it('does not depend on the order the fields arrive in, nor on sign', () => {
    const reversed = Object.fromEntries(Object.entries(callback()).reverse());
    expect(signingString(reversed)).toBe(CALLBACK_SIGNING_STRING);
    expect(signingString({ ...callback(), sign: 'something else' })).toBe(CALLBACK_SIGNING_STRING);
    const { sign: _, ...withoutSign } = callback();
    expect(signingString(withoutSign)).toBe(CALLBACK_SIGNING_STRING);
  });

  it('skips null and undefined fields but keeps empty strings', () => {
    expect(signingString({ b: null, a: '', c: undefined, d: 'x' })).toBe('a=&d=x');
    expect(signingString({ ...callback(), subject: null, envVersion: undefined })).toBe(
      CALLBACK_SIGNING_STRING.replace('&subject=1', ''),
    );
  });

  it('sorts by UTF-16 code unit (upper case before lower case), not by locale', () => {
    expect(signingString({ b: '1', B: '2', a: '3', _: '4', Z: '5' })).toBe('B=2&Z=5&_=4&a=3&b=1');
  });

  it('writes numbers and booleans as JSON does, and is not URL-encoded', () => {
    expect(signingString({ n: 0, big: 1663738614280, f: 1.5, t: true, u: false, s: 'a b&c=d/é' })).toBe(
      'big=1663738614280&f=1.5&n=0&s=a b&c=d/é&t=true&u=false',
    );
  });

  it('writes nested objects and arrays as compact JSON (our choice: the docs are silent)', () => {
    expect(signingString({ obj: { y: 1, x: 'a' }, arr: [1, '2', null] })).toBe('arr=[1,"2",null]&obj={"y":1,"x":"a"}');
  });

  it('refuses values that have no JSON form', () => {
    expect(() => signingString({ f: () => 1 })).toThrow(ValidationError);
    expect(() => signingString({ s: Symbol('x') })).toThrow(ValidationError);
  });
});

describe('NewPay signatures', () => {
  it('signs with RSA-2048 into 344 Base64 characters, deterministically', () => {
    const sig = signParams(callback(), merchant.privatePem);
    expect(sig).toHaveLength(344);
    expect(sig).toMatch(/^[A-Za-z0-9+/]{342}==$|^[A-Za-z0-9+/]{343}=$/);
    expect(Buffer.from(sig, 'base64')).toHaveLength(256);
    // PKCS#1 v1.5 is deterministic: same key and data give the same signature, PEM or KeyObject.
    expect(signParams(callback(), merchant.privatePem)).toBe(sig);
    expect(signParams(callback(), merchant.privateKey)).toBe(sig);
  });

  it('round-trips: a signed callback verifies with the matching public key', () => {
    const body = signedCallback();
    expect(verifyParams(body, platform.publicPem)).toBe(true);
    expect(verifyParams(body, platform.publicKey)).toBe(true);
    expect(() => assertSigned(body, platform.publicPem, 'NewPay callback')).not.toThrow();
  });

  it('still verifies after the body goes through JSON again (numbers stay numbers)', () => {
    const body = JSON.parse(JSON.stringify(signedCallback())) as Record<string, unknown>;
    expect(verifyParams(body, platform.publicPem)).toBe(true);
  });

  it('fails when orderAmt (or any other signed field) is changed', () => {
    const body = signedCallback();
    expect(verifyParams({ ...body, orderAmt: '124.00' }, platform.publicPem)).toBe(false);
    expect(verifyParams({ ...body, orderAmt: '123.0' }, platform.publicPem)).toBe(false);
    expect(verifyParams({ ...body, transStatus: 1 }, platform.publicPem)).toBe(false);
    expect(verifyParams({ ...body, extra: null }, platform.publicPem)).toBe(false); // empty string was signed
    expect(verifyParams({ ...body, injected: 'x' }, platform.publicPem)).toBe(false);
  });

  it('treats a number and its decimal string alike, since both are written the same', () => {
    const body = signedCallback();
    expect(verifyParams({ ...body, appId: '6' }, platform.publicPem)).toBe(true);
  });

  it('fails with a different key', () => {
    const body = signedCallback();
    expect(verifyParams(body, merchant.publicPem)).toBe(false);
    expect(verifyParams({ ...body, sign: signParams(callback(), merchant.privatePem) }, platform.publicPem)).toBe(false);
  });

  it.each<[string, unknown]>([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['a number', 12345],
    ['an object', { sig: 'x' }],
    ['not Base64', '!!!not base64!!!'],
    ['Base64 of garbage', Buffer.from('garbage').toString('base64')],
    ['unpadded', 'abc'],
    ['the docs placeholder', '...'],
    ['URL-safe alphabet', 'ab-_'],
    ['too long', 'A'.repeat(400)],
  ])('returns false, without throwing, for a sign that is %s', (_label, sign) => {
    const body = { ...callback(), sign };
    if (sign === undefined) delete body.sign;
    expect(verifyParams(body, platform.publicPem)).toBe(false);
    expect(() => assertSigned(body, platform.publicPem, 'NewPay callback')).toThrow(SignatureError);
  });

  it('returns false for a truncated or bit-flipped signature', () => {
    const body = signedCallback();
    const sig = body.sign as string;
    expect(verifyParams({ ...body, sign: sig.slice(0, 340) }, platform.publicPem)).toBe(false);
    const flipped = Buffer.from(sig, 'base64');
    flipped[100] = (flipped[100] ?? 0) ^ 1;
    expect(verifyParams({ ...body, sign: flipped.toString('base64') }, platform.publicPem)).toBe(false);
  });

  it('tolerates line breaks inside the Base64 (Java MIME encoders wrap at 76 characters)', () => {
    const body = signedCallback();
    const wrapped = (body.sign as string).replace(/(.{76})/g, '$1\r\n');
    expect(verifyParams({ ...body, sign: wrapped }, platform.publicPem)).toBe(true);
  });

  it('returns false for params that are not an object or cannot be signed', () => {
    expect(verifyParams(null as unknown as Record<string, unknown>, platform.publicPem)).toBe(false);
    expect(verifyParams({ ...signedCallback(), bad: () => 1 }, platform.publicPem)).toBe(false);
  });

  it('assertSigned names what failed, and reveals no expected value', () => {
    const body = { ...signedCallback(), orderAmt: '999.00' };
    let error: unknown;
    try {
      assertSigned(body, platform.publicPem, 'NewPay callback');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SignatureError);
    expect((error as SignatureError).message).toBe('NewPay callback signature does not verify');
    expect((error as SignatureError).toJSON()).toEqual({
      code: 'SIGNATURE_INVALID',
      message: 'NewPay callback signature does not verify',
    });
  });

  it('throws on keys that are not usable (configuration errors are not silent)', () => {
    expect(() => signParams(callback(), 'not a pem')).toThrow(/DECODER/);
    expect(() => signParams(callback(), platform.publicKey)).toThrow(/private key/);
    expect(() => verifyParams(signedCallback(), 'not a pem')).toThrow(/DECODER/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(() => signParams(callback(), ec.privateKey)).toThrow(/RSA/);
    expect(() => verifyParams(signedCallback(), ec.publicKey)).toThrow(/RSA/);
  });

  it('parses each PEM once (cached KeyObject)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const crypto = require('node:crypto') as typeof import('node:crypto');
    const { privatePem, publicPem } = rsaPair();
    const priv = jest.spyOn(crypto, 'createPrivateKey');
    const pub = jest.spyOn(crypto, 'createPublicKey');
    try {
      for (let i = 0; i < 3; i++) {
        const body = { ...callback(), timestamp: 1663738614280 + i };
        expect(verifyParams({ ...body, sign: signParams(body, privatePem) }, publicPem)).toBe(true);
      }
      expect(priv.mock.calls.filter(([k]) => k === privatePem)).toHaveLength(1);
      expect(pub.mock.calls.filter(([k]) => k === publicPem)).toHaveLength(1);
    } finally {
      priv.mockRestore();
      pub.mockRestore();
    }
  });
});

describe('NewPay signatures, checked independently', () => {
  it('agree with crypto.createSign / createVerify("RSA-SHA256") over the documented string', () => {
    const ours = signParams(callback(), platform.privatePem);
    const theirs = createSign('RSA-SHA256').update(CALLBACK_SIGNING_STRING, 'utf8').sign(platform.privatePem, 'base64');
    expect(ours).toBe(theirs);
    expect(createVerify('RSA-SHA256').update(CALLBACK_SIGNING_STRING, 'utf8').verify(platform.publicPem, ours, 'base64')).toBe(
      true,
    );
    expect(verifyParams({ ...callback(), sign: theirs }, platform.publicPem)).toBe(true);
  });

  it('is a PKCS#1 v1.5 block holding the SHA-256 DigestInfo of the signing string', () => {
    const sig = Buffer.from(signParams(callback(), platform.privatePem), 'base64');
    const digestInfo = publicDecrypt({ key: platform.publicPem, padding: constants.RSA_PKCS1_PADDING }, sig);
    const sha256Prefix = Buffer.from('3031300d060960864801650304020105000420', 'hex');
    const hash = createHash('sha256').update(CALLBACK_SIGNING_STRING, 'utf8').digest();
    expect(digestInfo.toString('hex')).toBe(Buffer.concat([sha256Prefix, hash]).toString('hex'));
  });

  const openssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  (openssl ? it : it.skip)('agree with `openssl dgst -sha256 -sign / -verify`', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newpay-sig-'));
    try {
      const data = join(dir, 'data.txt');
      const key = join(dir, 'key.pem');
      const pub = join(dir, 'pub.pem');
      const sigFile = join(dir, 'sig.bin');
      writeFileSync(data, CALLBACK_SIGNING_STRING, 'utf8');
      writeFileSync(key, platform.privatePem, { mode: 0o600 });
      writeFileSync(pub, platform.publicPem);

      // openssl verifies ours...
      writeFileSync(sigFile, Buffer.from(signParams(callback(), platform.privatePem), 'base64'));
      const out = execFileSync('openssl', ['dgst', '-sha256', '-verify', pub, '-signature', sigFile, data]).toString();
      expect(out.trim()).toBe('Verified OK');

      // ...and we verify openssl's.
      const theirs = execFileSync('openssl', ['dgst', '-sha256', '-sign', key, data]).toString('base64');
      expect(verifyParams({ ...callback(), sign: theirs }, platform.publicPem)).toBe(true);
      expect(verifyParams({ ...callback(), orderAmt: '1.00', sign: theirs }, platform.publicPem)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
