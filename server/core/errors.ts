/**
 * Typed errors. Every error carries a stable `code` a client can switch on, the HTTP
 * status the local stack and HTTP access answer with, and a message a person can act on.
 * Modelled on stripe-node: one base class, one subclass per kind of failure.
 */
export abstract class PayError extends Error {
  abstract readonly code: string;
  abstract readonly httpStatus: number;
  /** The input field or environment variable at fault, where there is one. */
  readonly field?: string;

  constructor(message: string, field?: string) {
    super(message);
    this.name = new.target.name;
    if (field !== undefined) this.field = field;
  }

  toJSON(): { code: string; message: string; field?: string } {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

/** The caller sent something we cannot accept. Always names the field. */
export class ValidationError extends PayError {
  readonly code = 'INVALID_INPUT';
  readonly httpStatus = 400;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, field);
  }
}

/** Who is paying could not be established (missing, invalid or reused login code). */
export class AuthError extends PayError {
  readonly httpStatus = 401;
  constructor(
    readonly code: 'LOGIN_REQUIRED' | 'LOGIN_CODE_INVALID' | 'LOGIN_CODE_USED' | 'LOGIN_FAILED',
    message: string,
    field?: string,
  ) {
    super(message, field);
  }
}

export class NotFoundError extends PayError {
  readonly code = 'NOT_FOUND';
  readonly httpStatus = 404;
}

/** The request is valid but conflicts with the order's state (already paid, closed...). */
export class ConflictError extends PayError {
  readonly httpStatus = 409;
  constructor(
    readonly code: 'ORDER_ALREADY_PAID' | 'ORDER_CLOSED' | 'ORDER_NOT_PAYABLE' | 'DUPLICATE_ORDER',
    message: string,
  ) {
    super(message);
  }
}

/** Missing or malformed configuration. Lists every variable at fault at once. */
export class ConfigError extends PayError {
  readonly code = 'CONFIG_INVALID';
  readonly httpStatus = 500;
  constructor(readonly problems: readonly { variable: string; problem: string }[]) {
    super(
      'Configuration is invalid:\n' + problems.map((p) => `  - ${p.variable}: ${p.problem}`).join('\n'),
      problems[0]?.variable,
    );
  }
}

/** A signature, MAC or decryption integrity check failed. Never reveals expected values. */
export class SignatureError extends PayError {
  readonly code = 'SIGNATURE_INVALID';
  readonly httpStatus = 401;
}

/**
 * The provider refused or could not be reached. `retryable` follows the retry predicate:
 * network failures, timeouts, 429 and 5xx may be retried (for idempotent calls only).
 */
export class ProviderError extends PayError {
  readonly code = 'PROVIDER_ERROR';
  readonly httpStatus = 502;
  constructor(
    readonly provider: string,
    message: string,
    readonly details: { providerCode?: string; httpStatus?: number; retryable?: boolean } = {},
  ) {
    super(`${provider}: ${message}`);
  }
  get retryable(): boolean {
    return this.details.retryable === true;
  }
  override toJSON(): { code: string; message: string; field?: string } {
    const base = super.toJSON();
    return this.details.providerCode === undefined ? base : { ...base, providerCode: this.details.providerCode } as typeof base;
  }
}

export function isPayError(e: unknown): e is PayError {
  return e instanceof PayError;
}

/** The `{ok: false, error}` body every function returns on failure. */
export function errorResult(e: unknown): { ok: false; error: { code: string; message: string; field?: string } } {
  if (isPayError(e)) return { ok: false, error: e.toJSON() };
  return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong on our side; please try again.' } };
}

export function httpStatusOf(e: unknown): number {
  return isPayError(e) ? e.httpStatus : 500;
}
