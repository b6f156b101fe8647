import { untrack } from 'svelte';
import { getContextClient } from '@urql/svelte';
import type { AnyVariables, CombinedError, TypedDocumentNode } from '@urql/core';

export interface Page<Item, Variables> {
  items: Item[];
  /** The variables of the next (older) page, or null on the last one. */
  next: Variables | null;
}

export interface PagesState<Item> {
  readonly items: Item[];
  readonly error: CombinedError | undefined;
  /** The first page is on its way (after a filter change, the previous rows stay until it arrives). */
  readonly fetching: boolean;
  readonly loadingMore: boolean;
  readonly hasMore: boolean;
  loadMore(): void;
  reload(): void;
}

/**
 * A list fetched a page at a time ("Load more"): the first page whenever `first()` changes, then each
 * following page appended. Pages are always asked of the network, so a list never mixes old and new pages;
 * an answer for variables that are no longer current is dropped.
 */
export function usePages<Data, Variables extends AnyVariables, Item>(
  document: TypedDocumentNode<Data, Variables>,
  first: () => Variables | null,
  read: (data: Data, variables: Variables) => Page<Item, Variables>,
): PagesState<Item> {
  const client = getContextClient();
  let items = $state.raw<Item[]>([]);
  let next = $state.raw<Variables | null>(null);
  let error = $state.raw<CombinedError | undefined>(undefined);
  let fetching = $state(true);
  let loadingMore = $state(false);
  let reloads = $state(0);
  let generation = 0;

  async function fetchPage(variables: Variables, current: number, append: boolean) {
    const result = await client.query(document, variables, { requestPolicy: 'network-only' }).toPromise();
    if (current !== generation) return;
    error = result.error;
    if (result.data) {
      const page = read(result.data, variables);
      items = append ? [...items, ...page.items] : page.items;
      next = page.next;
    }
  }

  $effect(() => {
    const variables = first();
    void reloads;
    if (variables === null) {
      fetching = false;
      return;
    }
    untrack(() => {
      const current = ++generation;
      fetching = true;
      loadingMore = false;
      void fetchPage(variables, current, false).finally(() => {
        if (current === generation) fetching = false;
      });
    });
  });

  return {
    get items() {
      return items;
    },
    get error() {
      return error;
    },
    get fetching() {
      return fetching;
    },
    get loadingMore() {
      return loadingMore;
    },
    get hasMore() {
      return next !== null;
    },
    loadMore() {
      if (!next || loadingMore || fetching) return;
      const current = generation;
      loadingMore = true;
      void fetchPage(next, current, true).finally(() => {
        if (current === generation) loadingMore = false;
      });
    },
    reload() {
      reloads += 1;
    },
  };
}
