import { error } from '@sveltejs/kit';
import { csvResponse, statusOf } from '$lib/server/csv';
import { loadAccountSeries } from '$lib/server/series';
import { seriesCsv } from '$lib/series/csv';
import type { RequestHandler } from './$types';

/** GET /accounts/<name>/series.csv?range=…: the account page's series as CSV; the API decides who may read it. */
export const GET: RequestHandler = async (event) => {
  if (!event.locals.viewer) error(401, 'Log in first');
  const loaded = await loadAccountSeries(event, event.params.name);
  if (loaded.code || !loaded.window) error(statusOf(loaded.code ?? 'INTERNAL'), `The series could not be read (${loaded.code})`);
  const { buckets } = loaded.window;
  const span = buckets.length ? `-${buckets[0].date}-${buckets.at(-1)!.date}` : '';
  return csvResponse(seriesCsv(loaded.rows, buckets, null), `usage-${event.params.name}${span}.csv`);
};
