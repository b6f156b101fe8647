import { graphql } from './generated';
import type { ReceiptsQuery as Receipts } from './generated/graphql';

export const MyReceiptsQuery = graphql(`
  query MyReceipts {
    myReceipts {
      id
      user
      tier
      createdAt
      cutoff
      itemCount
      total
      status
      paidAt
      viewerCanMarkPaid
    }
  }
`);

/** Everyone's receipts (staff), newest first. */
export const ReceiptsQuery = graphql(`
  query Receipts($status: ReceiptStatus, $user: String) {
    receipts(status: $status, user: $user) {
      id
      user
      tier
      createdAt
      cutoff
      itemCount
      total
      status
      paidAt
      paidBy
      viewerCanMarkPaid
    }
  }
`);

export const ReceiptQuery = graphql(`
  query Receipt($id: Int!) {
    receipt(id: $id) {
      id
      user
      tier
      createdAt
      createdBy
      cutoff
      itemCount
      total
      status
      paidAt
      paidBy
      csvUrl
      viewerCanMarkPaid
      items {
        billingKey
        cluster
        jobId
        jobName
        account
        partition
        state
        end
        elapsedSeconds
        cpuHours
        gpuHours
        memGBHours
        cpuPerHour
        gpuPerHour
        memGBPerHour
        cost
      }
    }
  }
`);

export const CreateReceiptMutation = graphql(`
  mutation CreateReceipt($input: CreateReceiptInput!) {
    createReceipt(input: $input) {
      id
      itemCount
      total
    }
  }
`);

export const MarkReceiptPaidMutation = graphql(`
  mutation MarkReceiptPaid($id: Int!) {
    markReceiptPaid(id: $id) {
      id
      status
      paidAt
      paidBy
      viewerCanMarkPaid
    }
  }
`);

export type ReceiptSummary = Receipts['receipts'][number];
