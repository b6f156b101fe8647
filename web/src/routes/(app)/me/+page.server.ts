import { redirect } from '@sveltejs/kit';
import { isStaff } from '$lib/viewer';
import type { PageServerLoad } from './$types';

/** Staff keep their own usage in the admin area, beside everyone else's. */
export const load: PageServerLoad = ({ locals, url }) => {
  if (!locals.viewer) redirect(303, '/login');
  if (isStaff(locals.viewer)) redirect(303, `/admin/my-usage${url.search}`);
};
