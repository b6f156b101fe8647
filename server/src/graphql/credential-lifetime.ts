import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { ExecutionResult } from 'graphql';
import type { Context } from '../context.ts';
import { DomainError } from '../errors.ts';
import { toGraphQLError } from './errors.ts';

/** How often a live subscription re-checks a credential that no event ended (expiry, a change made by another replica). */
export const RECHECK_MS = 60_000;

/**
 * A subscription lives only as long as the session or API token it was opened with: logging
 * out or revoking the token ends it at once (the `credentialEnded` event), and expiry or any
 * change no event told us about is caught by a re-check every RECHECK_MS. The client gets one
 * UNAUTHENTICATED error and the subscription completes. On HTTP (SSE) and WebSocket alike.
 */
export function useCredentialLifetime(recheckMs = RECHECK_MS): Plugin<Context> {
  return {
    onSubscribe({ args }) {
      return {
        onSubscribeResult({ result, setResult }) {
          const ctx = args.contextValue as Context;
          if (!ctx.credential || !isAsyncIterable(result)) return;
          setResult(endWithCredential(result as AsyncIterable<ExecutionResult>, ctx, recheckMs));
        },
      };
    },
  };
}

async function* endWithCredential(source: AsyncIterable<ExecutionResult>, ctx: Context, recheckMs: number): AsyncGenerator<ExecutionResult> {
  const credential = ctx.credential!;
  const iterator = source[Symbol.asyncIterator]();
  let ended!: () => void;
  const end = new Promise<'ended'>((resolve) => {
    ended = () => resolve('ended');
  });
  const events = ctx.pubsub.subscribe('credentialEnded');
  void (async () => {
    for await (const e of events) {
      if (e.kind === credential.kind && e.id === credential.id) return ended();
    }
  })();
  const check = setInterval(() => {
    void ctx.services.credentialAlive(credential).then((alive) => (alive ? undefined : ended()), () => undefined);
  }, recheckMs);
  check.unref();
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), end]);
      if (next === 'ended') {
        yield { errors: [toGraphQLError(new DomainError('UNAUTHENTICATED', 'your session ended (logged out, revoked or expired): log in again to keep receiving updates'))] };
        return;
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    clearInterval(check);
    void events.return?.();
    void iterator.return?.();
  }
}
