import { redirect } from '@sveltejs/kit';
import { loginErrorFromQuery } from '$lib/graphql/errors';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.viewer) redirect(303, '/playground');
  // Set by the API when the form was posted without JavaScript (303 → /login?error=invalid).
  return { error: loginErrorFromQuery(url.searchParams.get('error'), url.searchParams.get('retry')) };
};
