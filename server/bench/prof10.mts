import Database from 'better-sqlite3';
import { seriesBuckets } from '../src/rollups/series.ts';
import { sumRollups } from '../src/rollups/sum.ts';
const NOW = new Date('2026-11-26T00:00:00Z');
const db = new Database(process.argv[2], { readonly: true });
db.defaultSafeIntegers(true);
const b = seriesBuckets({ from: new Date(NOW.getTime() - 365 * 86400_000), to: NOW, bucket: 'DAY', timeZone: 'UTC', maxRows: 10000 });
for (const [label, groups, filter] of [['everyone', [], {}], ['by account', [{ name: 'account', of: 'account' }], {}], ['own', [], { user: 'alice0' }], ['by user month', [{ name: 'user', of: 'user' }, { name: 'month', of: 'month' }], {}]] as const) {
  let captured: any;
  const fake: any = { $queryRaw: async (sql: any) => { captured = sql; return [{ zone: 'UTC' }]; } };
  await sumRollups(fake, label === 'by user month' ? [{ key: 0, from: null, to: null }] : b.map(([s, e]) => ({ key: s, from: s, to: e })), { groups: groups as any, filter: filter as any }, 10001);
  const st = db.prepare(captured.sql);
  st.all(...captured.values);
  let best = 1e9; for (let i = 0; i < 5; i++) { const t = performance.now(); st.all(...captured.values); best = Math.min(best, performance.now() - t); }
  console.log(label, best.toFixed(1), st.all(...captured.values).length);
  console.log(db.prepare('EXPLAIN QUERY PLAN ' + captured.sql).all(...captured.values).map((r: any) => '   ' + r.detail).join('\n'));
}
