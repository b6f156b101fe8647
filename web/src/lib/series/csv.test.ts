import { describe, expect, it } from 'vitest';
import type { SeriesRow } from '$lib/graphql/series';
import { neutralize, seriesCsv, topUsersCsv, toCsv } from './csv';

const row = (time: string, account: string | null, cost: string): SeriesRow => ({
  time,
  user: null,
  account,
  partition: null,
  tier: null,
  cluster: null,
  jobs: 3,
  cpuHours: 1.5,
  gpuHours: 0.25,
  memGBHours: 12,
  elapsedHours: 2,
  cost,
  cpuCost: '1.00',
  gpuCost: '2.00',
  memCost: (Number(cost) - 3).toFixed(2),
  costValue: Number(cost),
  cpuCostValue: 1,
  gpuCostValue: 2,
  memCostValue: Number(cost) - 3,
});

describe('series CSV', () => {
  const buckets = [{ time: '2026-11-30T17:00:00.000Z', date: '2026-12-01' }];

  it('starts with a BOM, ends lines with CRLF and keeps exact money', () => {
    const csv = seriesCsv([row(buckets[0].time, null, '12.34'), row('2026-11-29T17:00:00.000Z', null, '1.00')], buckets, null);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toEqual([
      'bucket start (UTC),date,jobs,CPU-hours,GPU-hours,memory GB-hours,elapsed hours,CPU cost (THB),GPU cost (THB),memory cost (THB),cost (THB)',
      '2026-11-30T17:00:00.000Z,2026-12-01,3,1.5000,0.2500,12.0000,2.0000,1.00,2.00,9.34,12.34',
      '',
    ]);
  });

  it('has the grouping column, with names a spreadsheet would run made inert', () => {
    const csv = seriesCsv([row(buckets[0].time, '=HYPERLINK("x")', '3.00'), row(buckets[0].time, null, '4.00')], buckets, 'account');
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toMatch(/^bucket start \(UTC\),date,account,jobs,/);
    expect(lines[1]).toMatch(/^2026-11-30T17:00:00\.000Z,2026-12-01,"'=HYPERLINK\(""x""\)",3,/);
    expect(lines[2]).toMatch(/^2026-11-30T17:00:00\.000Z,2026-12-01,,3,/);
  });

  it('writes top users in rank order', () => {
    const csv = topUsersCsv([
      { user: 'alice', totals: { jobs: 4, cpuHours: 10, gpuHours: 2, cost: '100.50' } },
      { user: 'บุญมี', totals: { jobs: 1, cpuHours: 1, gpuHours: 0, cost: '1.00' } },
    ]);
    expect(csv.slice(1).split('\r\n').slice(0, 3)).toEqual([
      'rank,user,jobs,CPU-hours,GPU-hours,cost (THB)',
      '1,alice,4,10.0000,2.0000,100.50',
      '2,บุญมี,1,1.0000,0.0000,1.00',
    ]);
  });

  it('quotes what needs it and shows control characters instead of acting on them', () => {
    expect(toCsv(['a'], [['x,y'], ['line\nbreak'], ['  @sum']])).toBe('\uFEFFa\r\n"x,y"\r\nline\\u000Abreak\r\n\'  @sum\r\n');
    expect(neutralize('-1')).toBe("'-1");
  });
});
