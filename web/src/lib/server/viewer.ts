import { print } from 'graphql';
import type { RequestEvent } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { graphql } from '$lib/graphql/generated';
import { CSRF_HEADERS } from '$lib/graphql/headers';
import type { Viewer } from '$lib/viewer';

const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      id
      username
      role
      tier
    }
  }
`);

/**
 * The API server resolves the session cookie before it hands a request to this app and leaves the viewer on
 * the Node request (adapter-node passes it as `platform.req`). Without it (`vite dev`, or the build run on
 * its own) ask the API who the cookie belongs to.
 */
export async function resolveViewer(event: RequestEvent): Promise<Viewer | null> {
  const req = event.platform?.req;
  if (req && 'viewer' in req) return req.viewer ?? null;
  if (!event.request.headers.get('cookie')) return null;
  return fetchViewer(event.request.headers.get('cookie') ?? '');
}

async function fetchViewer(cookie: string): Promise<Viewer | null> {
  const origin = env.API_ORIGIN || 'http://localhost:3000';
  try {
    const response = await fetch(new URL('/graphql', origin), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', cookie, ...CSRF_HEADERS },
      body: JSON.stringify({ query: print(ViewerQuery), operationName: 'Viewer' }),
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) return null;
    const { data } = (await response.json()) as { data?: { viewer: { id: string; username: string; role: Viewer['role']; tier: Viewer['tier'] } | null } };
    const viewer = data?.viewer;
    return viewer ? { ...viewer, id: Number(viewer.id) } : null;
  } catch (error) {
    console.warn(`[web] could not ask ${origin}/graphql for the viewer:`, error instanceof Error ? error.message : error);
    return null;
  }
}
