import { describe, expect, it } from 'vitest';
import type { SeriesRow } from '$lib/graphql/series';
import { byGroup, costByResource, hoursOf, isEmpty, NONE, OTHER, OTHER_FILL, stackSegments } from './shape';
import type { BucketSlot } from './window';

const buckets: BucketSlot[] = [
  { time: '2026-11-29T17:00:00.000Z', date: '2026-11-30' },
  { time: '2026-11-30T17:00:00.000Z', date: '2026-12-01' },
];

function row(time: string, fields: Partial<SeriesRow> = {}): SeriesRow {
  const cpuCost = fields.cpuCost ?? '0.00';
  const gpuCost = fields.gpuCost ?? '0.00';
  const memCost = fields.memCost ?? '0.00';
  return {
    time,
    user: null,
    account: null,
    partition: null,
    tier: null,
    cluster: null,
    jobs: 0,
    cpuHours: 0,
    gpuHours: 0,
    memGBHours: 0,
    elapsedHours: 0,
    cost: '0.00',
    cpuCost,
    gpuCost,
    memCost,
    costValue: Number(fields.cost ?? 0),
    cpuCostValue: Number(cpuCost),
    gpuCostValue: Number(gpuCost),
    memCostValue: Number(memCost),
    ...fields,
  };
}

describe('costByResource', () => {
  it('stacks the CPU, GPU and memory shares per bucket, with exact totals', () => {
    const rows = [
      row(buckets[0].time, { jobs: 2, cost: '10.30', cpuCost: '0.10', gpuCost: '10.00', memCost: '0.20' }),
      row(buckets[1].time, { jobs: 1, cost: '0.30', cpuCost: '0.10', gpuCost: '0.00', memCost: '0.20' }),
      // A row outside the window (the margin of the request) is left out.
      row('2026-11-28T17:00:00.000Z', { cost: '99.00', cpuCost: '99.00' }),
    ];
    const data = costByResource(rows, buckets);
    expect(data.series.map((s) => s.key)).toEqual(['cpu', 'gpu', 'mem']);
    expect(data.values).toEqual([
      [0.1, 0.1],
      [10, 0],
      [0.2, 0.2],
    ]);
    expect(data.text).toEqual([
      ['0.10', '0.10'],
      ['10.00', '0.00'],
      ['0.20', '0.20'],
    ]);
    expect(data.totals.map((t) => t.text)).toEqual(['10.30', '0.30']);
    // Floats would say 10.600000000000001.
    expect(data.total.text).toBe('10.60');
    expect(data.money).toBe(true);
    expect(isEmpty(data)).toBe(false);
  });

  it('is empty when every bucket is zero', () => {
    expect(isEmpty(costByResource(buckets.map((b) => row(b.time)), buckets))).toBe(true);
    expect(isEmpty(costByResource([], []))).toBe(true);
  });
});

describe('hoursOf', () => {
  it('is one series of hours, GPU-hours in the GPU share’s fill', () => {
    const rows = [row(buckets[0].time, { cpuHours: 1.23456, gpuHours: 2 }), row(buckets[1].time, { cpuHours: 0, gpuHours: 0.5 })];
    expect(hoursOf(rows, buckets, 'cpuHours')).toMatchObject({ values: [[1.23456, 0]], text: [['1.2346', '0.0000']], series: [{ key: 'cpuHours', fill: 0 }] });
    expect(hoursOf(rows, buckets, 'gpuHours')).toMatchObject({ values: [[2, 0.5]], total: { value: 2.5, text: '2.5000' }, series: [{ fill: 1 }] });
  });
});

describe('byGroup', () => {
  const accounts = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const rows = buckets.flatMap((b, i) =>
    accounts.map((account, k) => row(b.time, { account, cost: `${(7 - k) * (i + 1)}.00`, costValue: (7 - k) * (i + 1), gpuHours: k })),
  );

  it('names the top groups and folds the rest into one grey "other"', () => {
    const data = byGroup(rows, buckets, 'account', 'cost', 5);
    expect(data.series).toEqual([
      { key: 'a', fill: 0 },
      { key: 'b', fill: 1 },
      { key: 'c', fill: 2 },
      { key: 'd', fill: 3 },
      { key: 'e', fill: 4 },
      { key: OTHER, fill: OTHER_FILL },
    ]);
    // f and g: 2 + 1 in the first bucket, 4 + 2 in the second.
    expect(data.text.at(-1)).toEqual(['3.00', '6.00']);
    expect(data.totals.map((t) => t.text)).toEqual(['28.00', '56.00']);
  });

  it('never folds a single group into "other"', () => {
    const data = byGroup(rows.filter((r) => r.account !== 'g'), buckets, 'account', 'cost', 5);
    expect(data.series.map((s) => s.key)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('ranks by the measure asked for and leaves out groups with none of it', () => {
    const data = byGroup(rows, buckets, 'account', 'gpuHours', 3);
    // a has no GPU-hours at all; g has the most.
    expect(data.series.map((s) => s.key)).toEqual(['g', 'f', 'e', OTHER]);
    expect(data.money).toBe(false);
    expect(data.text[0]).toEqual(['6.0000', '6.0000']);
  });

  it('labels jobs without the grouping field', () => {
    const data = byGroup([row(buckets[0].time, { partition: null, cpuHours: 3 })], buckets, 'partition', 'cpuHours');
    expect(data.series).toEqual([{ key: NONE, fill: 0 }]);
  });
});

describe('stackSegments', () => {
  it('stacks each bucket’s series bottom to top and skips zeros', () => {
    expect(
      stackSegments([
        [1, 0],
        [2, 3],
      ]),
    ).toEqual([
      { series: 0, bucket: 0, y0: 0, y1: 1 },
      { series: 1, bucket: 0, y0: 1, y1: 3 },
      { series: 1, bucket: 1, y0: 0, y1: 3 },
    ]);
  });
});
