import { error } from '@sveltejs/kit';
import { AccountQuery } from '$lib/graphql/accounts';
import { serverQuery } from '$lib/server/graphql';
import { loadAccountSeries } from '$lib/server/series';
import type { PageServerLoad } from './$types';

/** Read on the server, so the first HTML holds the account, its budgets and its charts. */
export const load: PageServerLoad = async (event) => {
  const name = event.params.name;
  const history = event.url.searchParams.get('history') === '1';
  const [result, charts] = await Promise.all([serverQuery(event, AccountQuery, { name, history }), loadAccountSeries(event, name)]);
  if (result.code === 'NOT_FOUND') error(404, 'Not found');
  if (result.code === 'FORBIDDEN') error(403, 'This account is not yours to see');
  return { name, history, account: result.data?.account ?? null, code: result.code, charts };
};
