import { graphql } from './generated';
import type { ReceiptsQuery as Receipts } from './generated/graphql';

/** What every receipt list and page shows of a receipt. */
export const ReceiptFieldsFragment = graphql(`
  fragment ReceiptFields on Receipt {
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
`);

export const MyReceiptsQuery = graphql(`
  query MyReceipts {
    myReceipts {
      ...ReceiptFields
    }
  }
`);

/** Everyone's receipts (staff), newest first. */
export const ReceiptsQuery = graphql(`
  query Receipts($status: ReceiptStatus, $user: String) {
    receipts(status: $status, user: $user) {
      ...ReceiptFields
    }
  }
`);

export const ReceiptQuery = graphql(`
  query Receipt($id: Int!) {
    receipt(id: $id) {
      ...ReceiptFields
      createdBy
      csvUrl
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
