import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
  if (!locals.viewer) redirect(303, '/login');
  if (locals.viewer.role !== 'admin') redirect(303, '/playground');
  return {};
};
