import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOB_STATES, stateKey } from '../components/usage/state';
import { AUDIT_ACTIONS, actionKey, DETAIL_KEYS, describeTarget, detailKey, parseDetails, satangToThb } from './details';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const dictionary = (lang: string) =>
  JSON.parse(readFileSync(path.join(ROOT, `web/src/lib/i18n/locales/audit.${lang}.json`), 'utf8')) as Record<string, string>;

describe('audit actions', () => {
  it('are every action the server records', () => {
    const recorder = readFileSync(path.join(ROOT, 'server/src/audit/recorder.ts'), 'utf8');
    const union = /export type AuditEvent =([\s\S]*?);\n\n/.exec(recorder)![1];
    const recorded = [...union.matchAll(/action: ([^;]+);/g)].flatMap((m) => [...m[1].matchAll(/'([^']+)'/g)].map((q) => q[1]));
    expect([...AUDIT_ACTIONS].sort()).toEqual([...new Set(recorded)].sort());
  });

  it('each have a label in both languages, as do the detail keys and the job states', () => {
    for (const lang of ['en', 'th']) {
      const words = dictionary(lang);
      for (const action of AUDIT_ACTIONS) expect(words[actionKey(action)], `${lang} ${action}`).toBeTruthy();
      for (const key of DETAIL_KEYS) expect(words[detailKey(key)], `${lang} ${key}`).toBeTruthy();
      for (const state of JOB_STATES) expect(words[stateKey(state)], `${lang} ${state}`).toBeTruthy();
    }
  });

  it('map to flat snake_case keys', () => {
    expect(actionKey('auth.login.success')).toBe('audit_action_auth_login_success');
    expect(detailKey('unbilledSatangBefore')).toBe('audit_detail_unbilledsatangbefore');
    expect(stateKey('CANCELLED by 1001')).toBe('job_state_cancelled');
    expect(stateKey('OUT_OF_MEMORY')).toBe('job_state_out_of_memory');
  });
});

describe('satangToThb', () => {
  it('moves the point two places, exactly', () => {
    expect(satangToThb('12345')).toBe('123.45');
    expect(satangToThb('5')).toBe('0.05');
    expect(satangToThb('0')).toBe('0.00');
    expect(satangToThb('-250')).toBe('-2.50');
    expect(satangToThb('45107000000000000')).toBe('451070000000000.00');
    expect(satangToThb('1.5')).toBeNull();
  });
});

describe('describeTarget', () => {
  it('reads what each action targets', () => {
    expect(describeTarget('rates.update', 'gov')).toEqual({ kind: 'tier', tier: 'gov' });
    expect(describeTarget('receipt.paid', '12')).toEqual({ kind: 'receipt', id: '12' });
    expect(describeTarget('token.revoke', '3')).toEqual({ kind: 'token', id: '3' });
    expect(describeTarget('jobs.sync', '2026-01-01T00:00:00.000Z/2026-01-02T00:00:00.000Z')).toEqual({
      kind: 'window',
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-02T00:00:00.000Z',
    });
    expect(describeTarget('auth.lockout.start', 'ip:10.0.0.1')).toEqual({ kind: 'lockout', by: 'ip', who: '10.0.0.1' });
    expect(describeTarget('auth.login.success', 'alice')).toEqual({ kind: 'text', text: 'alice' });
    expect(describeTarget('jobs.sync', 'not/a/window')).toEqual({ kind: 'text', text: 'not/a/window' });
    expect(describeTarget('something.new', null)).toEqual({ kind: 'none' });
  });
});

describe('parseDetails', () => {
  it('shows money in THB, times as instants and tiers as tiers', () => {
    expect(parseDetails('receipt.create', '{"items":3,"totalSatang":"4510700","cutoff":"2026-10-31T17:00:00.000Z"}')).toEqual([
      { key: 'items', value: { kind: 'number', value: 3 } },
      { key: 'totalSatang', value: { kind: 'money', amount: '45107.00' } },
      { key: 'cutoff', value: { kind: 'time', iso: '2026-10-31T17:00:00.000Z' } },
    ]);
    expect(parseDetails('user.tier.update', '{"old":"mu","new":"gov","unbilledJobs":0}')).toEqual([
      { key: 'old', value: { kind: 'tier', tier: 'mu' } },
      { key: 'new', value: { kind: 'tier', tier: 'gov' } },
      { key: 'unbilledJobs', value: { kind: 'number', value: 0 } },
    ]);
  });

  it('opens nested objects and lists into their own pairs', () => {
    const details = parseDetails('rates.update', '{"old":null,"new":{"cpuPerHour":"1.50","gpuPerHour":"30","memGBPerHour":"0.1"}}');
    expect(details).toEqual([
      { key: 'old', value: { kind: 'empty' } },
      {
        key: 'new',
        value: {
          kind: 'group',
          entries: [
            { key: 'cpuPerHour', value: { kind: 'money', amount: '1.50' } },
            { key: 'gpuPerHour', value: { kind: 'money', amount: '30' } },
            { key: 'memGBPerHour', value: { kind: 'money', amount: '0.1' } },
          ],
        },
      },
    ]);
    const sync = parseDetails('jobs.sync', '{"source":"csv","trigger":"startup","partial":false,"attempts":[{"source":"csv","ok":true,"ms":4}],"oversized":[]}');
    expect(sync).toEqual([
      { key: 'source', value: { kind: 'word', key: 'source_csv', text: 'csv' } },
      { key: 'trigger', value: { kind: 'word', key: 'audit_value_trigger_startup', text: 'startup' } },
      { key: 'partial', value: { kind: 'boolean', value: false } },
      {
        key: 'attempts',
        value: {
          kind: 'list',
          items: [
            {
              kind: 'group',
              entries: [
                { key: 'source', value: { kind: 'word', key: 'source_csv', text: 'csv' } },
                { key: 'ok', value: { kind: 'boolean', value: true } },
                { key: 'ms', value: { kind: 'number', value: 4 } },
              ],
            },
          ],
        },
      },
      { key: 'oversized', value: { kind: 'empty' } },
    ]);
  });

  it('is empty for {} and null for what is not a JSON object', () => {
    expect(parseDetails('auth.logout', '{}')).toEqual([]);
    expect(parseDetails('x', 'not json')).toBeNull();
    expect(parseDetails('x', '[1,2]')).toBeNull();
    expect(parseDetails('x', '"text"')).toBeNull();
  });
});
