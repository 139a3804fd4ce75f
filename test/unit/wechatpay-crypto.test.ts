/**
 * WeChat Pay Global's crypto, each module checked against two independent implementations,
 * with keys made for the tests (WeChat Pay publishes no test vectors):
 * - wechatpay-axios-plugin (a v3 SDK: its own message formatting, header and AES-GCM use);
 * - node-forge (pure-JavaScript RSA and AES-GCM: primitives apart from node:crypto).
 * crypto-js cannot serve here: it has neither RSA nor GCM (it checks SHA-256 digests only).
 * RSASSA-PKCS1-v1_5 is deterministic, so two implementations must give the same Base64.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import CryptoJS from 'crypto-js';
import forge from 'node-forge';
import { Aes, Formatter, Rsa } from 'wechatpay-axios-plugin';
import { SignatureError, ValidationError } from '../../server/core/errors';
import { paySignMessage, miniProgramParams } from '../../server/providers/wechatpay/pay-sign';
import { authorization, requestMessage, rsaSha256Sign } from '../../server/providers/wechatpay/request-signature';
import { decryptResource, encryptResource } from '../../server/providers/wechatpay/resource-cipher';
import { answerMessage, signedHeaders, verifySigned, UnknownSerialError } from '../../server/providers/wechatpay/signed-message';
import { envelopeOf } from '../../server/providers/wechatpay/notification';
import { looksLikeRefund } from '../../server/providers/wechatpay/refund';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const pkcs1 = (k: KeyObject) => k.export({ type: 'pkcs1', format: 'pem' }).toString();
const spki = (k: KeyObject) => createPublicKey(k).export({ type: 'spki', format: 'pem' }).toString();

function forgeSign(message: string, key: KeyObject): string {
  const md = forge.md.sha256.create();
  md.update(message, 'utf8');
  return forge.util.encode64(forge.pki.privateKeyFromPem(pkcs1(key)).sign(md));
}

const APIV3_KEY = 'TestOnlyApiV3Key0123456789abcdef';
const NOW = 1_796_000_000_000;

describe('WeChat Pay v3 request signature (Authorization)', () => {
  const req = { method: 'POST' as const, pathWithQuery: '/v3/global/transactions/jsapi', body: '{"mchid":"1900000109"}' };
  const ts = '1554208460';
  const nonce = '593BEC0C930BF1AFEB40B4A08C8FB242';

  it('signs the five lines exactly as wechatpay-axios-plugin formats them', () => {
    expect(requestMessage(req, ts, nonce)).toBe(Formatter.request('POST', req.pathWithQuery, ts, nonce, req.body));
    expect(requestMessage(req, ts, nonce)).toBe(`POST\n/v3/global/transactions/jsapi\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n{"mchid":"1900000109"}\n`);
    expect(requestMessage({ ...req, method: 'GET', body: '' }, ts, nonce).endsWith(`${nonce}\n\n`)).toBe(true);
  });

  it('gives the same Base64 signature as the plugin and as node-forge', () => {
    const message = requestMessage(req, ts, nonce);
    const ours = rsaSha256Sign(message, merchant);
    expect(ours).toBe(Rsa.sign(message, merchant));
    expect(ours).toBe(forgeSign(message, merchant));
    expect(ours).toHaveLength(344);
  });

  it('writes the header the docs show: schema, then mchid, nonce_str, timestamp, serial_no, signature', () => {
    const header = authorization(req, { mchid: '1900000109', serialNo: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB', privateKey: merchant }, ts, nonce);
    const fields = Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    expect(header.startsWith('WECHATPAY2-SHA256-RSA2048 mchid="1900000109",')).toBe(true);
    expect(fields).toEqual({ mchid: '1900000109', nonce_str: nonce, timestamp: ts, serial_no: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB', signature: Rsa.sign(requestMessage(req, ts, nonce), merchant) });
    // The plugin orders the fields differently; WeChat (and our simulator) read them in any order.
    expect(Formatter.authorization('1900000109', nonce, fields.signature!, ts, fields.serial_no!)).toContain(`signature="${fields.signature}"`);
  });
});

describe('WeChat Pay answer and notification verification', () => {
  const keys = { keyFor: (serial: string) => (serial === 'PLATFORM1' ? createPublicKey(platform) : undefined) };
  const body = '{"prepay_id":"wx201410272009395522657a690389285100"}';
  const ts = String(Math.floor(NOW / 1000));
  const nonce = 'NONCE1234';
  const headers = (signature: string, serial = 'PLATFORM1', timestamp = ts) => ({ 'Wechatpay-Timestamp': timestamp, 'Wechatpay-Nonce': nonce, 'Wechatpay-Signature': signature, 'Wechatpay-Serial': serial });
  const genuine = Rsa.sign(Formatter.response(ts, nonce, body), platform);

  it('verifies what the plugin signs, and what node-forge signs (the same three lines)', () => {
    expect(answerMessage(ts, nonce, body)).toBe(Formatter.response(ts, nonce, body));
    expect(forgeSign(answerMessage(ts, nonce, body), platform)).toBe(genuine);
    expect(() => verifySigned(signedHeaders(headers(genuine), 'answer'), body, keys, NOW, 'answer')).not.toThrow();
    expect(Rsa.verify(answerMessage(ts, nonce, body), genuine, spki(platform))).toBe(true);
  });

  it('refuses a changed body, another key, an unknown serial, a timestamp 6 minutes away, and SIGNTEST', () => {
    const check = (h: Record<string, string>, b = body, now = NOW) => () => verifySigned(signedHeaders(h, 'answer'), b, keys, now, 'answer');
    expect(check(headers(genuine), `${body} `)).toThrow(SignatureError);
    expect(check(headers(Rsa.sign(Formatter.response(ts, nonce, body), merchant)))).toThrow(/does not verify/);
    expect(check(headers(genuine, 'PLATFORM2'))).toThrow(UnknownSerialError);
    expect(check(headers(genuine), body, NOW + 6 * 60_000)).toThrow(/more than 5 minutes/);
    expect(check(headers(genuine), body, NOW + 4 * 60_000)).not.toThrow();
    expect(check(headers(`WECHATPAY/SIGNTEST/${genuine}`))).toThrow(/SIGNTEST/);
  });

  it('names the missing Wechatpay-* headers and the proxy that may have stripped them', () => {
    expect(() => signedHeaders({ 'Wechatpay-Timestamp': ts }, 'WeChat Pay notification')).toThrow(/Wechatpay-Nonce, Wechatpay-Signature, Wechatpay-Serial.*proxy/);
  });
});

describe('AEAD_AES_256_GCM resources', () => {
  const plaintext = '{"out_trade_no":"1217752501201407033233368018","trade_state":"SUCCESS"}';
  const nonce = 'fdasflkja484';
  const aad = 'transaction';

  it('encrypts as the plugin and node-forge do: one known ciphertext', () => {
    const ours = encryptResource(plaintext, APIV3_KEY, nonce, aad);
    expect(ours).toBe('nD4GPAl5ABbTngfg8SWG2uZiXpWJOzgJ5PK6Fi+mxHuBw6YNbAxwizgIGeCCoF9lwPXkZEAwuTEO5pFSg08+WwHPgHhOZCVqCWj5yCD2sMCrIuAt3dxb');
    expect(ours).toBe(Aes.AesGcm.encrypt(plaintext, APIV3_KEY, nonce, aad));
    const cipher = forge.cipher.createCipher('AES-GCM', forge.util.createBuffer(APIV3_KEY));
    cipher.start({ iv: forge.util.createBuffer(nonce), additionalData: aad, tagLength: 128 });
    cipher.update(forge.util.createBuffer(forge.util.encodeUtf8(plaintext)));
    cipher.finish();
    expect(ours).toBe(forge.util.encode64(cipher.output.getBytes() + cipher.mode.tag.getBytes()));
    // The last 16 bytes are the tag: the ciphertext is 16 bytes longer than the plaintext.
    expect(Buffer.from(ours, 'base64').length).toBe(Buffer.byteLength(plaintext) + 16);
    // crypto-js has no GCM; what it can check is that nothing but the plaintext's bytes went in.
    expect(CryptoJS.SHA256(decryptResource({ algorithm: 'AEAD_AES_256_GCM', ciphertext: ours, nonce, associated_data: aad }, APIV3_KEY)).toString()).toBe(CryptoJS.SHA256(plaintext).toString());
  });

  it('decrypts what the plugin encrypts; a wrong key, nonce, AAD or one flipped bit fails the tag', () => {
    const c = Aes.AesGcm.encrypt(plaintext, APIV3_KEY, nonce, aad);
    const r = { algorithm: 'AEAD_AES_256_GCM', ciphertext: c, nonce, associated_data: aad };
    expect(decryptResource(r, APIV3_KEY)).toBe(plaintext);
    expect(() => decryptResource(r, 'X' + APIV3_KEY.slice(1))).toThrow(SignatureError);
    expect(() => decryptResource({ ...r, nonce: 'fdasflkja485' }, APIV3_KEY)).toThrow(SignatureError);
    expect(() => decryptResource({ ...r, associated_data: 'refund' }, APIV3_KEY)).toThrow(SignatureError);
    const flipped = Buffer.from(c, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => decryptResource({ ...r, ciphertext: flipped.toString('base64') }, APIV3_KEY)).toThrow(SignatureError);
    expect(() => decryptResource({ ...r, algorithm: 'AES_128_ECB' }, APIV3_KEY)).toThrow(ValidationError);
  });
});

describe('mini program paySign (signType RSA)', () => {
  it('signs appId, timeStamp, nonceStr and package on four lines; the plugin and node-forge agree', () => {
    const p = miniProgramParams('wxd678efh567hg6787', 'wx201410272009395522657a690389285100', merchant, '1414561699', '5K8264ILTKCH16CQ2502SI8ZNMTM67VS');
    const message = paySignMessage('wxd678efh567hg6787', '1414561699', '5K8264ILTKCH16CQ2502SI8ZNMTM67VS', 'prepay_id=wx201410272009395522657a690389285100');
    expect(message).toBe(`wxd678efh567hg6787\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n`);
    expect(message).toBe(Formatter.joinedByLineFeed('wxd678efh567hg6787', '1414561699', '5K8264ILTKCH16CQ2502SI8ZNMTM67VS', 'prepay_id=wx201410272009395522657a690389285100'));
    expect(p).toMatchObject({ timeStamp: '1414561699', package: 'prepay_id=wx201410272009395522657a690389285100', signType: 'RSA' });
    expect(p.paySign).toBe(Rsa.sign(message, merchant));
    expect(p.paySign).toBe(forgeSign(message, merchant));
  });
});

describe("the documented examples' structure, parsed as published", () => {
  it('reads the TRANSACTION.SUCCESS and REFUND.SUCCESS envelopes of the notification pages', () => {
    // The envelope of WeChat Pay's payment notification example (values as published; resource emptied there too).
    const published = '{"id":"EV-2018022511223320873","create_time":"2015-05-20T13:29:35+08:00","resource_type":"encrypt-resource","event_type":"TRANSACTION.SUCCESS","summary":"支付成功","resource":{"original_type":"transaction","algorithm":"AEAD_AES_256_GCM","ciphertext":"","associated_data":"","nonce":""}}';
    const envelope = envelopeOf({ headers: {}, rawBody: Buffer.from(published), query: {} });
    expect(envelope).toMatchObject({ event_type: 'TRANSACTION.SUCCESS', resource_type: 'encrypt-resource', resource: { algorithm: 'AEAD_AES_256_GCM', original_type: 'transaction' } });
    expect(looksLikeRefund(envelope)).toBe(false);
    expect(looksLikeRefund({ ...envelope, event_type: 'REFUND.SUCCESS' })).toBe(true);
    // The example's empty ciphertext is refused naming the field, never half-read.
    expect(() => decryptResource({ algorithm: 'AEAD_AES_256_GCM', ciphertext: '', nonce: '', associated_data: '' }, APIV3_KEY)).toThrow(ValidationError);
  });
});
