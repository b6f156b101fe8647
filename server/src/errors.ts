/**
 * The one error type of the domain. Every expected failure carries one of these codes; the
 * GraphQL layer and the plain HTTP routes translate it once each (`graphql/errors.ts`,
 * `http/respond.ts`), and anything that is not a DomainError is masked and logged.
 */
export const ERROR_CODES = [
  /** No session or token. */
  'UNAUTHENTICATED',
  /** Logged in, but not allowed (including mutations sent with a read-only API token). */
  'FORBIDDEN',
  /** The input is malformed or out of range; the message names the field and the bound. */
  'BAD_INPUT',
  'NOT_FOUND',
  /** A request over a configured size, depth, alias, token, directive or cost limit. */
  'TOO_COMPLEX',
  /** An operation ran past its time budget and was stopped. */
  'TIMEOUT',
  /** A per-user cap was reached (live API tokens). */
  'LIMIT_REACHED',
  /** The database stayed busy through every retry; the same request may succeed later. */
  'RETRY_LATER',
  'ALREADY_BILLED',
  'ALREADY_PAID',
  'NOTHING_TO_BILL',
  'SLURM_UNAVAILABLE',
  /** Another sync is running (the interval's, an admin's, or another replica's); ask again when it has finished. */
  'SYNC_BUSY',
  'INVALID_CREDENTIALS',
  'LOCKED',
  /** A cross-site request, or one without the CSRF token. */
  'CSRF',
  /** Masked: something unexpected, logged on the server. */
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** HTTP status of each code on the plain routes (and of a GraphQL response whose only error it is). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_INPUT: 400,
  NOT_FOUND: 404,
  TOO_COMPLEX: 413,
  TIMEOUT: 503,
  LIMIT_REACHED: 409,
  RETRY_LATER: 503,
  ALREADY_BILLED: 409,
  ALREADY_PAID: 409,
  NOTHING_TO_BILL: 409,
  SLURM_UNAVAILABLE: 502,
  SYNC_BUSY: 409,
  INVALID_CREDENTIALS: 401,
  LOCKED: 429,
  CSRF: 403,
  INTERNAL: 500,
};

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra machine-readable facts for the client (e.g. `retryAfterSeconds`, `limit`). */
    readonly details: Record<string, string | number | boolean> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DomainError';
  }

  /** graphql-js copies an original error's `extensions` onto the GraphQLError it wraps it in. */
  get extensions() {
    return { ...this.details, code: this.code };
  }
}

export const badInput = (message: string, details?: DomainError['details']) => new DomainError('BAD_INPUT', message, details);
export const notFound = (message: string) => new DomainError('NOT_FOUND', message);
