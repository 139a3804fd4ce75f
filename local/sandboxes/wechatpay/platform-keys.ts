/**
 * The simulator's WeChat Pay platform keys, written apart from the adapter: RSA-2048 pairs
 * (node:crypto), each with a self-signed X.509 certificate made with node-forge (node:crypto
 * reads certificates but cannot make them) whose serial is the key's id, or a WeChat Pay
 * public key id (`PUB_KEY_ID_…`) with no certificate. Rotation as WeChat Pay does it: the new
 * certificate is listed at once, signs only after `activateInMs`, and the old one stays listed
 * and valid until it expires.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface PlatformKey {
  /** A certificate serial (40 hex digits) or a public key id (PUB_KEY_ID_…). */
  id: string;
  privateKey: KeyObject;
  publicPem: string;
  /** PEM certificate; absent for a public key id. */
  certificatePem?: string;
  /** Signs from this moment (ms). */
  activeFrom: number;
  /** Listed and valid until (ms). */
  expiresAt: number;
}

/** A serial as WeChat Pay writes them: 40 uppercase hex digits, first byte 0x10–0x7F (a positive DER integer without padding). */
export function newSerial(): string {
  const bytes = randomBytes(20);
  bytes[0] = 0x10 + ((bytes[0] ?? 0) % 0x70);
  return bytes.toString('hex').toUpperCase();
}

export async function newRsaKey(): Promise<KeyObject> {
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  return privateKey;
}

/** A self-signed certificate for `privateKey` with serial `serial`, valid from yesterday for five years. */
export function selfSignedCertificate(privateKey: KeyObject, serial: string, now: number): { pem: string; expiresAt: number } {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = serial.toLowerCase();
  cert.validity.notBefore = new Date(now - 24 * 3600_000);
  cert.validity.notAfter = new Date(now + 5 * 365 * 24 * 3600_000);
  const name = [
    { name: 'commonName', value: 'Tenpay.com (local simulator, not WeChat Pay)' },
    { name: 'organizationName', value: 'Local stack' },
    { name: 'countryName', value: 'CN' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  return { pem: forge.pki.certificateToPem(cert), expiresAt: cert.validity.notAfter.getTime() };
}

export function platformKey(privateKey: KeyObject, id: string, now: number, activeFrom = now): PlatformKey {
  const publicPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  if (/^PUB_KEY_ID_/.test(id)) return { id, privateKey, publicPem, activeFrom, expiresAt: Number.MAX_SAFE_INTEGER };
  const cert = selfSignedCertificate(privateKey, id, now);
  return { id, privateKey, publicPem, certificatePem: cert.pem, activeFrom, expiresAt: cert.expiresAt };
}

/** A PEM private key from configuration (`\n` escapes allowed); throws on anything else. */
export function privateKeyFromPem(text: string): KeyObject {
  return createPrivateKey(text.replace(/\\n/g, '\n'));
}

/** The keys in use: the newest active one signs; every unexpired certificate is listed. At most 8 kept. */
export class PlatformKeyRing {
  private keys: PlatformKey[];

  constructor(first: PlatformKey) {
    this.keys = [first];
  }

  signing(now = Date.now()): PlatformKey {
    const active = this.keys.filter((k) => k.activeFrom <= now && k.expiresAt > now).sort((a, b) => b.activeFrom - a.activeFrom);
    return active[0] ?? (this.keys[0] as PlatformKey);
  }

  certificates(now = Date.now()): PlatformKey[] {
    return this.keys.filter((k) => k.certificatePem !== undefined && k.expiresAt > now);
  }

  add(key: PlatformKey): void {
    this.keys = [...this.keys, key].slice(-8);
  }

  /** The old keys stay valid this long after a rotation (then they drop out of the list). */
  retire(exceptId: string, at: number): void {
    for (const k of this.keys) if (k.id !== exceptId) k.expiresAt = Math.min(k.expiresAt, at);
  }

  all(): readonly PlatformKey[] {
    return this.keys;
  }
}
