/** Display helpers. Amounts of money are already exact decimal strings and are shown as they are. */

const pad = (n: number) => String(n).padStart(2, '0');

/** Local time as YYYY-MM-DD HH:MM: unambiguous in both languages, sortable, no Buddhist-era surprise. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return `${formatDate(date)} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function formatDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Slurm's elapsed format, [D-]HH:MM:SS. */
export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const clock = `${pad(Math.floor((s % 86400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return days > 0 ? `${days}-${clock}` : clock;
}

/** Resource hours (Float in the API) to two decimals, for display only. */
export function formatHours(hours: number): string {
  return hours.toFixed(2);
}

/** A yyyy-mm-dd date input → the start of that day in the browser's time zone, as an ISO instant. */
export function startOfLocalDay(value: string | null): string | null {
  const match = value ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
