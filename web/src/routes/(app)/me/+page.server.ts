import { redirect } from '@sveltejs/kit';
import { loadOwnSeries } from '$lib/server/series';
import { isStaff } from '$lib/viewer';
import type { PageServerLoad } from './$types';

/** Staff keep their own usage in the admin area, beside everyone else's. */
export const load: PageServerLoad = async (event) => {
  const { locals, url } = event;
  if (!locals.viewer) redirect(303, '/login');
  if (isStaff(locals.viewer)) redirect(303, `/admin/my-usage${url.search}`);
  // Read here, not in the browser, so the first render already holds the charts.
  return { charts: await loadOwnSeries(event, locals.viewer.username) };
};
