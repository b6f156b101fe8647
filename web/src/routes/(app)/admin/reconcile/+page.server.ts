import { ReconciliationQuery } from '$lib/graphql/accounts';
import { ClustersQuery } from '$lib/graphql/sync';
import { serverQuery } from '$lib/server/graphql';
import type { PageServerLoad } from './$types';

/** Last month unless the URL names one (?month=YYYY-MM); compared only when asked (?month is set). */
export const load: PageServerLoad = async (event) => {
  const now = new Date();
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const fallback = `${last.getUTCFullYear()}-${String(last.getUTCMonth() + 1).padStart(2, '0')}`;
  const asked = event.url.searchParams.get('month');
  const cluster = event.url.searchParams.get('cluster') || null;
  const clusters = (await serverQuery(event, ClustersQuery, {})).data?.clusters ?? [];
  if (!asked) return { month: fallback, cluster, clusters, result: null, code: null };
  const result = await serverQuery(event, ReconciliationQuery, { month: asked, cluster });
  return { month: asked, cluster, clusters, result: result.data?.reconciliation ?? null, code: result.code };
};
