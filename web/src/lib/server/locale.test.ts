import { describe, expect, it } from 'vitest';
import { localeRedirectTarget, localeSetCookie } from './locale';

const at = (query: string) => new URL(`http://acct.example:8080/i18n/set?lang=th&${query}`);

describe('localeRedirectTarget', () => {
  it('follows `next` or `redirect` when it is a path on this site', () => {
    expect(localeRedirectTarget(at('next=/me'), null)).toBe('/me');
    expect(localeRedirectTarget(at('redirect=/admin/usage?view=detail%26user=alice'), null)).toBe('/admin/usage?view=detail&user=alice');
    expect(localeRedirectTarget(at(`next=${encodeURIComponent('/receipts/3#items')}`), null)).toBe('/receipts/3#items');
  });

  it('never leaves the site, however the path is disguised', () => {
    for (const next of [
      '//evil.example',
      '///evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      ' //evil.example',
      'https://evil.example',
      'HTTPS://evil.example/me',
      'javascript:alert(1)',
      'evil.example/me',
      '/.//evil.example',
      'http://acct.example:8080.evil.example/me',
    ]) {
      const target = localeRedirectTarget(at(`next=${encodeURIComponent(next)}`), null);
      expect(target, next).toBe('/');
      expect(new URL(target, 'http://acct.example:8080').host, next).toBe('acct.example:8080');
    }
  });

  it('falls back to a Referer of this host, then to /', () => {
    expect(localeRedirectTarget(at(''), 'http://acct.example:8080/receipts?page=2')).toBe('/receipts?page=2');
    expect(localeRedirectTarget(at('next=//evil.example'), 'http://acct.example:8080/playground')).toBe('/playground');
    // the scheme may differ behind a TLS proxy; the host may not
    expect(localeRedirectTarget(at(''), 'https://acct.example:8080/me')).toBe('/me');
    expect(localeRedirectTarget(at(''), 'http://evil.example/me')).toBe('/');
    expect(localeRedirectTarget(at(''), 'http://acct.example/me')).toBe('/');
    expect(localeRedirectTarget(at(''), '/me')).toBe('/');
    expect(localeRedirectTarget(at(''), 'not a url')).toBe('/');
    expect(localeRedirectTarget(at(''), null)).toBe('/');
  });

  it('drops `lang` from the target and never lands on /i18n/set again', () => {
    expect(localeRedirectTarget(at(`next=${encodeURIComponent('/me?lang=en&view=billed')}`), null)).toBe('/me?view=billed');
    expect(localeRedirectTarget(at(`next=${encodeURIComponent('/i18n/set?lang=en')}`), null)).toBe('/');
    expect(localeRedirectTarget(at(''), 'http://acct.example:8080/i18n/set?lang=en')).toBe('/');
  });
});

describe('localeSetCookie', () => {
  it('is the cookie the in-page switch writes: readable by scripts, for a year, on every path', () => {
    expect(localeSetCookie('th')).toBe('lang=th; Path=/; Max-Age=31536000; SameSite=Lax');
  });
});
