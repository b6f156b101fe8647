import type { Client, CombinedError } from '@urql/core';
import { describeError, errorCode, type ErrorMessage } from '$lib/graphql/errors';
import type { Tier } from '$lib/graphql/generated/graphql';
import { SetAccountTierMutation, SetUserTierMutation, TierChangePreviewQuery, type TierChange } from '$lib/graphql/users';

export type TierTarget = { username: string } | { account: string };

/**
 * A tier change confirmed with its own numbers: `begin` asks the server for the preview of the change, `confirm`
 * makes it. An answer to a preview that was replaced or cancelled meanwhile is dropped.
 */
export function createTierChange(client: Client) {
  let target = $state.raw<TierTarget | null>(null);
  let tier = $state<Tier | null>(null);
  let preview = $state.raw<TierChange | null>(null);
  let previewing = $state(false);
  let saving = $state(false);
  let error = $state.raw<ErrorMessage | null>(null);
  let generation = 0;

  // The generic "not found" does not say what was not found.
  const messageFor = (failure: CombinedError, of: TierTarget): ErrorMessage =>
    errorCode(failure) === 'NOT_FOUND'
      ? { key: 'username' in of ? 'users_error_unknown_user' : 'users_error_unknown_account', values: 'username' in of ? { username: of.username } : { account: of.account } }
      : describeError(failure);

  return {
    get target() {
      return target;
    },
    get tier() {
      return tier;
    },
    get preview() {
      return preview;
    },
    get previewing() {
      return previewing;
    },
    get saving() {
      return saving;
    },
    get error() {
      return error;
    },
    async begin(next: TierTarget, nextTier: Tier) {
      const current = ++generation;
      target = next;
      tier = nextTier;
      preview = null;
      error = null;
      previewing = true;
      const result = await client.query(TierChangePreviewQuery, { input: { ...next, tier: nextTier } }, { requestPolicy: 'network-only' }).toPromise();
      if (current !== generation) return;
      previewing = false;
      if (result.error || !result.data) error = result.error ? messageFor(result.error, next) : { key: 'errors.unexpected' };
      else preview = result.data.tierChangePreview;
    },
    /** The change as made, or null when it failed (the error is kept to show). */
    async confirm(): Promise<TierChange | null> {
      if (!target || !tier || saving) return null;
      const of = target;
      saving = true;
      error = null;
      const result =
        'username' in of
          ? await client.mutation(SetUserTierMutation, { input: { username: of.username, tier } }).toPromise().then((r) => ({ error: r.error, change: r.data?.setUserTier }))
          : await client.mutation(SetAccountTierMutation, { input: { account: of.account, tier } }).toPromise().then((r) => ({ error: r.error, change: r.data?.setAccountTier }));
      saving = false;
      if (result.error || !result.change) {
        error = result.error ? messageFor(result.error, of) : { key: 'errors.unexpected' };
        return null;
      }
      return result.change;
    },
    cancel() {
      generation++;
      target = null;
      tier = null;
      preview = null;
      previewing = false;
      error = null;
    },
  };
}

export type TierChangeState = ReturnType<typeof createTierChange>;
