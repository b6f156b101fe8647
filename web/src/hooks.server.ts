import type { Handle } from '@sveltejs/kit';
import { LOCALE_COOKIE, LOCALES, resolveLocale } from '$lib/i18n';
import { resolveViewer } from '$lib/server/viewer';

const YEAR = 60 * 60 * 24 * 365;

export const handle: Handle = async ({ event, resolve }) => {
  // The language switch links to ?lang=th: remember it and come back to the same page without it.
  const requested = event.url.searchParams.get('lang');
  if (requested && event.request.method === 'GET' && (LOCALES as readonly string[]).includes(requested)) {
    const target = new URL(event.url);
    target.searchParams.delete('lang');
    const location = `/${target.pathname.replace(/^\/+/, '')}${target.search}`;
    return new Response(null, {
      status: 303,
      headers: { location, 'set-cookie': `${LOCALE_COOKIE}=${requested}; Path=/; Max-Age=${YEAR}; SameSite=Lax` },
    });
  }

  event.locals.viewer = await resolveViewer(event);
  event.locals.locale = resolveLocale(event.cookies.get(LOCALE_COOKIE));
  const lang = event.locals.locale;
  return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', lang) });
};
