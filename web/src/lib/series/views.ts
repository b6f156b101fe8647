import type { SeriesFilter } from '$lib/graphql/generated/graphql';
import type { SeriesRow, TopUser } from '$lib/graphql/series';
import { MEASURES, type Measure, type SeriesGroupField } from './shape';
import type { SelectedWindow, WindowChoice } from './window';

/** A page's series as its server load hands it over (and the CSV endpoints write it out). */
export interface LoadedSeries {
  choice: WindowChoice;
  /** The URL asked for a custom window that could not be read; the default is shown instead. */
  invalid: boolean;
  window: SelectedWindow | null;
  /** Rows of the shown buckets only. */
  rows: SeriesRow[];
  /** The error code when the series could not be read. */
  code: string | null;
}

/** The staff chart's groupings; `cluster` only where more than one is configured (`LoadedStaffSeries.clusters`). */
export const STAFF_GROUPS: readonly SeriesGroupField[] = ['account', 'tier', 'partition', 'cluster'];

export interface StaffView {
  group: SeriesGroupField;
  measure: Measure;
  filter: SeriesFilter;
}

export interface LoadedStaffSeries extends LoadedSeries {
  view: StaffView;
  top: TopUser[];
  /** The configured clusters' names. */
  clusters: string[];
}

/** The staff chart's grouping and measure (?chartGroup, ?measure) and the usage page's own filter fields. */
export function staffView(params: URLSearchParams): StaffView {
  const group = params.get('chartGroup');
  const measure = params.get('measure');
  const text = (name: string) => params.get(name)?.trim() || undefined;
  const billed = params.get('billed');
  return {
    group: (STAFF_GROUPS as readonly string[]).includes(group ?? '') ? (group as SeriesGroupField) : 'account',
    measure: (MEASURES as readonly string[]).includes(measure ?? '') ? (measure as Measure) : 'cost',
    filter: {
      user: text('user'),
      account: text('account'),
      partition: text('partition'),
      cluster: text('cluster'),
      billed: billed === 'true' ? true : billed === 'false' ? false : undefined,
    },
  };
}
