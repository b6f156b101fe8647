import type { Handle } from '@sveltejs/kit';
import { LOCALE_COOKIE, resolveLocale } from '$lib/i18n';
import { resolveViewer } from '$lib/server/viewer';

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.viewer = await resolveViewer(event);
  event.locals.locale = resolveLocale(event.cookies.get(LOCALE_COOKIE));
  const lang = event.locals.locale;
  return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', lang) });
};
