/**
 * The Grafana folder (grafana/) for real: the provisioning files and both "Cluster usage" dashboards are read the way
 * Grafana's provisioning reads them, and every panel's query is sent through the real port exactly as its plugin
 * would send it (/work/shared/GRAFANA.md), then its reply is parsed the way that plugin parses it.
 *
 * - Infinity (grafana/grafana-infinity-datasource): the browser text-interpolates `${__from}`, `${__to}`,
 *   `${__from:date:iso}` and `$__interval_ms` into `url_options.body_graphql_query`; the backend POSTs
 *   `{ query, variables: null }` (pkg/infinity/client.go GetQueryBody) with the headers of pkg/infinity/headers.go
 *   and the bearer token; the backend parser takes `root_selector` as a gjson path, types each column and, for
 *   format "timeseries", needs rows ascending by time (pkg/infinity/postprocess.go LongToWide).
 * - Wild GraphQL (wildmountainfarms/wild-graphql-datasource): POSTs `{ query, variables }` with `from`, `to`,
 *   `interval_ms`, `maxDataPoints`, `refId` injected (pkg/plugin/queryvariables/variables.go); any `errors` or
 *   `data: null` fails the panel; `dataPath` is a dot path under `data`, the time path must be RFC 3339 or epoch ms,
 *   a field label must be a string or a number, and strings stay strings (pkg/plugin/parsing/parsing.go).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, type GraphQLSchema, parse, validate } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemMeta } from '../../server/src/audit/recorder.ts';
import type { SessionViewer } from '../../server/src/auth/sessions.ts';
import { createApiToken } from '../../server/src/auth/tokens.ts';
import { startTestApp, type TestApp } from './harness.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const GRAFANA = path.join(ROOT, 'grafana');
const INFINITY_TYPE = 'yesoreyeram-infinity-datasource';
const WILD_TYPE = 'retrodaredevil-wildgraphql-datasource';
const DAY = 86_400_000;

/** Grafana's provisioning files, read by a real YAML parser. */
const loadYaml = (file: string): any => parseYaml(readFileSync(file, 'utf8'));
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** Grafana expands `$VAR` and `${VAR}` in provisioning files from its environment. */
const expandEnv = (value: string, env: Record<string, string>) =>
  value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? '');

const datasources = loadYaml(path.join(GRAFANA, 'provisioning/datasources/hpc-accounting.yaml'));
const providers = loadYaml(path.join(GRAFANA, 'provisioning/dashboards/hpc-accounting.yaml'));
const DASHBOARDS = {
  infinity: readJson(path.join(GRAFANA, 'dashboards/cluster-usage-infinity.json')),
  wild: readJson(path.join(GRAFANA, 'dashboards/cluster-usage-wild.json')),
};
const infinityDs = datasources.datasources.find((d: any) => d.type === INFINITY_TYPE);
const wildDs = datasources.datasources.find((d: any) => d.type === WILD_TYPE);
const schema: GraphQLSchema = buildSchema(readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8'));

const panelsOf = (d: any): any[] => d.panels;
const targetsOf = (d: any) => panelsOf(d).flatMap((panel) => panel.targets.map((target: any) => ({ panel, target })));

// ---------- Grafana's time range and interval ----------

interface Range {
  name: string;
  from: number;
  to: number;
}

/** Grafana's rangeutil.roundInterval: the "nice" interval at or below range / maxDataPoints. */
function roundInterval(ms: number): number {
  const steps: Array<[number, number]> = [
    [15, 10], [35, 20], [75, 50], [150, 100], [350, 200], [750, 500], [1500, 1000], [3500, 2000], [7500, 5000],
    [12_500, 10_000], [17_500, 15_000], [25_000, 20_000], [45_000, 30_000], [90_000, 60_000], [450_000, 300_000],
    [900_000, 600_000], [1_200_000, 900_000], [2_700_000, 1_800_000], [5_400_000, 3_600_000], [9_000_000, 7_200_000],
    [16_200_000, 10_800_000], [32_400_000, 21_600_000], [86_400_000, 43_200_000], [604_800_000, 86_400_000],
    [1_814_400_000, 604_800_000], [3_628_800_000, 2_592_000_000],
  ];
  for (const [below, nice] of steps) if (ms < below) return nice;
  return 31_536_000_000;
}

function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d|w|y)$/.exec(text);
  if (!m) throw new Error(`not a Grafana interval: ${text}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: DAY, w: 7 * DAY, y: 365 * DAY }[m[2] as 'ms'];
  return Number(m[1]) * unit;
}

/** What a panel's request carries: maxDataPoints (its option, else the panel's width in pixels) and the interval. */
function intervalFor(panel: any, range: Range) {
  const maxDataPoints = panel.maxDataPoints ?? 1000;
  const min = panel.interval ? parseDuration(panel.interval) : 0;
  return { maxDataPoints, intervalMs: Math.max(roundInterval((range.to - range.from) / maxDataPoints), min) };
}

/** Infinity's frontend: templateSrv.replace over the query text. Anything it would leave is a mistake in the dashboard. */
function interpolateInfinity(text: string, range: Range, intervalMs: number) {
  const out = text
    .replaceAll('${__from:date:iso}', new Date(range.from).toISOString())
    .replaceAll('${__to:date:iso}', new Date(range.to).toISOString())
    .replaceAll('${__from}', String(range.from))
    .replaceAll('${__to}', String(range.to))
    .replaceAll('${__interval_ms}', String(intervalMs))
    .replaceAll('$__interval_ms', String(intervalMs));
  expect(out, 'a macro the test does not interpolate').not.toMatch(/\$\{?__/);
  return out;
}

// ---------- the plugins' parsers ----------

/** Go's time.Parse(time.RFC3339, …), which also takes fractional seconds. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const isTime = (v: unknown) => typeof v === 'string' && RFC3339.test(v) && Number.isFinite(Date.parse(v));

const dig = (value: any, dotted: string) => dotted.split('.').reduce((v, key) => (v == null ? undefined : v[key]), value);

function flatten(row: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}) {
  for (const [key, value] of Object.entries(row)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) flatten(value as Record<string, unknown>, `${prefix}${key}.`, out);
    else out[prefix + key] = value;
  }
  return out;
}

function expectAscending(times: number[], what: string) {
  for (let i = 1; i < times.length; i++) expect(times[i], `${what}: row ${i} goes back in time`).toBeGreaterThanOrEqual(times[i - 1]);
}

/** A daily panel's buckets are calendar days: consecutive distinct times 23 to 25 hours apart (DST days included). */
function expectSpacing(times: number[], panel: any) {
  const distinct = [...new Set(times)];
  const bucket = /bucket: (\w+)/.exec(JSON.stringify(panel.targets[0]))?.[1];
  const [min, max] = bucket === 'MONTH' ? [28 * DAY, 31 * DAY] : [23 * 3_600_000, 25 * 3_600_000];
  for (let i = 1; i < distinct.length; i++) {
    const gap = distinct[i] - distinct[i - 1];
    expect(gap, `${panel.title}: buckets ${new Date(distinct[i - 1]).toISOString()} → ${new Date(distinct[i]).toISOString()}`).toBeGreaterThanOrEqual(min);
    expect(gap).toBeLessThanOrEqual(max);
  }
}

/** Infinity's backend parser (gjson root selector, typed columns). Returns how many rows have a non-zero number. */
function parseInfinity(body: any, target: any, panel: any): { rows: number; nonZero: number } {
  expect(body.errors, `${panel.title}: errors are never shown by Infinity`).toBeUndefined();
  const rows = dig(body, target.root_selector);
  expect(Array.isArray(rows), `${panel.title}: root selector ${target.root_selector} is not an array`).toBe(true);
  let nonZero = 0;
  const times: number[] = [];
  for (const row of rows) {
    let any = false;
    for (const column of target.columns) {
      const v = dig(row, column.selector);
      expect(v, `${panel.title}: ${column.selector} missing`).not.toBeUndefined();
      if (column.type === 'timestamp') {
        expect(isTime(v), `${panel.title}: ${column.selector} ${v} is not RFC 3339`).toBe(true);
        times.push(Date.parse(v));
      } else if (column.type === 'number') {
        // Infinity parses numeric strings in number columns; what a time series plots must be a JSON number.
        if (target.format === 'timeseries') expect(typeof v, `${panel.title}: ${column.selector}`).toBe('number');
        expect(Number.isFinite(Number(v)), `${panel.title}: ${column.selector} ${v}`).toBe(true);
        if (Number(v) !== 0) any = true;
      } else if (column.type === 'string') {
        expect(v === null || typeof v === 'string', `${panel.title}: ${column.selector}`).toBe(true);
      }
    }
    if (any) nonZero++;
  }
  if (target.format === 'timeseries') {
    expectAscending(times, panel.title);
    expectSpacing(times, panel);
  }
  return { rows: rows.length, nonZero };
}

/** Wild GraphQL's parser: data path, time fields, field labels; a frame per label set, each ascending in time. */
function parseWild(body: any, target: any, panel: any): { rows: number; nonZero: number } {
  expect(body.errors, `${panel.title}: Wild fails the panel on any error`).toBeUndefined();
  expect(body.data, `${panel.title}: data=null fails the panel`).toBeTruthy();
  let rows = 0;
  let nonZero = 0;
  for (const option of target.parsingOptions) {
    const node = option.dataPath ? dig(body.data, option.dataPath) : body.data;
    expect(Array.isArray(node), `${panel.title}: data path ${option.dataPath} is not an array`).toBe(true);
    const timePaths: string[] = (option.timeFields ?? []).map((f: any) => f.timePath).filter(Boolean);
    const labels: any[] = option.labelOptions ?? [];
    const frames = new Map<string, number[]>();
    for (const raw of node) {
      const row = flatten(raw);
      const key = JSON.stringify(
        labels.map((l) => {
          if (l.type !== 'field') return l.value;
          const v = row[l.value];
          expect(typeof v === 'string' || typeof v === 'number', `${panel.title}: label ${l.name} is ${JSON.stringify(v)}, not a string`).toBe(true);
          return v;
        }),
      );
      for (const timePath of timePaths) {
        expect(isTime(row[timePath]), `${panel.title}: ${timePath} ${row[timePath]} "time could not be parsed"`).toBe(true);
        frames.set(key, [...(frames.get(key) ?? []), Date.parse(row[timePath] as string)]);
      }
      const excluded = new Set(labels.filter((l) => l.type === 'field' && l.fieldConfig?.excludeFieldFromDataFrame).map((l) => l.value));
      const values = Object.entries(row).filter(([k]) => !timePaths.includes(k) && !excluded.has(k));
      if (timePaths.length) {
        // A time series plots numbers only: Wild keeps strings as strings.
        for (const [k, v] of values) expect(typeof v, `${panel.title}: ${k} must be a JSON number to plot`).toBe('number');
      }
      if (values.some(([, v]) => typeof v === 'number' && v !== 0)) nonZero++;
      rows++;
    }
    for (const [key, times] of frames) {
      expectAscending(times, `${panel.title} ${key}`);
      expectSpacing(times, panel);
    }
  }
  return { rows, nonZero };
}

// ---------- the files, as provisioning reads them ----------

describe('provisioning', () => {
  it('provisions both datasources with fixed uids, the URL and the token from the environment', () => {
    expect(datasources.apiVersion).toBe(1);
    expect(datasources.datasources).toHaveLength(2);
    const uids = datasources.datasources.map((d: any) => d.uid);
    expect(new Set(uids).size).toBe(2);
    for (const d of datasources.datasources) {
      expect(d.name).toBeTruthy();
      expect(d.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
      expect(d.access).toBe('proxy');
    }
    const env = { HPC_ACCOUNTING_URL: 'http://accounting.example:3000', HPC_ACCOUNTING_TOKEN: 'hpcat_secret' };

    // Infinity: pkg/models/settings.go reads jsonData.auth_method, jsonData.allowedHosts and secureJsonData.bearerToken.
    expect(infinityDs.url).toBe('${HPC_ACCOUNTING_URL}');
    expect(infinityDs.jsonData.auth_method).toBe('bearerToken');
    expect(infinityDs.jsonData.allowedHosts).toEqual(['${HPC_ACCOUNTING_URL}']);
    expect(infinityDs.secureJsonData).toEqual({ bearerToken: '${HPC_ACCOUNTING_TOKEN}' });
    const base = expandEnv(infinityDs.url, env);
    const allowed = infinityDs.jsonData.allowedHosts.map((h: string) => expandEnv(h, env));
    // GetQueryURL prefixes the base URL to each query's URL; CanAllowURL wants an allowed host as the prefix.
    for (const { target } of targetsOf(DASHBOARDS.infinity)) {
      const url = target.url.startsWith(base) ? target.url : base + target.url;
      expect(url).toBe('http://accounting.example:3000/graphql');
      expect(allowed.some((a: string) => url.startsWith(a) && new URL(a).hostname === new URL(url).hostname)).toBe(true);
    }

    // Wild: Grafana's HTTP settings, so the GraphQL URL itself and a custom header.
    expect(expandEnv(wildDs.url, env)).toBe('http://accounting.example:3000/graphql');
    expect(wildDs.jsonData).toMatchObject({ httpHeaderName1: 'Authorization' });
    expect(expandEnv(wildDs.secureJsonData.httpHeaderValue1, env)).toBe('Bearer hpcat_secret');
  });

  it('provides the dashboards from a file provider at the path grafana/README.md mounts them on', () => {
    expect(providers.apiVersion).toBe(1);
    expect(providers.providers).toHaveLength(1);
    const [provider] = providers.providers;
    expect(provider.type).toBe('file');
    expect(provider.name).toBeTruthy();
    expect(path.isAbsolute(provider.options.path)).toBe(true);
    expect(readFileSync(path.join(GRAFANA, 'README.md'), 'utf8')).toContain(`grafana/dashboards:${provider.options.path}`);
  });

  it.each(Object.entries(DASHBOARDS))('%s: has what Grafana loads a dashboard by', (kind, d) => {
    const ds = kind === 'infinity' ? infinityDs : wildDs;
    expect(d.title).toMatch(/^Cluster usage/);
    expect(d.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    expect(d.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(d.id ?? null).toBeNull();
    expect(d.time).toEqual({ from: 'now-30d', to: 'now' });
    const ids = panelsOf(d).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every(Number.isInteger)).toBe(true);
    for (const p of panelsOf(d)) {
      expect(['timeseries', 'barchart', 'table']).toContain(p.type);
      expect(p.title).toBeTruthy();
      for (const k of ['h', 'w', 'x', 'y']) expect(Number.isInteger(p.gridPos[k]), `${p.title} gridPos.${k}`).toBe(true);
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      expect(p.datasource).toEqual({ type: ds.type, uid: ds.uid });
      expect(p.targets.length).toBeGreaterThan(0);
      const refIds = p.targets.map((t: any) => t.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
      for (const t of p.targets) {
        expect(t.refId).toMatch(/^[A-Z]$/);
        expect(t.datasource).toEqual({ type: ds.type, uid: ds.uid });
      }
    }
    const titles = panelsOf(d).map((p) => p.title);
    for (const want of ['CPU-hours per account', 'GPU-hours per account', 'Cost per month by tier', 'Jobs per day by state', 'Top 10 users by CPU-hours']) {
      expect(titles).toContain(want);
    }
  });

  it('gives the two dashboards different uids and titles (one folder holds them both)', () => {
    expect(DASHBOARDS.infinity.uid).not.toBe(DASHBOARDS.wild.uid);
    expect(DASHBOARDS.infinity.title).not.toBe(DASHBOARDS.wild.title);
  });

  it('Infinity targets hold the query model pkg/models/query.go reads', () => {
    for (const { panel, target } of targetsOf(DASHBOARDS.infinity)) {
      expect(target).toMatchObject({ type: 'graphql', source: 'url', parser: 'backend', url: '/graphql' });
      expect(target.url_options).toMatchObject({ method: 'POST', body_type: 'graphql', body_content_type: 'application/json' });
      expect(target.format).toBe(panel.type === 'table' ? 'table' : 'timeseries');
      expect(target.root_selector).toMatch(/^data\.(usageSeries|usage)$/);
      for (const c of target.columns) expect(['string', 'number', 'timestamp']).toContain(c.type);
      if (target.format === 'timeseries') {
        expect(target.columns.find((c: any) => c.selector === 'time')?.type).toBe('timestamp');
        expect(target.url_options.body_graphql_query).toContain('from: ${__from}, to: ${__to}');
        expect(target.url_options.body_graphql_query).toContain('fillZeros: true');
      }
      for (const c of target.columns) {
        if (['jobs', 'cpuHours', 'gpuHours', 'memGBHours', 'elapsedHours', 'costValue'].includes(c.selector)) expect(c.type).toBe('number');
      }
    }
  });

  it('Wild targets hold the query model pkg/plugin/querymodel/querymodel.go reads', () => {
    for (const { panel, target } of targetsOf(DASHBOARDS.wild)) {
      expect(typeof target.queryText).toBe('string');
      expect(target.queryText).toMatch(/\$from: DateTime!, \$to: DateTime!/);
      expect(target.parsingOptions.length).toBeGreaterThan(0);
      for (const o of target.parsingOptions) {
        expect(typeof o.dataPath).toBe('string');
        if (panel.type === 'timeseries') {
          expect(o.dataPath).toBe('usageSeries');
          expect(o.timeFields).toEqual([{ timePath: 'time' }]);
          expect(target.queryText).toContain('fillZeros: true');
        }
      }
    }
  });

  it('every query is valid against schema.graphql once interpolated', () => {
    const range = { name: 'check', from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 1, 1) };
    const texts = [
      ...targetsOf(DASHBOARDS.infinity).map(({ panel, target }) => interpolateInfinity(target.url_options.body_graphql_query, range, intervalFor(panel, range).intervalMs)),
      ...targetsOf(DASHBOARDS.wild).map(({ target }) => target.queryText),
    ];
    for (const text of texts) expect(validate(schema, parse(text)).map((e) => e.message), text).toEqual([]);
  });
});

// ---------- the requests, against a running server with the demo data ----------

let t: TestApp;
let base: string;
const tokens: Record<'admin' | 'user', string> = { admin: '', user: '' };

/**
 * "Now" for the ranges. The demo jobs have fixed dates (server/demo/jobs.csv); when today is more than ~10 months
 * past them, "last 1 year" would miss them, so the ranges end a day after the last demo job instead.
 */
const DEMO_LAST = Math.max(...(readFileSync(path.join(ROOT, 'server/demo/jobs.csv'), 'utf8').match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/g) ?? []).map((s) => Date.parse(`${s}Z`)));
const NOW = Date.now() >= DEMO_LAST && Date.now() - DEMO_LAST < 300 * DAY ? Date.now() : DEMO_LAST + DAY;
const RANGES: Range[] = [
  { name: 'last 30 days', from: NOW - 30 * DAY, to: NOW },
  { name: 'last 1 year', from: NOW - 365 * DAY, to: NOW },
];

beforeAll(async () => {
  t = await startTestApp({ DEMO: '1' });
  base = `http://127.0.0.1:${(await t.app.start()).port}`;
  await t.app.syncNow('startup');
  for (const [kind, username, role] of [['admin', 'admin', 'admin'], ['user', 'alice', 'user']] as const) {
    await t.cookieFor(username, role);
    const u = await t.app.db.user.findUniqueOrThrow({ where: { username } });
    const viewer: SessionViewer = { id: u.id, username, role: u.role as SessionViewer['role'], tier: u.tier as SessionViewer['tier'] };
    tokens[kind] = (await createApiToken(t.app.db, viewer, 'grafana', null, systemMeta(username))).token;
  }
});
afterAll(() => t?.close());

async function post(headers: Record<string, string>, body: string) {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers, body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, type: res.headers.get('content-type'), body: json };
}

/** Exactly what Infinity's backend sends for a target (client.go, headers.go, ApplyBearerToken). */
function infinityRequest(target: any, panel: any, range: Range, token: string) {
  const { intervalMs } = intervalFor(panel, range);
  const query = interpolateInfinity(target.url_options.body_graphql_query, range, intervalMs);
  const raw = target.url_options.body_graphql_variables;
  return {
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json;q=0.9,text/plain',
      'Accept-Encoding': 'gzip',
      Authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query, variables: raw ? JSON.parse(raw) : null }),
  };
}

/** Exactly what Wild's backend sends (graphql.go ToRequest, variables.go AutoPopulateVariables, the custom header). */
function wildRequest(target: any, panel: any, range: Range, token: string) {
  const { intervalMs, maxDataPoints } = intervalFor(panel, range);
  const variables = { from: range.from, interval_ms: intervalMs, maxDataPoints, refId: target.refId, to: range.to, ...(target.variables ?? {}) };
  return {
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: target.queryText, variables, ...(target.operationName ? { operationName: target.operationName } : {}) }),
  };
}

const PLUGINS = [
  ['Infinity', DASHBOARDS.infinity, infinityRequest, parseInfinity],
  ['Wild GraphQL', DASHBOARDS.wild, wildRequest, parseWild],
] as const;

/** The top-users table asks for everyone's usage: staff only, so a user's token is refused there (its description says so). */
const staffOnly = (target: any) => /\busage\s*\(/.test(target.queryText ?? target.url_options?.body_graphql_query);

describe.each(PLUGINS)('%s dashboard against the server', (_name, dashboard, request, parseReply) => {
  describe.each(RANGES)('$name', (range) => {
    it.each(panelsOf(dashboard).map((p) => [p.title, p] as const))('%s: answers an admin token as the plugin reads it', async (_title, panel) => {
      for (const target of panel.targets) {
        const { headers, body } = request(target, panel, range, tokens.admin);
        const reply = await post(headers, body);
        expect(reply.status, JSON.stringify(reply.body.errors)).toBe(200);
        expect(reply.type).toMatch(/^application\/json/);
        const { rows, nonZero } = parseReply(reply.body, target, panel);
        expect(rows).toBeGreaterThan(0);
        // The demo jobs fall in the last year; thirty days may hold only zeros (fillZeros), depending on today.
        if (range.name === 'last 1 year') expect(nonZero, `${panel.title}: all zero over a year of demo jobs`).toBeGreaterThan(0);
      }
    });

    it.each(panelsOf(dashboard).map((p) => [p.title, p] as const))('%s: answers a user token with their own jobs, or a readable refusal', async (_title, panel) => {
      for (const target of panel.targets) {
        const { headers, body } = request(target, panel, range, tokens.user);
        const reply = await post(headers, body);
        expect(reply.status).toBe(200);
        if (staffOnly(target)) {
          expect(reply.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
          expect(reply.body.errors[0].message).toBeTruthy();
          continue;
        }
        const { nonZero } = parseReply(reply.body, target, panel);
        if (range.name === 'last 1 year') expect(nonZero).toBeGreaterThan(0);
      }
    });
  });
});

describe('the plugins’ own requests', () => {
  it('passes the Wild GraphQL health check with the provisioned header', async () => {
    const reply = await post(
      { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${tokens.user}` },
      JSON.stringify({ query: '{\n\t\t  __schema{\n\t\t    queryType{name}\n\t\t  }\n\t\t}', variables: {} }),
    );
    expect(reply.status).toBe(200);
    expect(reply.body.errors).toBeUndefined();
    expect(reply.body.data.__schema.queryType.name).toBe('Query');
  });

  it('answers a query the panels share with the same rows through either plugin', async () => {
    const range = RANGES[1];
    const cpu = (d: any) => panelsOf(d).find((p) => p.title === 'CPU-hours per account');
    const inf = cpu(DASHBOARDS.infinity);
    const wild = cpu(DASHBOARDS.wild);
    const a = await post(...(Object.values(infinityRequest(inf.targets[0], inf, range, tokens.admin)) as [Record<string, string>, string]));
    const b = await post(...(Object.values(wildRequest(wild.targets[0], wild, range, tokens.admin)) as [Record<string, string>, string]));
    expect(a.body.data.usageSeries.length).toBeGreaterThan(0);
    expect(a.body.data.usageSeries).toEqual(b.body.data.usageSeries);
  });

  it('answers a revoked or unknown token with 401, which both plugins report as a failed request', async () => {
    const inf = panelsOf(DASHBOARDS.infinity)[0];
    const { headers, body } = infinityRequest(inf.targets[0], inf, RANGES[0], `hpcat_${'x'.repeat(39)}`);
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers, body });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });
});
