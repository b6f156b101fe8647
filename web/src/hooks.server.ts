import type { Handle } from '@sveltejs/kit';
import { LOCALE_COOKIE, LOCALES, resolveLocale, type Locale } from '$lib/i18n';
import { LOCALE_SET_PATH, localeSetCookie } from '$lib/server/locale';
import { resolveViewer } from '$lib/server/viewer';

const CSRF_COOKIE = 'csrf';

export const handle: Handle = async ({ event, resolve }) => {
  // The language switch links to ?lang=th: remember it and come back to the same page without it.
  // /i18n/set reads its own `lang` (and answers 400 to an unknown one).
  const requested = event.url.searchParams.get('lang');
  if (
    requested &&
    event.request.method === 'GET' &&
    // A preload on hover asks for the page's data with the same query: only following the link switches.
    !event.isDataRequest &&
    event.url.pathname !== LOCALE_SET_PATH &&
    (LOCALES as readonly string[]).includes(requested)
  ) {
    const target = new URL(event.url);
    target.searchParams.delete('lang');
    const location = `/${target.pathname.replace(/^\/+/, '')}${target.search}`;
    return new Response(null, {
      status: 303,
      headers: { location, 'set-cookie': localeSetCookie(requested as Locale) },
    });
  }

  event.locals.viewer = await resolveViewer(event);
  // The API server sets the `csrf` cookie and hands its token over on the Node request; in `vite dev` (no API
  // server in front) the proxied cookie is all there is.
  event.locals.csrfToken = event.platform?.req?.csrfToken ?? event.cookies.get(CSRF_COOKIE) ?? null;
  event.locals.locale = resolveLocale(event.cookies.get(LOCALE_COOKIE));
  const lang = event.locals.locale;
  return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', lang) });
};
