import { redirect } from '@sveltejs/kit';
import { loadOwnSeries } from '$lib/server/series';
import type { PageServerLoad } from './$types';

/** Staff's own usage: the same charts as /me (the series is filtered to the viewer, who would otherwise see everyone's). */
export const load: PageServerLoad = async (event) => {
  if (!event.locals.viewer) redirect(303, '/login');
  return { charts: await loadOwnSeries(event, event.locals.viewer.username) };
};
