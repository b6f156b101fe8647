import { redirect } from '@sveltejs/kit';
import { isStaff } from '$lib/viewer';
import type { LayoutServerLoad } from './$types';

/**
 * The admin area is for staff: operators read everyone's usage, receipts, rates and audit log; admins also
 * change them. Pages hide what the viewer cannot do from the schema's `viewerCan*` fields.
 */
export const load: LayoutServerLoad = ({ locals }) => {
  if (!locals.viewer) redirect(303, '/login');
  if (!isStaff(locals.viewer)) redirect(303, '/playground');
  return {};
};
