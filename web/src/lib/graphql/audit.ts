import { graphql } from './generated';
import type { AuditEntriesQuery as AuditEntries } from './generated/graphql';

export const AuditEntriesQuery = graphql(`
  query AuditEntries($filter: AuditFilter, $first: Int, $beforeId: Int) {
    auditEntries(filter: $filter, first: $first, beforeId: $beforeId) {
      id
      ts
      actor
      ip
      userAgent
      method
      path
      action
      target
      status
      extra
    }
  }
`);

export const VerifyAuditChainQuery = graphql(`
  query VerifyAuditChain {
    verifyAuditChain {
      ok
      checked
      firstBrokenId
      reason
    }
  }
`);

export type AuditEntry = AuditEntries['auditEntries'][number];
