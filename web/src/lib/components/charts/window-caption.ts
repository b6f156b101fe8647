import type { SelectedWindow } from '$lib/series/window';
import { bucketLabel } from '$lib/series/format';

/** "1 Nov 2026 – 30 Nov 2026": the first and last bucket a window shows, in the page's language. */
export function windowSpan(window: SelectedWindow | null, locale: string): { from: string; to: string } | null {
  const first = window?.buckets[0];
  const last = window?.buckets.at(-1);
  if (!window || !first || !last) return null;
  return { from: bucketLabel(first.date, window.bucket, locale, 'long'), to: bucketLabel(last.date, window.bucket, locale, 'long') };
}
