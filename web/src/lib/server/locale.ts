// Relative, not $lib: the web unit tests run without SvelteKit's aliases.
import { LOCALE_COOKIE, type Locale } from '../i18n';

const YEAR = 60 * 60 * 24 * 365;

/** The path of the original app's language-switch URL, `/i18n/set?lang=th&next=/me`. */
export const LOCALE_SET_PATH = '/i18n/set';

/**
 * The cookie chooseLocale() writes in the browser, with the same attributes. Not HttpOnly: a script cannot
 * replace an HttpOnly cookie, so the in-place switch would stop working after one server-side choice.
 */
export function localeSetCookie(value: Locale): string {
  return `${LOCALE_COOKIE}=${value}; Path=/; Max-Age=${YEAR}; SameSite=Lax`;
}

/**
 * Where `/i18n/set` sends the browser: `next` (or `redirect`) when it is a path on this site, else the Referer when
 * it names this host, else `/`. The answer is always a path that starts with exactly one `/`, so it can never
 * become a protocol-relative `//other.example`. A `lang` parameter is dropped from it: the hook would otherwise
 * switch the language back on arrival.
 */
export function localeRedirectTarget(url: URL, referer: string | null): string {
  const asked = url.searchParams.get('next') ?? url.searchParams.get('redirect');
  return sitePath(asked, url, false) ?? sitePath(referer, url, true) ?? '/';
}

function sitePath(candidate: string | null, base: URL, absolute: boolean): string | null {
  if (!candidate) return null;
  // The URL parser drops tabs and newlines and reads `\` as `/`, so `/\t/evil` would become `//evil`: refuse
  // anything of the kind before parsing instead of trusting what it makes of them.
  if (/[\u0000-\u0020\u007f\\]/.test(candidate)) return null;
  if (!absolute && (!candidate.startsWith('/') || candidate.startsWith('//'))) return null;
  let target: URL;
  try {
    target = absolute ? new URL(candidate) : new URL(candidate, base);
  } catch {
    return null;
  }
  // Same host as the request, the way the API's own origin check compares (a TLS proxy in front may change
  // the scheme the app sees).
  if (target.host !== base.host || (target.protocol !== 'http:' && target.protocol !== 'https:')) return null;
  if (target.pathname.startsWith('//') || target.pathname === LOCALE_SET_PATH) return null;
  target.searchParams.delete('lang');
  return `${target.pathname}${target.search}${target.hash}`;
}
