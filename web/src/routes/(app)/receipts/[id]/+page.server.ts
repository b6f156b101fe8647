import { error } from '@sveltejs/kit';
import { ReceiptQuery } from '$lib/graphql/receipts';
import { serverQuery } from '$lib/server/graphql';
import type { PageServerLoad } from './$types';

/** Read on the server, so the first HTML is the whole receipt (and it prints without JavaScript). */
export const load: PageServerLoad = async (event) => {
  if (!/^\d{1,9}$/.test(event.params.id)) error(404, 'Not found');
  const id = Number(event.params.id);
  const result = await serverQuery(event, ReceiptQuery, { id, lang: event.locals.locale === 'th' ? 'th' : 'en' });
  if (result.code === 'NOT_FOUND' || (result.data && !result.data.receipt)) error(404, 'Not found');
  return { id, receipt: result.data?.receipt ?? null, code: result.code };
};
