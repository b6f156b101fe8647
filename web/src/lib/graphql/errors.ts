import type { CombinedError } from '@urql/core';

/** A translation key (in the `errors.` namespace) and its values, ready for `$_(key, { values })`. */
export interface ErrorMessage {
  key: string;
  values?: Record<string, string | number>;
}

/**
 * The one place where a stable error code becomes a message: GraphQL `extensions.code`s and the codes that
 * POST /auth/login answers with. Unknown codes (and masked server errors) read as "something went wrong".
 */
const MESSAGE_KEYS: Record<string, string> = {
  UNAUTHENTICATED: 'errors.unauthenticated',
  FORBIDDEN: 'errors.forbidden',
  BAD_INPUT: 'errors.bad_input',
  NOT_FOUND: 'errors.not_found',
  ALREADY_BILLED: 'errors.already_billed',
  ALREADY_PAID: 'errors.already_paid',
  NOTHING_TO_BILL: 'errors.nothing_to_bill',
  SLURM_UNAVAILABLE: 'errors.slurm_unavailable',
  INVALID_CREDENTIALS: 'errors.invalid_credentials',
  CSRF: 'errors.csrf',
  NETWORK: 'errors.network',
};

export function messageForCode(code: string | null | undefined, details: { retryAfterSeconds?: number | null } = {}): ErrorMessage {
  if (code === 'LOCKED') {
    const seconds = details.retryAfterSeconds;
    return seconds && seconds > 0
      ? { key: 'errors.locked', values: { minutes: Math.max(1, Math.ceil(seconds / 60)) } }
      : { key: 'errors.locked_later' };
  }
  return { key: MESSAGE_KEYS[code ?? ''] ?? 'errors.unexpected' };
}

/** The first stable code in an urql error; `NETWORK` when the server could not be reached. */
export function errorCode(error: CombinedError): string {
  for (const graphQLError of error.graphQLErrors) {
    const code = graphQLError.extensions?.code;
    if (typeof code === 'string') return code;
    // yoga's CSRF prevention answers 403 with a plain message and no code
    if (/csrf/i.test(graphQLError.message)) return 'CSRF';
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
