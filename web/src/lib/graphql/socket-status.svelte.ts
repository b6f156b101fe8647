import { getContext, setContext } from 'svelte';

/** Whether the graphql-ws socket is up, and how often it came back after a drop. */
export class SocketStatus {
  live = $state(false);
  /** Incremented on every reconnect: pages refetch what subscriptions may have missed while it was down. */
  reconnects = $state(0);
}

const KEY = Symbol('socket-status');

export function setSocketStatus(status: SocketStatus): void {
  setContext(KEY, status);
}

export function getSocketStatus(): SocketStatus {
  return getContext<SocketStatus>(KEY);
}
