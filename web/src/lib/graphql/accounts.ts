import { graphql } from './generated';

export const AccountsQuery = graphql(`
  query Accounts($search: String) {
    accounts(search: $search) {
      name
      description
      organization
      parent
      tier
      removedAt
      members {
        username
        role
      }
      unbilled {
        jobs
        cost
      }
      budgets {
        id
        period
        limit
        current {
          label
          percentUsed
        }
      }
    }
  }
`);

export const MyAccountsQuery = graphql(`
  query MyAccounts {
    myAccounts {
      name
      description
      parent
    }
  }
`);

/** Whether the viewer coordinates any account (the nav offers the accounts pages then). */
export const ManagedAccountsQuery = graphql(`
  query ManagedAccounts {
    accounts {
      name
    }
  }
`);

export const AccountQuery = graphql(`
  query Account($name: String!, $history: Boolean!) {
    account(name: $name) {
      name
      description
      organization
      parent
      tier
      syncedAt
      removedAt
      viewerCanBill
      viewerCanManage
      members(history: $history) {
        username
        role
        source
        since
        until
        setBy
      }
      unbilled {
        jobs
        cpuHours
        gpuHours
        memGBHours
        cost
      }
      receipts(first: 20) {
        id
        invoiceNumber
        createdAt
        cutoff
        total
        status
        itemCount
      }
      budgets {
        id
        period
        limit
        thresholds
        notifyEmails
        current {
          label
          start
          end
          spent
          remaining
          percentUsed
          averageDaily
          projectedSpend
          projectedExhaustion
          elapsedDays
          totalDays
          burnDown {
            day
            cumulative
          }
        }
        alerts {
          id
          threshold
          spent
          createdAt
          periodStart
        }
      }
    }
  }
`);

export const CreateAccountReceiptMutation = graphql(`
  mutation CreateAccountReceipt($input: CreateAccountReceiptInput!) {
    createAccountReceipt(input: $input) {
      id
      total
      itemCount
    }
  }
`);

export const SetAccountPiMutation = graphql(`
  mutation SetAccountPi($input: SetAccountPiInput!) {
    setAccountPi(input: $input) {
      name
    }
  }
`);

export const SetAccountPricingTierMutation = graphql(`
  mutation SetAccountPricingTier($input: SetAccountPricingTierInput!) {
    setAccountPricingTier(input: $input) {
      name
      tier
    }
  }
`);

export const SetBudgetMutation = graphql(`
  mutation SetBudget($input: SetBudgetInput!) {
    setBudget(input: $input) {
      id
    }
  }
`);

export const DeleteBudgetMutation = graphql(`
  mutation DeleteBudget($id: Int!) {
    deleteBudget(id: $id) {
      id
    }
  }
`);

export const QuoteJobQuery = graphql(`
  query QuoteJob($input: QuoteJobInput!) {
    quoteJob(input: $input) {
      kind
      tier
      hours
      arrayTasks
      total
      cpuPerHour
      gpuPerHour
      memGBPerHour
      warnings
      request {
        nodes
        ntasks
        cpusPerTask
        cpus
        gpus
        gpuType
        memMiB
        timeSeconds
        partition
        account
        qos
        jobName
        arrayTasks
        exclusive
      }
      perTask {
        cpuHours
        gpuHours
        memGBHours
        cpuCost
        gpuCost
        memCost
        cost
      }
    }
  }
`);

export const ReconciliationQuery = graphql(`
  query Reconciliation($month: String!, $cluster: String) {
    reconciliation(month: $month, cluster: $cluster) {
      cluster
      month
      from
      to
      tolerance
      differences
      rows {
        account
        worstRelative
        withinTolerance
        ledger {
          cpuHours
          gpuHours
          memGBHours
        }
        slurm {
          cpuHours
          gpuHours
          memGBHours
        }
        diff {
          cpuHours
          gpuHours
          memGBHours
        }
      }
    }
  }
`);
