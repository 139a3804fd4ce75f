/**
 * Reading a WeChat Pay notification (WeChat Pay "Payment result notification", "Refund
 * result notification"): JSON `{id, create_time, event_type, resource_type:
 * "encrypt-resource", summary, resource: {algorithm: "AEAD_AES_256_GCM", ciphertext, nonce,
 * associated_data, original_type}}`, signed like an answer (Wechatpay-* headers), the
 * resource encrypted with the APIv3 key. Verified first, then decrypted; nothing is read as
 * fact before both. One job: turn raw bytes into the verified event and its plaintext.
 */
import { asRecord, fieldText, type JsonObject } from '../../core/json';
import { ValidationError } from '../../core/errors';
import type { InboundNotification } from '../types';
import { decryptResource } from './resource-cipher';
import { signedHeaders, verifySigned, type KeyLookup } from './signed-message';

export interface VerifiedEvent {
  id: string;
  eventType: string;
  /** The decrypted resource (a transaction or a refund). */
  resource: JsonObject;
}

/** The notification body as JSON, read WITHOUT trust (routing, and the timeline of a refusal). */
export function envelopeOf(notification: InboundNotification): JsonObject {
  const text = notification.rawBody.toString('utf8');
  if (text.trim() === '') throw new ValidationError('body', 'WeChat Pay notification is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ValidationError('body', 'WeChat Pay notification is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError('body', 'WeChat Pay notification is not a JSON object');
  return value as JsonObject;
}

/** The encrypted resource, decrypted (no signature check: only for claimedOrderNo and the verified path). */
export function decryptedResource(envelope: JsonObject, apiV3Key: string): JsonObject {
  const r = asRecord(envelope.resource);
  if (Object.keys(r).length === 0) throw new ValidationError('resource', 'is missing from the WeChat Pay notification');
  const plaintext = decryptResource(
    { algorithm: fieldText(r, 'algorithm'), ciphertext: fieldText(r, 'ciphertext'), nonce: fieldText(r, 'nonce'), associated_data: fieldText(r, 'associated_data') },
    apiV3Key,
  );
  try {
    return asRecord(JSON.parse(plaintext));
  } catch {
    throw new ValidationError('resource', 'decrypts to something that is not JSON');
  }
}

/** Verifies the signature over the raw body, then decrypts. Throws SignatureError / ValidationError. */
export function verifiedEvent(notification: InboundNotification, keys: KeyLookup, apiV3Key: string, nowMs: number): VerifiedEvent {
  const envelope = envelopeOf(notification);
  verifySigned(signedHeaders(notification.headers, 'WeChat Pay notification'), notification.rawBody.toString('utf8'), keys, nowMs, 'WeChat Pay notification');
  const eventType = fieldText(envelope, 'event_type');
  if (!eventType) throw new ValidationError('event_type', 'is missing from the WeChat Pay notification');
  return { id: fieldText(envelope, 'id'), eventType, resource: decryptedResource(envelope, apiV3Key) };
}
