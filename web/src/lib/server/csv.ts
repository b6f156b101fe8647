/** A CSV download: the app's exports are attachments, never cached (they hold someone's usage). */
export function csvResponse(csv: string, filename: string): Response {
  return new Response(csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename.replace(/[^\w.-]+/g, '_')}"`,
      'cache-control': 'no-store',
    },
  });
}

/** The same error statuses the API answers with, for a code from serverQuery. */
export function statusOf(code: string): number {
  return { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_INPUT: 400, TOO_COMPLEX: 400, NOT_FOUND: 404, NETWORK: 502 }[code] ?? 500;
}
