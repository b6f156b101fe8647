import { pino } from 'pino';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createSession } from '../src/auth/sessions.ts';
import { usageSeries } from '../src/rollups/series.ts';
import { usageFromRollups } from '../src/rollups/totals.ts';
const dir = process.argv[2];
const config = loadConfig({ DATABASE_URL: `file:${dir}/ledger.db`, INSTANCE_DIR: dir, ADMIN_PASSWORD: 'bench-admin-password', WEB_HANDLER: '', SYNC_INTERVAL_SEC: '0', PAM_ENABLED: '0', LOG_LEVEL: 'silent' });
const app = await buildApp(config, { logger: pino({ level: 'silent' }) });
const admin = await app.db.user.findUniqueOrThrow({ where: { username: 'admin' } });
const { token } = await createSession(app.db, admin.id, 1);
const NOW = new Date('2026-11-26T00:00:00Z');
const from = new Date(NOW.getTime() - 365 * 86400_000);
const q = { from, to: NOW, bucket: 'MONTH' as const, timeZone: 'UTC', groupBy: ['user'] as any, filter: {}, fillZeros: false, maxRows: 10000 };
const gql = `{ usageSeries(from: "${from.toISOString()}", to: "${NOW.toISOString()}", bucket: MONTH, groupBy: [user], timeZone: "UTC") { time account user jobs cpuHours gpuHours cost costValue } }`;
const post = async (query: string) => (await app.yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1', cookie: `session=${token}` }, body: JSON.stringify({ query }) })).json();
for (let i = 0; i < 6; i++) {
  let t = performance.now(); await usageSeries(app.db, q); const a = performance.now() - t;
  t = performance.now(); await post(gql); const b = performance.now() - t;
  t = performance.now(); await post('{ __typename }'); const c = performance.now() - t;
  t = performance.now(); await usageFromRollups(app.db, {}, ['user', 'month']); const d = performance.now() - t;
  t = performance.now(); await post('{ usage(groupBy: [user, month]) { user month totals { jobs cpuHours cost } } }'); const e = performance.now() - t;
  console.log({ series: a.toFixed(1), gql: b.toFixed(1), typename: c.toFixed(1), userMonth: d.toFixed(1), usageGql: e.toFixed(1) });
}
await app.stop();
