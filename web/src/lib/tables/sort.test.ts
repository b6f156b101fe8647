import { describe, expect, it } from 'vitest';
import { ariaSort, pageHref, pageSizeHref, readPage, readPageSize, readSort, sortHref, sortRows } from './sort';

const FIELDS = ['id', 'user', 'total'] as const;
const FALLBACK = { by: 'id', dir: 'desc' } as const;

describe('table order in the URL', () => {
  it('reads a known column and direction, and falls back on anything else', () => {
    expect(readSort(new URLSearchParams('sort=user&dir=asc'), '', FIELDS, FALLBACK)).toEqual({ by: 'user', dir: 'asc' });
    expect(readSort(new URLSearchParams('paid_sort=total'), 'paid_', FIELDS, FALLBACK)).toEqual({ by: 'total', dir: 'desc' });
    expect(readSort(new URLSearchParams('sort=secret&dir=asc'), '', FIELDS, FALLBACK)).toEqual(FALLBACK);
    expect(readSort(new URLSearchParams('sort=user&dir=sideways'), '', FIELDS, FALLBACK)).toEqual({ by: 'user', dir: 'desc' });
  });

  it('links a header to its first direction, then the other one; the default order leaves the URL clean', () => {
    const url = new URL('http://x/admin/billing?user=alice');
    expect(sortHref(url, '', 'user', FALLBACK, FALLBACK, 'asc')).toBe('/admin/billing?user=alice&sort=user&dir=asc');
    const byUser = new URL('http://x/admin/billing?user=alice&sort=user&dir=asc&page=2');
    expect(sortHref(byUser, '', 'user', { by: 'user', dir: 'asc' }, FALLBACK, 'asc')).toBe('/admin/billing?user=alice&sort=user&dir=desc');
    expect(sortHref(byUser, '', 'id', { by: 'user', dir: 'asc' }, FALLBACK, 'desc')).toBe('/admin/billing?user=alice');
  });

  it('reads and links page sizes of the list only', () => {
    expect(readPageSize(new URLSearchParams('size=200'), '', 50)).toBe(200);
    expect(readPageSize(new URLSearchParams('size=7'), '', 50)).toBe(50);
    expect(pageSizeHref(new URL('http://x/receipts?size=200'), '', 50, 50)).toBe('/receipts');
    expect(pageSizeHref(new URL('http://x/receipts?page=3'), '', 25, 50)).toBe('/receipts?size=25');
    expect(readPage(new URLSearchParams('paid_page=3'), 'paid_')).toBe(3);
    expect(readPage(new URLSearchParams('page=-2'), '')).toBe(1);
    expect(pageHref(new URL('http://x/receipts?page=3&size=25'), '', 1)).toBe('/receipts?size=25');
  });

  it('marks only the ordered column with aria-sort', () => {
    expect(ariaSort({ by: 'user', dir: 'asc' }, 'user')).toBe('ascending');
    expect(ariaSort({ by: 'user', dir: 'desc' }, 'user')).toBe('descending');
    expect(ariaSort({ by: 'user', dir: 'desc' }, 'id')).toBeUndefined();
  });
});

describe('sortRows', () => {
  const rows = [
    { name: 'b10', n: 2 },
    { name: 'b9', n: null },
    { name: 'a', n: 10 },
    { name: 'B2', n: 2 },
  ];
  it('orders numbers as numbers, text naturally, missing values last, ties in the given order', () => {
    expect(sortRows(rows, (r) => r.n, 'asc').map((r) => r.name)).toEqual(['b10', 'B2', 'a', 'b9']);
    expect(sortRows(rows, (r) => r.n, 'desc').map((r) => r.name)).toEqual(['a', 'b10', 'B2', 'b9']);
    expect(sortRows(rows, (r) => r.name, 'asc').map((r) => r.name)).toEqual(['a', 'B2', 'b9', 'b10']);
  });
});

describe('sortBuckets', () => {
  const bucket = (user: string, jobs: number, cost: string) =>
    ({ user, month: null, account: null, partition: null, tier: null, totals: { jobs, cpuHours: 0, gpuHours: 0, memGBHours: 0, elapsedHours: 0, cost } }) as never;
  const rows = [bucket('bob', 3, '9.90'), bucket('alice', 1, '10.10'), bucket('carol', 2, '1200.00')];
  it('orders by cost as an amount, by a count, or by the group value', async () => {
    const { sortBuckets } = await import('./buckets');
    const users = (b: { user: string | null }[]) => b.map((x) => x.user);
    expect(users(sortBuckets(rows, 'user', 'cost', 'desc'))).toEqual(['carol', 'alice', 'bob']);
    expect(users(sortBuckets(rows, 'user', 'jobs', 'asc'))).toEqual(['alice', 'carol', 'bob']);
    expect(users(sortBuckets(rows, 'user', 'group', 'asc'))).toEqual(['alice', 'bob', 'carol']);
  });
});
