import { error } from '@sveltejs/kit';
import { LOCALES, type Locale } from '$lib/i18n';
import { localeRedirectTarget, localeSetCookie } from '$lib/server/locale';
import type { RequestHandler } from './$types';

/** The original app's language switch: `/i18n/set?lang=th&next=/me` remembers the language and goes back. */
export const GET: RequestHandler = ({ url, request }) => {
  const lang = url.searchParams.get('lang') ?? '';
  if (!(LOCALES as readonly string[]).includes(lang)) {
    error(400, `Unknown language "${lang.slice(0, 20)}": use ${LOCALES.map((value) => `lang=${value}`).join(' or ')}`);
  }
  return new Response(null, {
    status: 303,
    headers: {
      location: localeRedirectTarget(url, request.headers.get('referer')),
      'set-cookie': localeSetCookie(lang as Locale),
      'cache-control': 'no-store',
    },
  });
};
