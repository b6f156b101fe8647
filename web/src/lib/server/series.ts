import type { RequestEvent } from '@sveltejs/kit';
import type { SeriesFilter, SeriesGroup, UsageMeasure } from '$lib/graphql/generated/graphql';
import { TopUsersQuery, UsageSeriesQuery } from '$lib/graphql/series';
import { ClustersQuery } from '$lib/graphql/sync';
import { staffView, type LoadedSeries, type LoadedStaffSeries } from '$lib/series/views';
import { parseWindow, selectBuckets, seriesRequest } from '$lib/series/window';
import { serverQuery } from './graphql';

async function loadSeries(event: RequestEvent, groupBy: SeriesGroup[], filter: SeriesFilter, now: Date): Promise<LoadedSeries> {
  const { choice, invalid } = parseWindow(event.url.searchParams);
  const request = seriesRequest(choice, now);
  const result = await serverQuery(event, UsageSeriesQuery, { ...request, groupBy, filter });
  if (!result.data) return { choice, invalid, window: null, rows: [], code: result.code };
  const { series, month } = result.data;
  const window = selectBuckets(
    series.map((r) => r.time),
    month[0].time,
    choice,
    request,
  );
  const shown = new Set(window.buckets.map((b) => b.time));
  return { choice, invalid, window, rows: series.filter((r) => shown.has(r.time)), code: null };
}

/** The viewer's own usage over the window of the URL (of one cluster, with ?cluster=): what /me (and staff's /admin/my-usage) chart. */
export function loadOwnSeries(event: RequestEvent, username: string, now = new Date()): Promise<LoadedSeries> {
  const cluster = event.url.searchParams.get('cluster')?.trim() || undefined;
  return loadSeries(event, [], { user: username, cluster }, now);
}

/** A Slurm account's usage over the window of the URL: what its page charts (its coordinators, PIs and staff). */
export function loadAccountSeries(event: RequestEvent, account: string, now = new Date()): Promise<LoadedSeries> {
  return loadSeries(event, [], { account }, now);
}

/** Everyone's usage grouped as the URL says, and the biggest users of the same window (staff only). */
export async function loadStaffSeries(event: RequestEvent, now = new Date()): Promise<LoadedStaffSeries> {
  const view = staffView(event.url.searchParams);
  const [loaded, known] = await Promise.all([loadSeries(event, [view.group], view.filter, now), serverQuery(event, ClustersQuery, {})]);
  const clusters = known.data?.clusters ?? [];
  const { start, end } = loaded.window ?? {};
  if (loaded.code || !start || !end || loaded.rows.length === 0) return { ...loaded, view, top: [], clusters };
  const top = await serverQuery(event, TopUsersQuery, {
    filter: { ...view.filter, endedAfter: start, endedBefore: end },
    by: view.measure as UsageMeasure,
    limit: 10,
  });
  return { ...loaded, view, top: top.data?.usage ?? [], code: top.code, clusters };
}
