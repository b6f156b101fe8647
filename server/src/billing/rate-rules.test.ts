import { describe, expect, it } from 'vitest';
import { gpuTypesOf, pickRate, type RateOverride } from './rate-rules.ts';

const base = { cpuPerHour: '0.5', gpuPerHour: '12', memGBPerHour: '0.05' };
const rule = (id: number, partition: string | null, gpuType: string | null, gpu: string, tier = 'mu'): RateOverride => ({
  id, tier, partition, gpuType, cpuPerHour: '0.5', gpuPerHour: gpu, memGBPerHour: '0.05',
});

describe('pickRate', () => {
  const rules = [rule(1, 'gpu', null, '20'), rule(2, null, 'h100', '40'), rule(3, 'gpu', 'h100', '45'), rule(4, null, 'a100', '25'), rule(5, null, 'a100', '26', 'gov')];
  const pick = (partition: string | null, gpuTypes: string[], tier = 'mu') => pickRate(rules, base, { tier, partition, gpuTypes }).gpuPerHour;

  it('takes partition and GPU type over GPU type over partition over the tier’s rate', () => {
    expect(pick('gpu', ['h100'])).toBe('45');
    expect(pick('big', ['h100'])).toBe('40');
    expect(pick('gpu', ['a100'])).toBe('25');
    expect(pick('gpu', [])).toBe('20');
    expect(pick('cpu', [])).toBe('12');
  });

  it('reads only the job’s tier, and the first rule of two as specific', () => {
    expect(pick('cpu', ['a100'], 'gov')).toBe('26');
    expect(pick('cpu', ['a100'], 'private')).toBe('12');
    expect(pickRate([rule(9, null, 'a100', '30'), rule(4, null, 'a100', '25')], base, { tier: 'mu', partition: null, gpuTypes: ['a100'] }).gpuPerHour).toBe('25');
  });
});

describe('gpuTypesOf', () => {
  it('reads typed GPUs from TRES, as a map or as the ledger’s JSON', () => {
    expect(gpuTypesOf({ cpu: 4, 'gres/gpu': 4, 'gres/gpu:a100': 4 })).toEqual(['a100']);
    expect(gpuTypesOf('{"cpu":2,"gres/gpu:h100":1,"gres/gpu:a100":0}')).toEqual(['h100']);
    expect(gpuTypesOf({ cpu: 1 })).toEqual([]);
  });
});
