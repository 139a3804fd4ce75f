/**
 * AEAD_AES_256_GCM, as API v3 encrypts notification resources and the platform certificates
 * it serves (WeChat Pay "Certificate and callback message decryption"): the key is the
 * 32-byte APIv3 key (its UTF-8 bytes), `nonce` the 12-character IV, `associated_data` the
 * AAD (may be empty), and `ciphertext` the Base64 of the encrypted bytes followed by the
 * 16-byte authentication tag. A wrong key, nonce, AAD or any tampered byte fails the tag.
 * One job: decrypt (and, for the tests' and tools' use, encrypt) that resource. node:crypto only.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { SignatureError, ValidationError } from '../../core/errors';

export const RESOURCE_ALGORITHM = 'AEAD_AES_256_GCM';
const TAG_BYTES = 16;

export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  nonce: string;
  associated_data?: string;
}

function keyBytes(apiV3Key: string): Buffer {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new TypeError('the APIv3 key must be 32 bytes');
  return key;
}

/** The plaintext (UTF-8) of a resource; SignatureError when the tag does not verify. */
export function decryptResource(resource: EncryptedResource, apiV3Key: string): string {
  if (resource.algorithm !== RESOURCE_ALGORITHM) throw new ValidationError('resource.algorithm', `must be ${RESOURCE_ALGORITHM}, got "${resource.algorithm}"`);
  if (typeof resource.nonce !== 'string' || resource.nonce.length === 0) throw new ValidationError('resource.nonce', 'is missing');
  if (typeof resource.ciphertext !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(resource.ciphertext)) throw new ValidationError('resource.ciphertext', 'is not Base64');
  const bytes = Buffer.from(resource.ciphertext, 'base64');
  if (bytes.length <= TAG_BYTES) throw new ValidationError('resource.ciphertext', 'is too short to hold a tag');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyBytes(apiV3Key), Buffer.from(resource.nonce, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    // Never say which part was wrong: key, nonce, AAD or ciphertext all look the same.
    throw new SignatureError('WeChat Pay resource does not decrypt with WECHATPAY_API_V3_KEY (wrong key, or tampered)');
  }
}

/** Base64(ciphertext ‖ tag): what WeChat Pay sends. Used by tools and tests, never to trust anything. */
export function encryptResource(plaintext: string, apiV3Key: string, nonce: string, associatedData: string): string {
  const cipher = createCipheriv('aes-256-gcm', keyBytes(apiV3Key), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([body, cipher.getAuthTag()]).toString('base64');
}
