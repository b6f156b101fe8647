import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsvText } from './csv.ts';
import { DEMO_NOW, demoJobsCsv, generateDemoJobs } from './demo-jobs.ts';
import { gpuCount } from './tres.ts';

const file = readFileSync(new URL('../../demo/jobs.csv', import.meta.url), 'utf8');

describe('generateDemoJobs', () => {
  const jobs = generateDemoJobs();

  it('is deterministic and seeded', () => {
    expect(generateDemoJobs()).toEqual(jobs);
    expect(generateDemoJobs({ seed: 7 })).not.toEqual(jobs);
  });

  it('matches server/demo/jobs.csv (regenerate the file when the generator changes)', () => {
    expect(file).toBe(demoJobsCsv(jobs));
  });

  it('round-trips through the CSV source', async () => {
    const parsed = await parseCsvText(file, { cluster: 'ignored' });
    expect(parsed).toHaveLength(jobs.length);
    parsed.forEach((p, i) => {
      expect({ ...p, totalCpuSeconds: 0 }).toEqual({ ...jobs[i], totalCpuSeconds: 0 });
      expect(p.totalCpuSeconds).toBeCloseTo(jobs[i].totalCpuSeconds, 6);
    });
  });

  it('covers the users, accounts, partitions, states and id forms the app shows', () => {
    expect(jobs.length).toBeGreaterThanOrEqual(380);
    expect(jobs.length).toBeLessThanOrEqual(420);
    expect(new Set(jobs.map((j) => j.cluster))).toEqual(new Set(['demo']));
    expect(new Set(jobs.map((j) => j.user))).toEqual(new Set(['alice', 'bob', 'carol', 'dave', 'admin']));
    expect(new Set(jobs.map((j) => j.account))).toEqual(new Set(['physics', 'chemistry', 'biology', 'ops']));
    expect(new Set(jobs.map((j) => j.partition))).toEqual(new Set(['cpu', 'gpu', 'bigmem']));
    const states = new Set(jobs.map((j) => j.state));
    for (const s of ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'RUNNING', 'PENDING']) {
      expect(states).toContain(s);
    }
    expect(jobs.filter((j) => j.state === 'RUNNING' || j.state === 'PENDING').every((j) => j.end === null)).toBe(true);
    expect(jobs.filter((j) => j.state === 'PENDING').every((j) => j.start === null && Object.keys(j.allocTres).length === 0)).toBe(true);
    expect(jobs.some((j) => /^\d+_\d+$/.test(j.jobId))).toBe(true);
    expect(jobs.some((j) => /^\d+\+0$/.test(j.jobId)) && jobs.some((j) => /^\d+\+1$/.test(j.jobId))).toBe(true);
    expect(new Set(jobs.map((j) => j.jobId)).size).toBe(jobs.length);
    expect(jobs.some((j) => j.allocTres['gres/gpu:a100'] > 0)).toBe(true);
    // Every GPU-partition allocation has GPUs, except the CPU-only controller component (`+0`) of het jobs.
    const gpuJobs = jobs.filter((j) => j.partition === 'gpu' && Object.keys(j.allocTres).length && !j.jobId.endsWith('+0'));
    expect(gpuJobs.length).toBeGreaterThan(50);
    expect(gpuJobs.every((j) => gpuCount(j.allocTres) > 0)).toBe(true);
    expect(jobs.some((j) => j.name === 'analysis, part 2')).toBe(true);
    expect(jobs.some((j) => j.name === 'จำลองโมเลกุล')).toBe(true);
    expect(file).toContain('CANCELLED by ');
  });

  it('stays within the last four months before 2026-11-26, with consistent times', () => {
    const oldest = Math.min(...jobs.map((j) => j.submit!.getTime()));
    expect(oldest).toBeGreaterThanOrEqual(DEMO_NOW.getTime() - 121 * 86400_000);
    for (const j of jobs) {
      expect(j.submit!.getTime()).toBeLessThanOrEqual(DEMO_NOW.getTime());
      if (j.start) expect(j.start.getTime()).toBeGreaterThanOrEqual(j.submit!.getTime());
      if (j.end) {
        expect(j.end.getTime()).toBeLessThanOrEqual(DEMO_NOW.getTime());
        expect((j.end.getTime() - j.start!.getTime()) / 1000).toBe(j.elapsedSeconds);
      }
      expect(j.totalCpuSeconds).toBeLessThanOrEqual(j.elapsedSeconds * (j.allocTres.cpu ?? 0));
    }
  });
});
