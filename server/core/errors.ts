/**
 * Typed errors. Every error carries a stable `code` a client can switch on (the list is in
 * the wire contract), the HTTP status the local stack and HTTP access answer with (one
 * mapping, HTTP_STATUS_BY_CODE), and a message a person can act on.
 * Modelled on stripe-node: one base class, one subclass per kind of failure.
 */
import type { ErrorCode } from '../contract/wire';

/** The one mapping from error code to HTTP status. */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  LOGIN_REQUIRED: 401,
  LOGIN_CODE_INVALID: 401,
  LOGIN_CODE_USED: 401,
  LOGIN_FAILED: 401,
  SIGNATURE_INVALID: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ORDER_ALREADY_PAID: 409,
  ORDER_CLOSED: 409,
  ORDER_NOT_PAYABLE: 409,
  DUPLICATE_ORDER: 409,
  ORDER_NOT_REFUNDABLE: 409,
  REFUND_EXCEEDS_REMAINING: 409,
  REFUND_CONFLICT: 409,
  REFUND_LIMIT_REACHED: 409,
  REFUND_NOT_PENDING: 409,
  CONFIG_INVALID: 500,
  INTERNAL: 500,
  PROVIDER_ERROR: 502,
};

/** The HTTP status for a `{ok: false}` reply's error code (500 for codes we do not know). */
export function httpStatusForCode(code: string): number {
  return (HTTP_STATUS_BY_CODE as Record<string, number>)[code] ?? 500;
}

export abstract class PayError extends Error {
  abstract readonly code: ErrorCode;
  /** The input field or environment variable at fault, where there is one. */
  readonly field?: string;

  constructor(message: string, field?: string) {
    super(message);
    this.name = new.target.name;
    if (field !== undefined) this.field = field;
  }

  get httpStatus(): number {
    return HTTP_STATUS_BY_CODE[this.code];
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
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, field);
  }
}

/** Who is paying could not be established (missing, invalid or reused login code). */
export class AuthError extends PayError {
  constructor(
    readonly code: 'LOGIN_REQUIRED' | 'LOGIN_CODE_INVALID' | 'LOGIN_CODE_USED' | 'LOGIN_FAILED',
    message: string,
    field?: string,
  ) {
    super(message, field);
  }
}

/** The caller is known but not allowed (an admin action from someone not in ADMIN_OPENIDS). */
export class ForbiddenError extends PayError {
  readonly code = 'FORBIDDEN';
  /**
   * `callerOpenid`: the refused caller's own openid, returned to that caller only, so a new
   * operator learns the value to add to ADMIN_OPENIDS without reading logs (which mask it).
   */
  constructor(
    message: string,
    readonly callerOpenid?: string,
  ) {
    super(message);
  }
  override toJSON(): { code: string; message: string; field?: string } {
    const base = super.toJSON();
    return this.callerOpenid === undefined ? base : ({ ...base, openid: this.callerOpenid } as typeof base);
  }
}

export class NotFoundError extends PayError {
  readonly code = 'NOT_FOUND';
}

/** The request is valid but conflicts with the order's state (already paid, closed...). */
export class ConflictError extends PayError {
  constructor(
    readonly code:
      | 'ORDER_ALREADY_PAID'
      | 'ORDER_CLOSED'
      | 'ORDER_NOT_PAYABLE'
      | 'DUPLICATE_ORDER'
      | 'REFUND_LIMIT_REACHED'
      | 'REFUND_NOT_PENDING'
      | 'ORDER_NOT_REFUNDABLE'
      | 'REFUND_EXCEEDS_REMAINING'
      | 'REFUND_CONFLICT',
    message: string,
  ) {
    super(message);
  }
}

/** Missing or malformed configuration. Lists every variable at fault at once. */
export class ConfigError extends PayError {
  readonly code = 'CONFIG_INVALID';
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
}

/**
 * The provider refused or could not be reached. `retryable` follows the retry predicate:
 * network failures, timeouts, 429 and 5xx may be retried (for idempotent calls only).
 */
export class ProviderError extends PayError {
  readonly code = 'PROVIDER_ERROR';
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
