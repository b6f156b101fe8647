import { error } from '@sveltejs/kit';
import { csvResponse, statusOf } from '$lib/server/csv';
import { loadStaffSeries } from '$lib/server/series';
import { seriesCsv, topUsersCsv } from '$lib/series/csv';
import { isStaff } from '$lib/viewer';
import type { RequestHandler } from './$types';

/**
 * GET /admin/usage/series.csv?…: the grouped series of /admin/usage as CSV, or with kind=top its top users; the
 * same parameters as the page. Staff only, as the page is (layouts do not guard endpoints).
 */
export const GET: RequestHandler = async (event) => {
  const viewer = event.locals.viewer;
  if (!viewer) error(401, 'Log in first');
  if (!isStaff(viewer)) error(403, "Only staff export everyone's usage");
  const loaded = await loadStaffSeries(event);
  if (loaded.code || !loaded.window) error(statusOf(loaded.code ?? 'INTERNAL'), `The series could not be read (${loaded.code})`);
  const { buckets } = loaded.window;
  const span = buckets.length ? `-${buckets[0].date}-${buckets.at(-1)!.date}` : '';
  if (event.url.searchParams.get('kind') === 'top') {
    return csvResponse(topUsersCsv(loaded.top), `top-users-${loaded.view.measure}${span}.csv`);
  }
  return csvResponse(seriesCsv(loaded.rows, buckets, loaded.view.group), `usage-by-${loaded.view.group}${span}.csv`);
};
