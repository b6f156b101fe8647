import { redirect } from '@sveltejs/kit';
import { loadStaffSeries } from '$lib/server/series';
import { isStaff } from '$lib/viewer';
import type { PageServerLoad } from './$types';

/** The usage-over-time chart and top users, read on the server so the first render has them. */
export const load: PageServerLoad = async (event) => {
  // The admin layout redirects too, but its load runs beside this one: do not query before knowing.
  if (!event.locals.viewer || !isStaff(event.locals.viewer)) redirect(303, '/login');
  return { charts: await loadStaffSeries(event) };
};
