/**
 * Downloads the platform certificates (`GET /v3/global/certificates`, WeChat Pay "Obtain
 * platform certificate list"): `{data: [{serial_no, effective_time, expire_time,
 * encrypt_certificate: {algorithm, nonce, associated_data, ciphertext}}]}`. Each certificate
 * is AEAD_AES_256_GCM encrypted with the APIv3 key, which only WeChat Pay and the merchant
 * hold: a certificate that decrypts is WeChat Pay's. It is read with node:crypto's
 * X509Certificate, and its serial must be the one announced. The answer itself must be signed
 * by a key we hold or by one of the certificates it carries (the first download has no other).
 */
import { X509Certificate } from 'node:crypto';
import { asRecord, fieldText } from '../../core/json';
import { ProviderError } from '../../core/errors';
import { PROVIDER, answerError, type WechatPayClient } from './client';
import type { PlatformCertificate } from './platform-keys';
import { decryptResource } from './resource-cipher';

export const CERTIFICATES_PATH = '/v3/global/certificates';

/** The certificates in an answer body; entries that do not decrypt or do not match their serial are left out. */
export function readCertificates(text: string, apiV3Key: string): PlatformCertificate[] {
  let body: Record<string, unknown>;
  try {
    body = asRecord(JSON.parse(text));
  } catch {
    return [];
  }
  const out: PlatformCertificate[] = [];
  for (const raw of Array.isArray(body.data) ? body.data : []) {
    const entry = asRecord(raw);
    const serial = fieldText(entry, 'serial_no').toUpperCase();
    const encrypted = asRecord(entry.encrypt_certificate);
    try {
      const pem = decryptResource(
        { algorithm: fieldText(encrypted, 'algorithm'), ciphertext: fieldText(encrypted, 'ciphertext'), nonce: fieldText(encrypted, 'nonce'), associated_data: fieldText(encrypted, 'associated_data') },
        apiV3Key,
      );
      const cert = new X509Certificate(pem);
      if (cert.serialNumber.toUpperCase().replace(/^0+/, '') !== serial.replace(/^0+/, '')) continue;
      const expire = Date.parse(fieldText(entry, 'expire_time') || cert.validTo);
      out.push({ serial, publicKey: cert.publicKey, expiresAt: Math.min(Number.isNaN(expire) ? Infinity : expire, Date.parse(cert.validTo)) });
    } catch {
      // Not decryptable with our APIv3 key, or not a certificate: never trusted.
    }
  }
  return out;
}

export async function downloadCertificates(client: WechatPayClient, apiV3Key: string): Promise<PlatformCertificate[]> {
  let certificates: PlatformCertificate[] = [];
  const answer = await client.call('GET', CERTIFICATES_PATH, undefined, 'certificates', {
    retries: 1,
    keysFromBody: (text) => {
      certificates = readCertificates(text, apiV3Key);
      return { keyFor: (serial) => certificates.find((c) => c.serial === serial.toUpperCase())?.publicKey };
    },
  });
  if (answer.status !== 200) throw answerError(answer, 'certificates', false);
  if (certificates.length === 0) throw new ProviderError(PROVIDER, 'certificates answered no certificate that decrypts with WECHATPAY_API_V3_KEY', { retryable: true });
  return certificates;
}
