import { describe, expect, it } from 'vitest';
import { slurmFixtureText } from '../../../tests/unit-support/fixtures.ts';
import type { Exec } from '../lib/exec.ts';
import { accountTotals, fetchSreport, parseSreport, sreportArgs, sreportWindow } from './sreport.ts';
import { SlurmSourceError } from './types.ts';

const REAL = 'real-22.05-accounts';
const utc = (s: string) => new Date(`${s}Z`);

describe('sreportWindow', () => {
  it('widens to whole UTC hours, at least one', () => {
    expect(sreportWindow(utc('2026-12-03T07:30:15'), utc('2026-12-03T07:50:00'))).toEqual({ from: utc('2026-12-03T07:00:00'), to: utc('2026-12-03T08:00:00') });
    expect(sreportWindow(utc('2026-12-03T07:00:00'), utc('2026-12-03T09:00:00'))).toEqual({ from: utc('2026-12-03T07:00:00'), to: utc('2026-12-03T09:00:00') });
    expect(sreportWindow(utc('2026-12-03T07:00:00'), utc('2026-12-03T07:00:00'))).toEqual({ from: utc('2026-12-03T07:00:00'), to: utc('2026-12-03T08:00:00') });
    expect(sreportWindow(utc('2026-12-03T06:59:59'), utc('2026-12-03T09:00:01')).to).toEqual(utc('2026-12-03T10:00:00'));
  });
});

describe('sreportArgs', () => {
  it('is the argv checked on Slurm 22.05', () => {
    expect(sreportArgs({ cluster: 'sandbox', from: utc('2026-12-03T07:00:00'), to: utc('2026-12-03T08:00:00') })).toEqual([
      '--noheader',
      '--parsable2',
      '-t',
      'Minutes',
      '--tres=cpu,mem,gres/gpu',
      'cluster',
      'AccountUtilizationByUser',
      'cluster=sandbox',
      'start=2026-12-03T07:00:00',
      'end=2026-12-03T08:00:00',
    ]);
    expect(sreportArgs({ cluster: 'c', from: new Date(0), to: new Date(3_600_000), unit: 'seconds' }).slice(2, 4)).toEqual(['-t', 'Seconds']);
    expect(() => sreportArgs({ cluster: 'a,b', from: new Date(0), to: new Date(0) })).toThrow(SlurmSourceError);
  });
});

describe('parseSreport (Slurm 22.05)', () => {
  const minutes = parseSreport(slurmFixtureText(`${REAL}/sreport-account-user-22.05.txt`));
  const seconds = parseSreport(slurmFixtureText(`${REAL}/sreport-account-user-seconds-22.05.txt`), { unit: 'seconds' });

  it('reads one row per account or user and TRES; account rows have no user', () => {
    expect(minutes).toHaveLength(30);
    expect(minutes.slice(0, 3)).toEqual([
      { account: 'root', user: null, tres: 'cpu', minutes: 4 },
      { account: 'root', user: null, tres: 'mem', minutes: 2039 },
      { account: 'root', user: null, tres: 'gres/gpu', minutes: 1 },
    ]);
    expect(minutes).toContainEqual({ account: 'astro', user: 'bob', tres: 'gres/gpu', minutes: 1 });
    expect(minutes).toContainEqual({ account: 'astro', user: 'alice', tres: 'mem', minutes: 1280 });
  });

  it('seconds become exact fractional minutes; -t Minutes rounds each row on its own', () => {
    const at = (rows: typeof minutes, account: string, user: string | null, tres: string) =>
      rows.find((r) => r.account === account && r.user === user && r.tres === tres)!.minutes;
    expect(at(seconds, 'chemistry', null, 'mem')).toBeCloseTo(4352 / 60, 9);
    // 72.53 and 4.27 + 68.27: each row rounded, so the account's row is not the sum of its users' rows
    expect(at(minutes, 'chemistry', null, 'mem')).toBe(73);
    expect(at(minutes, 'chemistry', 'alice', 'mem') + at(minutes, 'chemistry', 'bob', 'mem')).toBe(72);
    // the seed jobs run seconds: 8 CPU-seconds show as 0 CPU-minutes
    expect(at(seconds, 'chemistry', null, 'cpu')).toBeCloseTo(8 / 60, 9);
    expect(at(minutes, 'chemistry', null, 'cpu')).toBe(0);
  });

  it('skips sreport\'s header line when -n was left out', () => {
    const banner = slurmFixtureText(`${REAL}/sreport-account-user-banner-22.05.txt`);
    // without -n sreport also prints a banner of ----- lines and titles, which is not data
    expect(() => parseSreport(banner)).toThrow(/line 1 has 1 fields/);
    const withHeader = banner.split('\n').filter((l) => l.includes('|')).join('\n');
    expect(parseSreport(withHeader)).toEqual(minutes);
  });

  it('reads a Proper Name with a | in it', () => {
    expect(parseSreport('c|p|u|Doe | Jane|cpu|5\n')).toEqual([{ account: 'p', user: 'u', tres: 'cpu', minutes: 5 }]);
  });

  it('names the line and the problem on bad input', () => {
    expect(() => parseSreport('sandbox|root|||cpu\n')).toThrow(/sreport: sreport output line 1 has 5 fields, expected 6/);
    expect(() => parseSreport('sandbox|root|||energy|3\n')).toThrow(/line 1: unexpected TRES "energy"/);
    expect(() => parseSreport('\nsandbox|root|||cpu|12.50%\n')).toThrow(/line 2: Used "12.50%" is not a whole number/);
    expect(() => parseSreport('sandbox||||cpu|1\n')).toThrow(/line 1 has no account/);
    expect(parseSreport('')).toEqual([]);
  });
});

describe('accountTotals', () => {
  const seconds = parseSreport(slurmFixtureText(`${REAL}/sreport-account-user-seconds-22.05.txt`), { unit: 'seconds' });

  it('converts TRES-minutes to hours, MB-minutes to GB-hours; account rows include sub-accounts', () => {
    const t = accountTotals(seconds);
    expect([...t.keys()].sort()).toEqual(['astro', 'chemistry', 'physics', 'root', 'science']);
    // astro: alice 2 CPUs + 1 GiB × 75 s, bob 1 CPU + 512 MiB + 1 GPU × 75 s
    expect(t.get('astro')!.cpuHours).toBeCloseTo(225 / 3600, 12);
    expect(t.get('astro')!.memGBHours).toBeCloseTo(115200 / 1024 / 3600, 12);
    expect(t.get('astro')!.gpuHours).toBeCloseTo(75 / 3600, 12);
    expect(t.get('science')).toEqual(t.get('astro'));
    expect(t.get('root')!.cpuHours).toBeCloseTo((225 + 8 + 11) / 3600, 12);
  });

  it('own: only what the account\'s users charged to it directly', () => {
    const own = accountTotals(seconds, { own: true });
    expect([...own.keys()].sort()).toEqual(['astro', 'chemistry', 'physics']);
    expect(own.get('astro')!.cpuHours).toBeCloseTo((150 + 75) / 3600, 12);
    expect(own.get('chemistry')!.gpuHours).toBeCloseTo(6 / 3600, 12);
  });
});

describe('fetchSreport', () => {
  it('runs sreport in UTC over whole hours and says which window it asked for', async () => {
    const calls: Array<{ cmd: string; args: readonly string[]; env: Record<string, string> }> = [];
    const text = slurmFixtureText(`${REAL}/sreport-account-user-22.05.txt`);
    const exec: Exec = (cmd, args, opts) => {
      calls.push({ cmd, args, env: opts.env });
      return { lines: (async function* () { yield* text.split('\n'); })(), done: Promise.resolve({ code: 0, stderr: '' }) };
    };
    const result = await fetchSreport({
      exec,
      sreportPath: '/usr/bin/sreport',
      env: { SLURM_CONF: '/etc/slurm/slurm.conf', TZ: 'Asia/Bangkok' },
      timeoutMs: 5000,
      cluster: 'sandbox',
      from: utc('2026-12-03T07:10:00'),
      to: utc('2026-12-03T07:40:00'),
    });
    expect(result.from).toEqual(utc('2026-12-03T07:00:00'));
    expect(result.to).toEqual(utc('2026-12-03T08:00:00'));
    expect(result.rows).toHaveLength(30);
    expect(calls[0].cmd).toBe('/usr/bin/sreport');
    expect(calls[0].env).toEqual({ SLURM_CONF: '/etc/slurm/slurm.conf', TZ: 'UTC' });
    expect(calls[0].args).toContain('start=2026-12-03T07:00:00');
    expect(calls[0].args).toContain('end=2026-12-03T08:00:00');
  });

  it('says why when sreport fails', async () => {
    const exec: Exec = () => ({
      lines: (async function* () {})(),
      done: Promise.resolve({ code: null, stderr: '', error: new Error('spawn sreport ENOENT') }),
    });
    const err = await fetchSreport({ exec, timeoutMs: 5000, cluster: 'c', from: new Date(0), to: new Date(0) }).catch((e) => e);
    expect(err).toBeInstanceOf(SlurmSourceError);
    expect(err.source).toBe('sreport');
    expect(err.message).toBe('sreport: could not run sreport: spawn sreport ENOENT');
  });
});
