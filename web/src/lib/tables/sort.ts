/**
 * A table's order and page size, kept in the URL query so that a link (or a reload) shows the same view:
 * `<prefix>sort`, `<prefix>dir` and `<prefix>size`. A page with two tables gives each its own prefix.
 */
export type Direction = 'asc' | 'desc';

export interface Sort<Field extends string> {
  by: Field;
  dir: Direction;
}

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

export function readSort<Field extends string>(
  params: URLSearchParams,
  prefix: string,
  fields: readonly Field[],
  fallback: Sort<Field>,
): Sort<Field> {
  const by = params.get(`${prefix}sort`);
  const dir = params.get(`${prefix}dir`);
  if (!by || !(fields as readonly string[]).includes(by)) return fallback;
  return { by: by as Field, dir: dir === 'asc' || dir === 'desc' ? dir : fallback.dir };
}

export function readPageSize(params: URLSearchParams, prefix: string, fallback: PageSize): PageSize {
  const size = Number(params.get(`${prefix}size`));
  return (PAGE_SIZES as readonly number[]).includes(size) ? (size as PageSize) : fallback;
}

function hrefWith(url: URL, changes: Record<string, string | null>): string {
  const next = new URLSearchParams(url.searchParams);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) next.delete(name);
    else next.set(name, value);
  }
  const query = next.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}

/**
 * The link a column header leads to: the other direction when the table is already ordered by it, else its own
 * first direction (`first`, descending for numbers and dates). The default order leaves the URL clean.
 */
export function sortHref<Field extends string>(url: URL, prefix: string, field: Field, current: Sort<Field>, fallback: Sort<Field>, first: Direction): string {
  const dir: Direction = current.by === field ? (current.dir === 'asc' ? 'desc' : 'asc') : first;
  const isDefault = field === fallback.by && dir === fallback.dir;
  // Another order starts again at its first page.
  return hrefWith(url, { [`${prefix}sort`]: isDefault ? null : field, [`${prefix}dir`]: isDefault ? null : dir, [`${prefix}page`]: null });
}

export function pageSizeHref(url: URL, prefix: string, size: PageSize, fallback: PageSize): string {
  return hrefWith(url, { [`${prefix}size`]: size === fallback ? null : String(size), [`${prefix}page`]: null });
}

/** The page number of a list paged by number (`<prefix>page`, from 1). */
export function readPage(params: URLSearchParams, prefix: string): number {
  const page = Number(params.get(`${prefix}page`));
  return Number.isInteger(page) && page > 1 ? page : 1;
}

export function pageHref(url: URL, prefix: string, page: number): string {
  return hrefWith(url, { [`${prefix}page`]: page > 1 ? String(page) : null });
}

/** The `aria-sort` of a column header: only the column the table is ordered by has one. */
export function ariaSort<Field extends string>(current: Sort<Field>, field: Field): 'ascending' | 'descending' | undefined {
  if (current.by !== field) return undefined;
  return current.dir === 'asc' ? 'ascending' : 'descending';
}

/** The GraphQL order of a sort (`{ by, direction }`). */
export const orderOf = <Field extends string>(sort: Sort<Field>) => ({ by: sort.by, direction: sort.dir === 'asc' ? ('ASC' as const) : ('DESC' as const) });

/**
 * Rows ordered on the client, for a list the page already holds whole: numbers as numbers (decimal strings
 * exactly enough for money), text by the locale, missing values last either way; ties keep the given order.
 */
export function sortRows<Row>(rows: readonly Row[], value: (row: Row) => string | number | null | undefined, dir: Direction, locale?: string): Row[] {
  const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
  const sign = dir === 'asc' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, v: value(row) }))
    .sort((a, b) => {
      const missingA = a.v === null || a.v === undefined || a.v === '';
      const missingB = b.v === null || b.v === undefined || b.v === '';
      if (missingA || missingB) return missingA === missingB ? a.index - b.index : missingA ? 1 : -1;
      const d = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : collator.compare(String(a.v), String(b.v));
      return d === 0 ? a.index - b.index : sign * d;
    })
    .map((x) => x.row);
}
