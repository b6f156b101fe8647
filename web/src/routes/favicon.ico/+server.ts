import { read } from '$app/server';
import icon from '$lib/assets/favicon.ico';
import type { RequestHandler } from './$types';

// A route rather than a file in static/: the static file server has no type for .ico and sends none at all,
// which with `X-Content-Type-Options: nosniff` leaves the browser guessing.
export const GET: RequestHandler = () =>
  new Response(read(icon).body, {
    headers: { 'content-type': 'image/x-icon', 'cache-control': 'public, max-age=86400' },
  });
