import { ManagedAccountsQuery } from '$lib/graphql/accounts';
import { serverQuery } from '$lib/server/graphql';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
  const { locals } = event;
  // A user who coordinates a Slurm account (or is its PI) gets the accounts pages in their navigation; staff always do.
  const managesAccounts =
    locals.viewer?.role === 'user' ? ((await serverQuery(event, ManagedAccountsQuery, {})).data?.accounts.length ?? 0) > 0 : false;
  return { viewer: locals.viewer, locale: locals.locale, csrfToken: locals.csrfToken, managesAccounts };
};
