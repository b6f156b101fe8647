import { AccountsQuery, MyAccountsQuery } from '$lib/graphql/accounts';
import { serverQuery } from '$lib/server/graphql';
import type { PageServerLoad } from './$types';

/** The accounts the viewer may open (staff: all, searchable), and those they belong to. */
export const load: PageServerLoad = async (event) => {
  const search = event.url.searchParams.get('q')?.trim() || null;
  const [accounts, mine] = await Promise.all([serverQuery(event, AccountsQuery, { search }), serverQuery(event, MyAccountsQuery, {})]);
  return { search, accounts: accounts.data?.accounts ?? [], memberOf: mine.data?.myAccounts ?? [], code: accounts.code };
};
