import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import en from '../i18n/locales/en.json';
import th from '../i18n/locales/th.json';
import { authFailureCode, describeError, errorCode, messageForCode } from './errors';
import { ErrorCode } from './generated/enums';

const LOCALES: Record<string, Record<string, string>> = { en, th };

describe('messageForCode', () => {
  it.each(Object.values(ErrorCode))('translates %s in every locale', (code) => {
    const { key } = messageForCode(code);
    expect(key).toMatch(/^errors\.[a-z_]+$/);
    for (const [name, messages] of Object.entries(LOCALES)) expect(messages[key], `${name}: ${key}`).toBeTypeOf('string');
  });

  it('gives only the server-side failures the generic message', () => {
    const generic = Object.values(ErrorCode).filter((code) => messageForCode(code).key === 'errors.unexpected');
    expect(generic).toEqual(['INTERNAL']);
  });

  it('says how long a lock lasts when the server does', () => {
    expect(messageForCode('LOCKED', { retryAfterSeconds: 61 })).toEqual({ key: 'errors.locked', values: { minutes: 2 } });
    expect(messageForCode('LOCKED', { retryAfterSeconds: 0 })).toEqual({ key: 'errors.locked_later' });
    for (const messages of Object.values(LOCALES)) expect(messages['errors.locked']).toContain('{minutes');
  });

  it('translates the client-side NETWORK and reads unknown codes as unexpected', () => {
    expect(messageForCode('NETWORK')).toEqual({ key: 'errors.network' });
    for (const messages of Object.values(LOCALES)) expect(messages['errors.network']).toBeTypeOf('string');
    expect(messageForCode('SOMETHING_NEW')).toEqual({ key: 'errors.unexpected' });
    expect(messageForCode('toString')).toEqual({ key: 'errors.unexpected' });
    expect(messageForCode(null)).toEqual({ key: 'errors.unexpected' });
  });
});

describe('errorCode', () => {
  const graphQLError = (message: string, code?: string) =>
    new GraphQLError(message, { extensions: code ? { code } : {} });

  it('takes the first extensions.code', () => {
    const error = new CombinedError({ graphQLErrors: [graphQLError('nope'), graphQLError('cross-site', 'CSRF')] });
    expect(errorCode(error)).toBe('CSRF');
    expect(describeError(error)).toEqual({ key: 'errors.csrf' });
  });

  it('reads the code, never the message', () => {
    expect(errorCode(new CombinedError({ graphQLErrors: [graphQLError('CSRF token missing')] }))).toBe('INTERNAL');
  });

  it('is NETWORK when the server could not be reached', () => {
    expect(errorCode(new CombinedError({ networkError: new TypeError('fetch failed') }))).toBe('NETWORK');
  });
});

describe('authFailureCode', () => {
  it('takes the code of the JSON answer, with its details', () => {
    expect(authFailureCode(429, { ok: false, code: 'LOCKED', message: 'locked', retryAfterSeconds: 30 })).toEqual({
      code: 'LOCKED',
      retryAfterSeconds: 30,
    });
  });
  it('falls back on the status when the body is not ours', () => {
    expect(authFailureCode(403, 'Forbidden')).toEqual({ code: 'CSRF' });
    expect(authFailureCode(502, null)).toEqual({ code: 'INTERNAL' });
  });
});
