import { graphql } from './generated';
import type { TierChangeFieldsFragment as TierChangeFields, UsersQuery as UsersResult } from './generated/graphql';

export const UsersQuery = graphql(`
  query Users($filter: UserFilter, $first: Int, $after: String) {
    users(filter: $filter, first: $first, after: $after) {
      nodes {
        username
        tier
        tierIsDefault
        role
        roleSource
        lastLoginAt
        finishedJobs
        unbilled {
          jobs
          cost
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      viewerCanSetTier
    }
  }
`);

/** What the confirmation shows, from the preview, and then from the change itself. */
export const TierChangeFieldsFragment = graphql(`
  fragment TierChangeFields on TierChange {
    tier
    account
    userCount
    usersChanged
    users(first: 200) {
      username
      fromTier
      toTier
      changed
    }
    unbilledBefore {
      jobs
      cost
    }
    unbilledAfter {
      jobs
      cost
    }
  }
`);

export const TierChangePreviewQuery = graphql(`
  query TierChangePreview($input: TierChangeInput!) {
    tierChangePreview(input: $input) {
      ...TierChangeFields
    }
  }
`);

export const SetUserTierMutation = graphql(`
  mutation SetUserTier($input: SetUserTierInput!) {
    setUserTier(input: $input) {
      ...TierChangeFields
    }
  }
`);

export const SetAccountTierMutation = graphql(`
  mutation SetAccountTier($input: SetAccountTierInput!) {
    setAccountTier(input: $input) {
      ...TierChangeFields
    }
  }
`);

export type UserRow = UsersResult['users']['nodes'][number];
export type TierChange = TierChangeFields;
