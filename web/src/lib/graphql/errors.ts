import type { CombinedError } from '@urql/core';
import type { ErrorCode } from './generated/enums';

/** A translation key (most in the `errors.` namespace) and its values, ready for `$_(key, { values })`. */
export interface ErrorMessage {
  key: string;
  values?: Record<string, string | number>;
}

/** A code the client gives a failure itself, beside the server's ErrorCodes. */
type ClientErrorCode = 'NETWORK';

/**
 * The one place where a stable error code becomes a message: GraphQL `extensions.code`s and the `code` of the
 * plain routes' JSON errors. Keyed by the schema's ErrorCode, so a code the server adds fails `svelte-check`
 * until it has a message. Unknown codes read as "something went wrong".
 */
const MESSAGE_KEYS: Record<ErrorCode | ClientErrorCode, string> = {
  UNAUTHENTICATED: 'errors.unauthenticated',
  FORBIDDEN: 'errors.forbidden',
  BAD_INPUT: 'errors.bad_input',
  NOT_FOUND: 'errors.not_found',
  TOO_COMPLEX: 'errors.too_complex',
  TIMEOUT: 'errors.timeout',
  LIMIT_REACHED: 'errors.limit_reached',
  RETRY_LATER: 'errors.retry_later',
  ALREADY_BILLED: 'errors.already_billed',
  ALREADY_PAID: 'errors.already_paid',
  NOTHING_TO_BILL: 'errors.nothing_to_bill',
  SLURM_UNAVAILABLE: 'errors.slurm_unavailable',
  SYNC_BUSY: 'errors.sync_busy',
  INVALID_CREDENTIALS: 'errors.invalid_credentials',
  // when the server says how long the lock lasts, messageForCode answers errors.locked with the minutes
  LOCKED: 'errors.locked_later',
  CSRF: 'errors.csrf',
  INTERNAL: 'errors.unexpected',
  NETWORK: 'errors.network',
};

const hasMessage = (code: string): code is keyof typeof MESSAGE_KEYS => Object.hasOwn(MESSAGE_KEYS, code);

export function messageForCode(code: string | null | undefined, details: { retryAfterSeconds?: number | null } = {}): ErrorMessage {
  const seconds = details.retryAfterSeconds;
  if (code === 'LOCKED' && seconds && seconds > 0) {
    return { key: 'errors.locked', values: { minutes: Math.max(1, Math.ceil(seconds / 60)) } };
  }
  return { key: code && hasMessage(code) ? MESSAGE_KEYS[code] : 'errors.unexpected' };
}

/** The first stable code in an urql error; `NETWORK` when the server could not be reached. */
export function errorCode(error: CombinedError): string {
  for (const graphQLError of error.graphQLErrors) {
    const code = graphQLError.extensions?.code;
    if (typeof code === 'string') return code;
  }
  if (error.networkError) return 'NETWORK';
  return 'INTERNAL';
}

export function describeError(error: CombinedError): ErrorMessage {
  return messageForCode(errorCode(error));
}

/** The code of an answer from POST /auth/login or /auth/logout that was not a success. */
export function authFailureCode(status: number, body: unknown): { code: string; retryAfterSeconds?: number } {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as {
    code?: unknown;
    retryAfterSeconds?: unknown;
  };
  const retryAfterSeconds = typeof fields.retryAfterSeconds === 'number' ? fields.retryAfterSeconds : undefined;
  if (typeof fields.code === 'string') return { code: fields.code, retryAfterSeconds };
  if (status === 401) return { code: 'INVALID_CREDENTIALS' };
  if (status === 403) return { code: 'CSRF' };
  if (status === 429) return { code: 'LOCKED', retryAfterSeconds };
  return { code: 'INTERNAL' };
}

/** `/login?error=…` after a login form was posted without JavaScript. */
export function loginErrorFromQuery(error: string | null, retry: string | null): ErrorMessage | null {
  if (!error) return null;
  const code = { invalid: 'INVALID_CREDENTIALS', locked: 'LOCKED', csrf: 'CSRF' }[error] ?? error.toUpperCase();
  const retryAfterSeconds = retry && /^\d+$/.test(retry) ? Number(retry) : undefined;
  return messageForCode(code, { retryAfterSeconds });
}

/** The header that carries the `csrf` cookie's token on fetch posts to /auth/* (the form field is `csrf`). */
export const CSRF_TOKEN_HEADER = 'x-csrf-token';
