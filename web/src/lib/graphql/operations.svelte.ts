import { untrack } from 'svelte';
import { getContextClient } from '@urql/svelte';
import type { AnyVariables, CombinedError, RequestPolicy, TypedDocumentNode } from '@urql/core';

export interface QueryState<Data> {
  readonly data: Data | undefined;
  readonly error: CombinedError | undefined;
  readonly fetching: boolean;
  /** Ask the server again, bypassing the cache (e.g. after a reconnect). */
  refetch(): void;
}

/**
 * Runs a query in the browser and re-runs it when the variables read by `variables()` change.
 * Effects do not run during a server render, so a page renders its loading state there and fetches on the
 * client, with the cookie of the user who is looking at it. Return null from `variables` to pause.
 */
export function useQuery<Data, Variables extends AnyVariables>(
  document: TypedDocumentNode<Data, Variables>,
  variables: () => Variables | null,
  options: {
    requestPolicy?: RequestPolicy;
    /**
     * Types this query lists: a mutation returning one refetches it even while the list is empty (urql's
     * document cache only knows the types it has seen in an answer).
     */
    additionalTypenames?: string[];
  } = {},
): QueryState<Data> {
  const client = getContextClient();
  let data = $state.raw<Data | undefined>(undefined);
  let error = $state.raw<CombinedError | undefined>(undefined);
  let fetching = $state(true);
  let reloads = $state(0);

  $effect(() => {
    const vars = variables();
    const forced = reloads > 0;
    if (vars === null) {
      fetching = false;
      return;
    }
    return untrack(() => {
      fetching = true;
      const requestPolicy = forced ? 'network-only' : (options.requestPolicy ?? 'cache-and-network');
      const context = options.additionalTypenames ? { requestPolicy, additionalTypenames: options.additionalTypenames } : { requestPolicy };
      const subscription = client.query(document, vars, context).subscribe((result) => {
        data = result.data;
        error = result.error;
        fetching = Boolean(result.stale);
      });
      return () => subscription.unsubscribe();
    });
  });

  return {
    get data() {
      return data;
    },
    get error() {
      return error;
    },
    get fetching() {
      return fetching;
    },
    refetch() {
      reloads += 1;
    },
  };
}

/** Calls `onData` for every event of a subscription, for as long as the component lives (browser only). */
export function useSubscription<Data, Variables extends AnyVariables>(
  document: TypedDocumentNode<Data, Variables>,
  variables: () => Variables | null,
  onData: (data: Data) => void,
): void {
  const client = getContextClient();
  $effect(() => {
    const vars = variables();
    if (vars === null) return;
    return untrack(() => {
      const subscription = client.subscription(document, vars).subscribe((result) => {
        if (result.data) onData(result.data);
      });
      return () => subscription.unsubscribe();
    });
  });
}
