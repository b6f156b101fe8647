import { describe, expect, it } from 'vitest';
import { formatElapsed, formatTres, gpuCount, parseElapsed, parseTresString, tresFromList } from './tres.ts';

describe('parseTresString', () => {
  it('reads sacct TRES with memory units normalized to MiB', () => {
    expect(parseTresString('cpu=2,mem=512M,node=1,billing=2,gres/gpu=1,gres/gpu:a100=4')).toEqual({
      cpu: 2,
      mem: 512,
      node: 1,
      billing: 2,
      'gres/gpu': 1,
      'gres/gpu:a100': 4,
    });
  });

  it.each([
    ['mem=2048K', 2],
    ['mem=100M', 100],
    ['mem=1G', 1024],
    ['mem=125G', 128000],
    ['mem=1.50G', 1536],
    ['mem=2T', 2 * 1024 * 1024],
    ['mem=1P', 1024 ** 3],
    ['mem=4000', 4000],
  ])('%s → %d MiB', (text, mib) => {
    expect(parseTresString(text).mem).toBe(mib);
  });

  it('reads sacct --noconvert output exactly: MB with an M, counts bare, 0 without a unit', () => {
    expect(parseTresString('billing=64,cpu=64,gres/gpumem=81920M,mem=2621952M,node=2,bb/datawarp=4000M')).toEqual({
      billing: 64,
      cpu: 64,
      'gres/gpumem': 81920,
      mem: 2621952,
      node: 2,
      'bb/datawarp': 4000,
    });
    expect(parseTresString('cpu=2,mem=0,node=1')).toEqual({ cpu: 2, mem: 0, node: 1 });
  });

  it('still reads converted values, which are only as exact as their two decimals', () => {
    // sacct without --noconvert prints 2621952 MB (a multiple of 512) as 2.50T: 512 MiB short.
    expect(parseTresString('mem=2.50T').mem).toBe(2621440);
    expect(parseTresString('mem=62.50G').mem).toBe(64000);
  });

  it('scales fs/ and ic/ counts from a unit of one, as slurmctld prints them, and skips NONE (unlimited)', () => {
    expect(parseTresString('fs/disk=2K,ic/ofed=3,fs/lustre=1M')).toEqual({ 'fs/disk': 2048, 'ic/ofed': 3, 'fs/lustre': 1024 ** 2 });
    expect(parseTresString('cpu=1,license/matlab=NONE')).toEqual({ cpu: 1 });
  });

  it('returns an empty map for empty text and skips malformed parts', () => {
    expect(parseTresString('')).toEqual({});
    expect(parseTresString(null)).toEqual({});
    expect(parseTresString('cpu=4,junk,=3,energy=n/a,node=1')).toEqual({ cpu: 4, node: 1 });
  });
});

describe('tresFromList', () => {
  it('keys by type or type/name; counts are MB for mem; skips unset counts', () => {
    expect(
      tresFromList([
        { type: 'cpu', name: '', count: 16 },
        { type: 'mem', name: null, count: 128000 },
        { type: 'energy', name: '', count: -2 },
        { type: 'energy', name: null, count: null },
        { type: 'node', count: 1 },
        { type: 'gres', name: 'gpu', count: 4 },
        { type: 'gres', name: 'gpu:a100', count: 4 },
        { type: 'billing', name: '', count: { set: true, infinite: false, number: 48 } },
        { type: 'fs', name: 'disk', count: { set: false, infinite: false, number: 0 } },
      ]),
    ).toEqual({ cpu: 16, mem: 128000, node: 1, 'gres/gpu': 4, 'gres/gpu:a100': 4, billing: 48 });
    expect(tresFromList(undefined)).toEqual({});
  });
});

describe('gpuCount', () => {
  it('prefers the untyped total', () => {
    expect(gpuCount({ 'gres/gpu': 4, 'gres/gpu:a100': 4 })).toBe(4);
  });
  it('sums typed entries when there is no total', () => {
    expect(gpuCount({ cpu: 8, 'gres/gpu:a100': 2, 'gres/gpu:v100': 1, 'gres/gpumem': 40960 })).toBe(3);
  });
  it('is 0 for CPU jobs', () => {
    expect(gpuCount({ cpu: 8, mem: 1024 })).toBe(0);
  });
});

describe('parseElapsed', () => {
  it.each([
    ['1-02:03:04', 93784],
    ['12-00:00:00', 12 * 86400],
    ['02:03:04', 7384],
    ['00:00:03', 3],
    ['03:04', 184],
    ['00:03.290', 3.29],
    ['59:59.999', 3599.999],
    ['01:02:03.500', 3723.5],
    ['84', 84],
    ['INVALID', 0],
    ['Unknown', 0],
    ['', 0],
  ])('%s → %d s', (text, seconds) => {
    expect(parseElapsed(text)).toBeCloseTo(seconds, 6);
  });
  it('treats undefined as 0', () => {
    expect(parseElapsed(undefined)).toBe(0);
  });
});

describe('formatElapsed', () => {
  it('prints like sacct and parses back', () => {
    expect(formatElapsed(93784)).toBe('1-02:03:04');
    expect(formatElapsed(184)).toBe('00:03:04');
    expect(formatElapsed(3.29, 'cpu')).toBe('00:03.290');
    expect(formatElapsed(7384.9, 'cpu')).toBe('02:03:04');
    for (const s of [0, 3.29, 59.999, 725.123, 3723, 93784]) expect(parseElapsed(formatElapsed(s, 'cpu'))).toBeCloseTo(s, 6);
    // Like sacct: no fractions once the value reaches an hour.
    expect(parseElapsed(formatElapsed(3723.75, 'cpu'))).toBe(3723);
  });
});

describe('formatTres', () => {
  it('sorts keys and uses the largest exact memory unit', () => {
    expect(formatTres({ mem: 1536, cpu: 2, 'gres/gpu': 1, billing: 2, node: 1 })).toBe('billing=2,cpu=2,gres/gpu=1,mem=1536M,node=1');
    expect(formatTres({ mem: 2048 })).toBe('mem=2G');
    expect(formatTres({ mem: 1024 * 1024 })).toBe('mem=1T');
    expect(parseTresString(formatTres({ cpu: 4, mem: 3 * 1024 * 1024 }))).toEqual({ cpu: 4, mem: 3 * 1024 * 1024 });
  });
});
