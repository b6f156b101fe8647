import { error } from '@sveltejs/kit';
import { csvResponse, statusOf } from '$lib/server/csv';
import { loadOwnSeries } from '$lib/server/series';
import { seriesCsv } from '$lib/series/csv';
import type { RequestHandler } from './$types';

/**
 * GET /me/series.csv?range=…: the series the charts of /me (and /admin/my-usage) show, as CSV. Always the viewer's
 * own: naming anyone else is refused rather than answered with the viewer's rows under someone else's name.
 */
export const GET: RequestHandler = async (event) => {
  const viewer = event.locals.viewer;
  if (!viewer) error(401, 'Log in first');
  const user = event.url.searchParams.get('user');
  if (user !== null && user !== viewer.username) error(403, 'You can only export your own usage');
  const loaded = await loadOwnSeries(event, viewer.username);
  if (loaded.code || !loaded.window) error(statusOf(loaded.code ?? 'INTERNAL'), `The series could not be read (${loaded.code})`);
  const { buckets } = loaded.window;
  const span = buckets.length ? `-${buckets[0].date}-${buckets.at(-1)!.date}` : '';
  return csvResponse(seriesCsv(loaded.rows, buckets, null), `usage-${viewer.username}${span}.csv`);
};
