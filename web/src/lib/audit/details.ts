/**
 * Audit entries for people: which words an action, a target and the JSON `extra` of an entry become. Pure, so the
 * page only picks the words (i18n) and formats the values in its language.
 */

/** Every action the server records (server/src/audit/recorder.ts, `AuditEvent`); details.test.ts keeps them equal. */
export const AUDIT_ACTIONS = [
  'auth.login.success',
  'auth.login.failure',
  'auth.lockout.start',
  'auth.lockout.active',
  'auth.lockout.end',
  'auth.logout',
  'rates.update',
  'receipt.create',
  'receipt.paid',
  'jobs.sync',
  'user.tier.update',
  'token.create',
  'token.revoke',
  'accounts.sync',
  'account.pi.add',
  'account.pi.remove',
  'account.tier.update',
  'rates.rule.create',
  'rates.rule.apply',
  'rates.rule.delete',
  'budget.set',
  'budget.delete',
  'budget.alert',
] as const;

/** The i18n key of an action's label; the page falls back to the action itself when there is none. */
export const actionKey = (action: string) => `audit_action_${action.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase()}`;

/** The i18n key of a detail's label, e.g. `totalSatang` → `audit_detail_totalsatang`. */
export const detailKey = (key: string) => `audit_detail_${key.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase()}`;

export type Target =
  | { kind: 'none' }
  | { kind: 'text'; text: string }
  | { kind: 'tier'; tier: string }
  | { kind: 'receipt'; id: string }
  | { kind: 'token'; id: string }
  /** A sync window, `from/to` as instants. */
  | { kind: 'window'; from: string; to: string }
  /** A login throttle key: `user:<name>` or `ip:<address>`. */
  | { kind: 'lockout'; by: 'user' | 'ip'; who: string };

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;
const isInstant = (text: string) => INSTANT.test(text) && !Number.isNaN(Date.parse(text));

export function describeTarget(action: string, target: string | null | undefined): Target {
  if (!target) return { kind: 'none' };
  if (action === 'rates.update' || action.startsWith('rates.rule.')) return { kind: 'tier', tier: target };
  if (action.startsWith('receipt.') && /^\d+$/.test(target)) return { kind: 'receipt', id: target };
  if (action.startsWith('token.') && /^\d+$/.test(target)) return { kind: 'token', id: target };
  if (action === 'jobs.sync') {
    const [from, to, ...rest] = target.split('/');
    if (rest.length === 0 && from && to && isInstant(from) && isInstant(to)) return { kind: 'window', from, to };
  }
  if (action.startsWith('auth.lockout.')) {
    const m = /^(user|ip):(.+)$/.exec(target);
    if (m) return { kind: 'lockout', by: m[1] as 'user' | 'ip', who: m[2] };
  }
  return { kind: 'text', text: target };
}

export type DetailValue =
  | { kind: 'empty' }
  | { kind: 'text'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  /** THB as exact decimal text. */
  | { kind: 'money'; amount: string }
  | { kind: 'time'; iso: string }
  | { kind: 'tier'; tier: string }
  /** One of a few known words (a sync's trigger, a sign-in method, a Slurm source): `key` names it, `text` is raw. */
  | { kind: 'word'; key: string; text: string }
  | { kind: 'list'; items: DetailValue[] }
  | { kind: 'group'; entries: Detail[] };

export interface Detail {
  key: string;
  value: DetailValue;
}

/** Satang as exact text ("12345", "-5") → THB ("123.45", "-0.05"). */
export function satangToThb(satang: string): string | null {
  const m = /^(-?)(\d+)$/.exec(satang);
  if (!m) return null;
  const digits = m[2].replace(/^0+(?=\d)/, '').padStart(3, '0');
  return `${m[1]}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** Rates and amounts that are THB already, as decimal text. */
const THB_KEYS = new Set(['cpuPerHour', 'gpuPerHour', 'memGBPerHour']);
/** Details whose text is one of a few words, each with its i18n key. */
const WORDS: Record<string, { values: string[]; key: (value: string) => string }> = {
  trigger: { values: ['startup', 'interval', 'admin', 'cli'], key: (v) => `audit_value_trigger_${v}` },
  method: { values: ['local', 'pam'], key: (v) => `audit_value_method_${v}` },
  source: { values: ['restd', 'sacct', 'csv'], key: (v) => `source_${v}` },
};
/** Details whose text is a tier (user.tier.update's old and new). */
const TIER_KEYS: Record<string, string[]> = { 'user.tier.update': ['old', 'new'], 'account.tier.update': ['old', 'new'] };

function valueOf(key: string, value: unknown, tiers: boolean): DetailValue {
  if (value === null || value === undefined || value === '') return { kind: 'empty' };
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'string') {
    if (/Satang/.test(key)) {
      const amount = satangToThb(value);
      if (amount) return { kind: 'money', amount };
    }
    if (THB_KEYS.has(key) && /^-?\d+(?:\.\d+)?$/.test(value)) return { kind: 'money', amount: value };
    if (tiers) return { kind: 'tier', tier: value };
    if (WORDS[key]?.values.includes(value)) return { kind: 'word', key: WORDS[key].key(value), text: value };
    if (isInstant(value)) return { kind: 'time', iso: value };
    return { kind: 'text', text: value };
  }
  if (Array.isArray(value)) return value.length ? { kind: 'list', items: value.map((item) => valueOf(key, item, false)) } : { kind: 'empty' };
  if (typeof value === 'object') return { kind: 'group', entries: entriesOf(value as Record<string, unknown>, []) };
  return { kind: 'text', text: String(value) };
}

const entriesOf = (object: Record<string, unknown>, tierKeys: string[]): Detail[] =>
  Object.entries(object).map(([key, value]) => ({ key, value: valueOf(key, value, tierKeys.includes(key)) }));

/**
 * The details of an entry as label/value pairs, in the order the server wrote them; `[]` for `{}`, null when `extra`
 * is not a JSON object (the page then shows the text as it is).
 */
export function parseDetails(action: string, extra: string): Detail[] | null {
  let value: unknown;
  try {
    value = JSON.parse(extra);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  return entriesOf(value as Record<string, unknown>, TIER_KEYS[action] ?? []);
}

/** The detail keys the server writes, for the dictionaries (details.test.ts checks each has a label). */
export const DETAIL_KEYS = [
  'method',
  'reason',
  'retryAfterSeconds',
  'maxFails',
  'old',
  'new',
  'cpuPerHour',
  'gpuPerHour',
  'memGBPerHour',
  'items',
  'totalSatang',
  'cutoff',
  'source',
  'jobs',
  'trigger',
  'partial',
  'attempts',
  'oversized',
  'error',
  'ok',
  'ms',
  'count',
  'account',
  'unbilledJobs',
  'unbilledSatangBefore',
  'unbilledSatangAfter',
  'name',
  'scope',
] as const;
