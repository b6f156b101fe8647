import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

/** Everything under (app) needs a signed-in viewer; there is no `next` parameter to come back to. */
export const load: LayoutServerLoad = ({ locals }) => {
  if (!locals.viewer) redirect(303, '/login');
  return { viewer: locals.viewer };
};
