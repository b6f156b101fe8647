import { graphql } from './generated';
import type { ReceiptsQuery as Receipts } from './generated/graphql';

/** What every receipt list and page shows of a receipt. */
export const ReceiptFieldsFragment = graphql(`
  fragment ReceiptFields on Receipt {
    id
    user
    account
    invoiceNumber
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

/** The viewer's receipts, a page at a time in an order, with how many there are and what is still to pay. */
export const MyReceiptsQuery = graphql(`
  query MyReceipts($first: Int, $offset: Int, $orderBy: ReceiptOrder) {
    myReceipts(first: $first, offset: $offset, orderBy: $orderBy) {
      ...ReceiptFields
    }
    all: myReceiptTotals {
      count
    }
    pending: myReceiptTotals(status: pending) {
      count
      total
    }
  }
`);

/** Everyone's receipts (staff), a page at a time in an order, newest first unless asked. */
export const ReceiptsQuery = graphql(`
  query Receipts($status: ReceiptStatus, $user: String, $first: Int, $offset: Int, $orderBy: ReceiptOrder) {
    receipts(status: $status, user: $user, first: $first, offset: $offset, orderBy: $orderBy) {
      ...ReceiptFields
    }
    receiptTotals(status: $status, user: $user) {
      count
      total
    }
  }
`);

export const ReceiptQuery = graphql(`
  query Receipt($id: Int!, $lang: String) {
    receipt(id: $id) {
      ...ReceiptFields
      createdBy
      csvUrl
      invoice(lang: $lang) {
        title
        number
        issuedOn
        centerName
        centerAddress
        centerTaxId
        vatPercent
        subtotal
        vat
        total
        totalInWords
      }
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

/** Several pending receipts paid in one transaction: all of them, or none. */
export const MarkReceiptsPaidMutation = graphql(`
  mutation MarkReceiptsPaid($ids: [Int!]!) {
    markReceiptsPaid(ids: $ids) {
      id
      status
      paidAt
      paidBy
      viewerCanMarkPaid
    }
  }
`);

export type ReceiptSummary = Receipts['receipts'][number];
