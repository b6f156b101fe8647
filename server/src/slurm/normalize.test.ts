import { describe, expect, it } from 'vitest';
import { parseSlurmTime, SacctRowFolder } from './normalize.ts';

/** A seeded generator, so a failure names a value that fails again. */
function random(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

/** parseSlurmTime as it read before its digit-by-digit path, for the values that path hands on. */
function regexTime(text: string): number | null {
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(text)) {
    const [day, hour] = [Number(text.slice(8, 10)), Number(text.slice(11, 13))];
    const d = new Date(Date.UTC(Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, day, hour, Number(text.slice(14, 16)), Number(text.slice(17, 19))));
    if (d.getUTCDate() === day && d.getUTCHours() === hour) return d.getTime();
  }
  const d = new Date(`${text}Z`);
  return Number.isNaN(d.getTime()) ? null : d.getTime();
}

const p2 = (n: number) => String(n).padStart(2, '0');
const p4 = (n: number) => String(n).padStart(4, '0');

describe('parseSlurmTime', () => {
  it('reads sacct times as UTC, as new Date reads them with a Z, over many years, months and days', () => {
    const next = random(1);
    for (let i = 0; i < 20_000; i++) {
      const text = `${p4(1000 + next(9000))}-${p2(1 + next(12))}-${p2(1 + next(28))}T${p2(next(24))}:${p2(next(60))}:${p2(next(60))}`;
      expect(parseSlurmTime(text)?.getTime(), text).toBe(new Date(`${text}Z`).getTime());
    }
  });

  it('reads month ends, leap days, the turn of a year and the epoch exactly', () => {
    const edges = [
      '1970-01-01T00:00:00',
      '1969-12-31T23:59:59',
      '1000-01-01T00:00:00',
      '9999-12-31T23:59:59',
      '2000-02-29T12:00:00',
      '2024-02-29T23:59:59',
      '2026-01-31T23:59:59',
      '2026-04-30T00:00:00',
      '2026-12-31T23:59:59',
      '2027-01-01T00:00:00',
      '2026-03-29T01:30:00',
      '2026-10-25T01:30:00',
    ];
    for (const text of edges) expect(parseSlurmTime(text)?.toISOString(), text).toBe(new Date(`${text}Z`).toISOString());
    for (let year = 1899; year <= 2401; year++) {
      for (const [month, days] of [[1, 31], [2, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28], [6, 30], [12, 31]]) {
        const text = `${p4(year)}-${p2(month)}-${p2(days)}T23:59:59`;
        expect(parseSlurmTime(text)?.getTime(), text).toBe(Date.UTC(year, month - 1, days, 23, 59, 59));
      }
    }
  });

  it('keeps the rollovers and readings of values outside the calendar', () => {
    // Date.UTC rolls a 13th month into the next year and reads years below 100 as 19xx; 24:00 is the next midnight.
    expect(parseSlurmTime('2026-13-05T00:00:00')?.toISOString()).toBe('2027-01-05T00:00:00.000Z');
    expect(parseSlurmTime('0050-01-01T00:00:00')?.toISOString()).toBe('1950-01-01T00:00:00.000Z');
    expect(parseSlurmTime('2026-01-01T24:00:00')?.toISOString()).toBe('2026-01-02T00:00:00.000Z');
    const odd = ['2026-02-29T00:00:00', '2100-02-29T00:00:00', '2026-04-31T00:00:00', '2026-00-10T00:00:00', '2026-01-00T00:00:00', '2026-01-01T10:30:60', '2026-01-01T10:60:00', '2026-01-01T25:00:00', '0999-12-31T23:59:59', '0000-01-01T00:00:00', '2026-01-0aT00:00:00', '2026_01-01T00:00:00'];
    for (const text of odd) expect(parseSlurmTime(text)?.getTime() ?? null, text).toBe(regexTime(text));
  });

  it('reads Unknown, None, empty and other forms as before', () => {
    for (const text of ['Unknown', 'None', 'N/A', 'unknown', '', '   ', undefined, null, 'soon', '2026-1-01T00:00:00']) {
      expect(parseSlurmTime(text), String(text)).toBe(null);
    }
    expect(parseSlurmTime(' 2026-01-02T03:04:05 ')?.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(parseSlurmTime('2026-01-02T03:04')?.toISOString()).toBe('2026-01-02T03:04:00.000Z');
    expect(parseSlurmTime('2026-01-02T03:04:05+07:00')?.toISOString()).toBe('2026-01-01T20:04:05.000Z');
    expect(parseSlurmTime('2026-01-02 03:04:05')?.getTime()).toBe(new Date('2026-01-02 03:04:05').getTime());
  });
});

describe('SacctRowFolder', () => {
  const job = (JobID: string, TotalCPU: string, State = 'COMPLETED') => ({ JobID, User: 'u', State, TotalCPU, AllocTRES: 'cpu=1,mem=4G' });

  it('asks for the steps only while they still count, and counts pushStep rows like push rows', () => {
    const folder = new SacctRowFolder({ source: 'sacct', cluster: 'c', where: 'test' });
    folder.push(job('1', '00:10.000'));
    expect(folder.stepsCountFor).toBe(null);
    folder.pushStep(false);
    expect(folder.push(job('2', '00:00:00'))).toMatchObject({ jobId: '1', totalCpuSeconds: 10 });
    expect(folder.stepsCountFor).toBe('2');
    folder.pushStep(true, 'COMPLETED', '00:02.500');
    folder.pushStep(true, 'RUNNING', '00:05.000');
    folder.pushStep(true, 'CANCELLED by 1000', '00:01.000');
    expect(() => folder.push({ JobID: '3', State: 'COMPLETED' })).toThrow(/job 3 \(row 7\) has no User/);
    expect(folder.end()).toMatchObject({ jobId: '2', totalCpuSeconds: 3.5 });
  });

  it('gives every job TRES maps of its own, however often their text repeats', () => {
    const folder = new SacctRowFolder({ source: 'sacct', cluster: 'c', where: 'test' });
    folder.push(job('1', '0'));
    const first = folder.push(job('2', '0'))!;
    const second = folder.end()!;
    expect(first.allocTres).toEqual({ cpu: 1, mem: 4096 });
    expect(first.allocTres).not.toBe(second.allocTres);
    first.allocTres.cpu = 99;
    expect(second.allocTres).toEqual({ cpu: 1, mem: 4096 });
  });
});
