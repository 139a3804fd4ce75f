/**
 * The WeChat Pay keys we trust, by the serial a signature names (WeChat Pay "Platform
 * certificates" and "WeChat Pay public key"):
 * - public-key mode: WECHATPAY_PUBLIC_KEY under WECHATPAY_PUBLIC_KEY_ID (`PUB_KEY_ID_…`);
 * - certificate mode: the platform certificates from `GET /v3/global/certificates`, each under
 *   its serial, kept while valid. WeChat publishes a new certificate 24 h before it signs
 *   with it, so they are fetched again at least every 12 h; a serial we do not know makes
 *   us fetch again at once, but at most once a minute (a flood of forged serials costs one
 *   request a minute, never more);
 * - both at once while a merchant switches from certificates to the public key.
 * Bounded: at most MAX_CERTIFICATES certificates are kept (the newest by expiry).
 * One job: which key a serial names. Downloading is given as a function (./certificates.ts).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { KeyLookup } from './signed-message';

export interface PlatformCertificate {
  serial: string;
  publicKey: KeyObject;
  /** Milliseconds since the epoch; a certificate past its expiry is never used. */
  expiresAt: number;
}

export const REFRESH_EVERY_MS = 12 * 60 * 60_000;
export const MIN_REFETCH_INTERVAL_MS = 60_000;
export const MAX_CERTIFICATES = 16;

export interface PlatformKeysOptions {
  /** Public-key mode: the WeChat Pay public key and its id. */
  publicKey?: { id: string; pem: string };
  /** Certificate mode: downloads, decrypts and checks the current platform certificates. */
  download?: () => Promise<PlatformCertificate[]>;
  now: () => number;
}

export class PlatformKeys implements KeyLookup {
  private readonly publicKeyId: string | undefined;
  private readonly publicKey: KeyObject | undefined;
  private certificates = new Map<string, PlatformCertificate>();
  private fetchedAt: number | undefined;
  /** When an unknown serial last made us fetch (its own bound, apart from the 12-hourly refresh). */
  private serialFetchAt: number | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly o: PlatformKeysOptions) {
    if (o.publicKey) {
      this.publicKeyId = o.publicKey.id;
      this.publicKey = createPublicKey(o.publicKey.pem);
    }
  }

  /** Whether certificates are a source of keys here (they are unless only the public key is configured and no download is possible). */
  get usesCertificates(): boolean {
    return this.o.download !== undefined;
  }

  keyFor(serial: string): KeyObject | undefined {
    if (this.publicKeyId !== undefined && serial === this.publicKeyId) return this.publicKey;
    const cert = this.certificates.get(serial.toUpperCase());
    return cert && cert.expiresAt > this.o.now() ? cert.publicKey : undefined;
  }

  /** The serials held now (for logs and tests). */
  serials(): string[] {
    return [...(this.publicKeyId ? [this.publicKeyId] : []), ...this.certificates.keys()];
  }

  /**
   * Certificate mode: fetches when none were fetched yet or the last fetch is 12 h old.
   * Public-key mode without a download: nothing to do.
   */
  async ensureFresh(): Promise<void> {
    if (!this.o.download || this.publicKeyOnly()) return;
    if (this.fetchedAt !== undefined && this.o.now() - this.fetchedAt < REFRESH_EVERY_MS) return;
    await this.refetch();
  }

  /** A signature names `serial`: fetch the certificates again if we hold no key for it (bounded). */
  async ensureSerial(serial: string): Promise<void> {
    if (this.keyFor(serial) || !this.o.download) return;
    // A public key id we were not given cannot come from the certificate list.
    if (/^PUB_KEY_ID_/.test(serial)) return;
    const now = this.o.now();
    if (this.serialFetchAt !== undefined && now - this.serialFetchAt < MIN_REFETCH_INTERVAL_MS) return;
    this.serialFetchAt = now;
    await this.refetch();
  }

  /** In public-key mode, certificates are fetched only when a certificate serial shows up. */
  private publicKeyOnly(): boolean {
    return this.publicKey !== undefined && this.certificates.size === 0 && this.fetchedAt === undefined;
  }

  private refetch(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = (async () => {
      try {
        const fetched = await this.o.download!();
        const kept = new Map(this.certificates);
        for (const c of fetched) kept.set(c.serial.toUpperCase(), c);
        const live = [...kept.values()].filter((c) => c.expiresAt > this.o.now()).sort((a, b) => b.expiresAt - a.expiresAt).slice(0, MAX_CERTIFICATES);
        this.certificates = new Map(live.map((c) => [c.serial.toUpperCase(), c]));
        this.fetchedAt = this.o.now();
      } catch (e) {
        // A failed download is retried by the next call, no sooner than a minute (a down host is not hammered).
        if (this.certificates.size > 0 || !this.publicKey) this.fetchedAt = this.o.now() - REFRESH_EVERY_MS + MIN_REFETCH_INTERVAL_MS;
        throw e;
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }
}
