/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Accounts($search: String) {\n    accounts(search: $search) {\n      name\n      description\n      organization\n      parent\n      tier\n      removedAt\n      members {\n        username\n        role\n      }\n      unbilled {\n        jobs\n        cost\n      }\n      budgets {\n        id\n        period\n        limit\n        current {\n          label\n          percentUsed\n        }\n      }\n    }\n  }\n": typeof types.AccountsDocument,
    "\n  query MyAccounts {\n    myAccounts {\n      name\n      description\n      parent\n    }\n  }\n": typeof types.MyAccountsDocument,
    "\n  query ManagedAccounts {\n    accounts {\n      name\n    }\n  }\n": typeof types.ManagedAccountsDocument,
    "\n  query Account($name: String!, $history: Boolean!) {\n    account(name: $name) {\n      name\n      description\n      organization\n      parent\n      tier\n      syncedAt\n      removedAt\n      viewerCanBill\n      viewerCanManage\n      members(history: $history) {\n        username\n        role\n        source\n        since\n        until\n        setBy\n      }\n      unbilled {\n        jobs\n        cpuHours\n        gpuHours\n        memGBHours\n        cost\n      }\n      receipts(first: 20) {\n        id\n        invoiceNumber\n        createdAt\n        cutoff\n        total\n        status\n        itemCount\n      }\n      budgets {\n        id\n        period\n        limit\n        thresholds\n        notifyEmails\n        current {\n          label\n          start\n          end\n          spent\n          remaining\n          percentUsed\n          averageDaily\n          projectedSpend\n          projectedExhaustion\n          elapsedDays\n          totalDays\n          burnDown {\n            day\n            cumulative\n          }\n        }\n        alerts {\n          id\n          threshold\n          spent\n          createdAt\n          periodStart\n        }\n      }\n    }\n  }\n": typeof types.AccountDocument,
    "\n  mutation CreateAccountReceipt($input: CreateAccountReceiptInput!) {\n    createAccountReceipt(input: $input) {\n      id\n      total\n      itemCount\n    }\n  }\n": typeof types.CreateAccountReceiptDocument,
    "\n  mutation SetAccountPi($input: SetAccountPiInput!) {\n    setAccountPi(input: $input) {\n      name\n    }\n  }\n": typeof types.SetAccountPiDocument,
    "\n  mutation SetAccountPricingTier($input: SetAccountPricingTierInput!) {\n    setAccountPricingTier(input: $input) {\n      name\n      tier\n    }\n  }\n": typeof types.SetAccountPricingTierDocument,
    "\n  mutation SetBudget($input: SetBudgetInput!) {\n    setBudget(input: $input) {\n      id\n    }\n  }\n": typeof types.SetBudgetDocument,
    "\n  mutation DeleteBudget($id: Int!) {\n    deleteBudget(id: $id) {\n      id\n    }\n  }\n": typeof types.DeleteBudgetDocument,
    "\n  query QuoteJob($input: QuoteJobInput!) {\n    quoteJob(input: $input) {\n      kind\n      tier\n      hours\n      arrayTasks\n      total\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      warnings\n      request {\n        nodes\n        ntasks\n        cpusPerTask\n        cpus\n        gpus\n        gpuType\n        memMiB\n        timeSeconds\n        partition\n        account\n        qos\n        jobName\n        arrayTasks\n        exclusive\n      }\n      perTask {\n        cpuHours\n        gpuHours\n        memGBHours\n        cpuCost\n        gpuCost\n        memCost\n        cost\n      }\n    }\n  }\n": typeof types.QuoteJobDocument,
    "\n  query Reconciliation($month: String!, $cluster: String) {\n    reconciliation(month: $month, cluster: $cluster) {\n      cluster\n      month\n      from\n      to\n      tolerance\n      differences\n      rows {\n        account\n        worstRelative\n        withinTolerance\n        ledger {\n          cpuHours\n          gpuHours\n          memGBHours\n        }\n        slurm {\n          cpuHours\n          gpuHours\n          memGBHours\n        }\n        diff {\n          cpuHours\n          gpuHours\n          memGBHours\n        }\n      }\n    }\n  }\n": typeof types.ReconciliationDocument,
    "\n  query AuditEntries($filter: AuditFilter, $first: Int, $beforeId: Int) {\n    auditEntries(filter: $filter, first: $first, beforeId: $beforeId) {\n      id\n      ts\n      actor\n      ip\n      userAgent\n      method\n      path\n      action\n      target\n      status\n      extra\n    }\n  }\n": typeof types.AuditEntriesDocument,
    "\n  query VerifyAuditChain {\n    verifyAuditChain {\n      ok\n      checked\n      firstBrokenId\n      reason\n    }\n  }\n": typeof types.VerifyAuditChainDocument,
    "\n  fragment RateFields on Rate {\n    tier\n    cpuPerHour\n    gpuPerHour\n    memGBPerHour\n    updatedAt\n    updatedBy\n    viewerCanUpdate\n  }\n": typeof types.RateFieldsFragmentDoc,
    "\n  query Rates {\n    rates {\n      ...RateFields\n    }\n  }\n": typeof types.RatesDocument,
    "\n  subscription RateChanged {\n    rateChanged {\n      ...RateFields\n    }\n  }\n": typeof types.RateChangedDocument,
    "\n  mutation UpdateRate($input: UpdateRateInput!) {\n    updateRate(input: $input) {\n      ...RateFields\n    }\n  }\n": typeof types.UpdateRateDocument,
    "\n  query RateChangePreview($input: UpdateRateInput!) {\n    rateChangePreview(input: $input) {\n      tier\n      current {\n        cpuPerHour\n        gpuPerHour\n        memGBPerHour\n      }\n      next {\n        cpuPerHour\n        gpuPerHour\n        memGBPerHour\n      }\n      unbilledJobs\n      unbilledBefore {\n        cost\n      }\n      unbilledAfter {\n        cost\n      }\n      difference\n    }\n  }\n": typeof types.RateChangePreviewDocument,
    "\n  query RateHistory($last: Int) {\n    rateHistory(last: $last) {\n      id\n      tier\n      changedAt\n      changedBy\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      oldCpuPerHour\n      oldGpuPerHour\n      oldMemGBPerHour\n    }\n  }\n": typeof types.RateHistoryDocument,
    "\n  query RateRules {\n    rateRules {\n      id\n      tier\n      partition\n      gpuType\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      effectiveFrom\n      inForce\n    }\n  }\n": typeof types.RateRulesDocument,
    "\n  mutation CreateRateRule($input: CreateRateRuleInput!) {\n    createRateRule(input: $input) {\n      id\n      inForce\n    }\n  }\n": typeof types.CreateRateRuleDocument,
    "\n  mutation DeleteRateRule($id: Int!) {\n    deleteRateRule(id: $id) {\n      id\n    }\n  }\n": typeof types.DeleteRateRuleDocument,
    "\n  fragment ReceiptFields on Receipt {\n    id\n    user\n    account\n    invoiceNumber\n    tier\n    createdAt\n    cutoff\n    itemCount\n    total\n    status\n    paidAt\n    paidBy\n    viewerCanMarkPaid\n  }\n": typeof types.ReceiptFieldsFragmentDoc,
    "\n  query MyReceipts($first: Int, $offset: Int, $orderBy: ReceiptOrder) {\n    myReceipts(first: $first, offset: $offset, orderBy: $orderBy) {\n      ...ReceiptFields\n    }\n    all: myReceiptTotals {\n      count\n    }\n    pending: myReceiptTotals(status: pending) {\n      count\n      total\n    }\n  }\n": typeof types.MyReceiptsDocument,
    "\n  query Receipts($status: ReceiptStatus, $user: String, $first: Int, $offset: Int, $orderBy: ReceiptOrder) {\n    receipts(status: $status, user: $user, first: $first, offset: $offset, orderBy: $orderBy) {\n      ...ReceiptFields\n    }\n    receiptTotals(status: $status, user: $user) {\n      count\n      total\n    }\n  }\n": typeof types.ReceiptsDocument,
    "\n  query Receipt($id: Int!, $lang: String) {\n    receipt(id: $id) {\n      ...ReceiptFields\n      createdBy\n      csvUrl\n      invoice(lang: $lang) {\n        title\n        number\n        issuedOn\n        centerName\n        centerAddress\n        centerTaxId\n        vatPercent\n        subtotal\n        vat\n        total\n        totalInWords\n      }\n      items {\n        billingKey\n        cluster\n        jobId\n        jobName\n        account\n        partition\n        state\n        end\n        elapsedSeconds\n        cpuHours\n        gpuHours\n        memGBHours\n        cpuPerHour\n        gpuPerHour\n        memGBPerHour\n        cost\n      }\n    }\n  }\n": typeof types.ReceiptDocument,
    "\n  mutation CreateReceipt($input: CreateReceiptInput!) {\n    createReceipt(input: $input) {\n      id\n      itemCount\n      total\n    }\n  }\n": typeof types.CreateReceiptDocument,
    "\n  mutation MarkReceiptPaid($id: Int!) {\n    markReceiptPaid(id: $id) {\n      id\n      status\n      paidAt\n      paidBy\n      viewerCanMarkPaid\n    }\n  }\n": typeof types.MarkReceiptPaidDocument,
    "\n  mutation MarkReceiptsPaid($ids: [Int!]!) {\n    markReceiptsPaid(ids: $ids) {\n      id\n      status\n      paidAt\n      paidBy\n      viewerCanMarkPaid\n    }\n  }\n": typeof types.MarkReceiptsPaidDocument,
    "\n  query UsageSeries(\n    $from: DateTime!\n    $to: DateTime!\n    $bucket: SeriesBucket!\n    $groupBy: [SeriesGroup!]\n    $filter: SeriesFilter\n    $now: DateTime!\n    $nowEnd: DateTime!\n  ) {\n    series: usageSeries(from: $from, to: $to, bucket: $bucket, groupBy: $groupBy, filter: $filter, fillZeros: true) {\n      time\n      user\n      account\n      partition\n      tier\n      cluster\n      jobs\n      cpuHours\n      gpuHours\n      memGBHours\n      elapsedHours\n      cost\n      cpuCost\n      gpuCost\n      memCost\n      costValue\n      cpuCostValue\n      gpuCostValue\n      memCostValue\n    }\n    month: usageSeries(from: $now, to: $nowEnd, bucket: MONTH, fillZeros: true) {\n      time\n    }\n  }\n": typeof types.UsageSeriesDocument,
    "\n  query TopUsers($filter: JobFilter, $by: UsageMeasure!, $limit: Int!) {\n    usage(groupBy: [user], filter: $filter, orderBy: { by: $by }, limit: $limit) {\n      user\n      totals {\n        jobs\n        cpuHours\n        gpuHours\n        cost\n      }\n    }\n  }\n": typeof types.TopUsersDocument,
    "\n  fragment SyncRunFields on SyncRun {\n    id\n    cluster\n    source\n    status\n    trigger\n    jobCount\n    rangeFrom\n    rangeTo\n    startedAt\n    finishedAt\n    error\n    partialReason\n    attempts {\n      source\n      ok\n      reason\n      ms\n      count\n    }\n  }\n": typeof types.SyncRunFieldsFragmentDoc,
    "\n  query SyncRuns($first: Int, $after: String, $cluster: String, $status: String) {\n    syncRuns(first: $first, after: $after, cluster: $cluster, status: $status) {\n      edges {\n        node {\n          ...SyncRunFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      viewerCanSync\n    }\n  }\n": typeof types.SyncRunsDocument,
    "\n  query SyncStatus {\n    syncStatus {\n      cluster\n      watermark\n      running\n      lastOk {\n        id\n        finishedAt\n        source\n      }\n    }\n  }\n": typeof types.SyncStatusDocument,
    "\n  mutation SyncJobs($from: DateTime!, $to: DateTime, $cluster: String) {\n    syncJobs(from: $from, to: $to, cluster: $cluster) {\n      ...SyncRunFields\n    }\n  }\n": typeof types.SyncJobsDocument,
    "\n  subscription SyncProgress {\n    syncProgress {\n      trigger\n      cluster\n      from\n      to\n      chunksDone\n      chunksTotal\n      chunksFailed\n      jobsStored\n      jobsPerSecond\n      etaSeconds\n      chunkStatus\n      source\n    }\n  }\n": typeof types.SyncProgressDocument,
    "\n  query Clusters {\n    clusters\n  }\n": typeof types.ClustersDocument,
    "\n  fragment ApiTokenFields on ApiToken {\n    id\n    name\n    scope\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n  }\n": typeof types.ApiTokenFieldsFragmentDoc,
    "\n  query MyApiTokens {\n    myApiTokens {\n      ...ApiTokenFields\n    }\n  }\n": typeof types.MyApiTokensDocument,
    "\n  mutation CreateApiToken($name: String!, $expiresInDays: Int) {\n    createApiToken(name: $name, expiresInDays: $expiresInDays) {\n      token\n      apiToken {\n        ...ApiTokenFields\n      }\n    }\n  }\n": typeof types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: Int!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.RevokeApiTokenDocument,
    "\n  query JobsPage($filter: JobFilter, $first: Int, $after: String, $orderBy: JobOrder) {\n    jobs(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {\n      edges {\n        node {\n          key\n          receiptId\n          cluster\n          jobId\n          user\n          name\n          account\n          partition\n          state\n          end\n          elapsedSeconds\n          cost {\n            cpuHours\n            gpuHours\n            memGBHours\n            cost\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.JobsPageDocument,
    "\n  fragment TotalsFields on UsageTotals {\n    jobs\n    cpuHours\n    gpuHours\n    memGBHours\n    elapsedHours\n    cost\n  }\n": typeof types.TotalsFieldsFragmentDoc,
    "\n  query UsageTotals($filter: JobFilter) {\n    jobs(filter: $filter, first: 1) {\n      totals {\n        ...TotalsFields\n      }\n    }\n  }\n": typeof types.UsageTotalsDocument,
    "\n  query UsageBuckets($filter: JobFilter, $groupBy: [UsageGroup!]!) {\n    usage(filter: $filter, groupBy: $groupBy) {\n      user\n      month\n      account\n      partition\n      tier\n      cluster\n      totals {\n        ...TotalsFields\n      }\n    }\n  }\n": typeof types.UsageBucketsDocument,
    "\n  query DataSource {\n    dataSource {\n      id\n      source\n      status\n      trigger\n      jobCount\n      startedAt\n      finishedAt\n    }\n  }\n": typeof types.DataSourceDocument,
    "\n  query Users($filter: UserFilter, $first: Int, $after: String) {\n    users(filter: $filter, first: $first, after: $after) {\n      nodes {\n        username\n        tier\n        tierIsDefault\n        role\n        roleSource\n        lastLoginAt\n        finishedJobs\n        unbilled {\n          jobs\n          cost\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      viewerCanSetTier\n    }\n  }\n": typeof types.UsersDocument,
    "\n  fragment TierChangeFields on TierChange {\n    tier\n    account\n    userCount\n    usersChanged\n    users(first: 200) {\n      username\n      fromTier\n      toTier\n      changed\n    }\n    unbilledBefore {\n      jobs\n      cost\n    }\n    unbilledAfter {\n      jobs\n      cost\n    }\n  }\n": typeof types.TierChangeFieldsFragmentDoc,
    "\n  query TierChangePreview($input: TierChangeInput!) {\n    tierChangePreview(input: $input) {\n      ...TierChangeFields\n    }\n  }\n": typeof types.TierChangePreviewDocument,
    "\n  mutation SetUserTier($input: SetUserTierInput!) {\n    setUserTier(input: $input) {\n      ...TierChangeFields\n    }\n  }\n": typeof types.SetUserTierDocument,
    "\n  mutation SetAccountTier($input: SetAccountTierInput!) {\n    setAccountTier(input: $input) {\n      ...TierChangeFields\n    }\n  }\n": typeof types.SetAccountTierDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      username\n      role\n      tier\n    }\n  }\n": typeof types.ViewerDocument,
};
const documents: Documents = {
    "\n  query Accounts($search: String) {\n    accounts(search: $search) {\n      name\n      description\n      organization\n      parent\n      tier\n      removedAt\n      members {\n        username\n        role\n      }\n      unbilled {\n        jobs\n        cost\n      }\n      budgets {\n        id\n        period\n        limit\n        current {\n          label\n          percentUsed\n        }\n      }\n    }\n  }\n": types.AccountsDocument,
    "\n  query MyAccounts {\n    myAccounts {\n      name\n      description\n      parent\n    }\n  }\n": types.MyAccountsDocument,
    "\n  query ManagedAccounts {\n    accounts {\n      name\n    }\n  }\n": types.ManagedAccountsDocument,
    "\n  query Account($name: String!, $history: Boolean!) {\n    account(name: $name) {\n      name\n      description\n      organization\n      parent\n      tier\n      syncedAt\n      removedAt\n      viewerCanBill\n      viewerCanManage\n      members(history: $history) {\n        username\n        role\n        source\n        since\n        until\n        setBy\n      }\n      unbilled {\n        jobs\n        cpuHours\n        gpuHours\n        memGBHours\n        cost\n      }\n      receipts(first: 20) {\n        id\n        invoiceNumber\n        createdAt\n        cutoff\n        total\n        status\n        itemCount\n      }\n      budgets {\n        id\n        period\n        limit\n        thresholds\n        notifyEmails\n        current {\n          label\n          start\n          end\n          spent\n          remaining\n          percentUsed\n          averageDaily\n          projectedSpend\n          projectedExhaustion\n          elapsedDays\n          totalDays\n          burnDown {\n            day\n            cumulative\n          }\n        }\n        alerts {\n          id\n          threshold\n          spent\n          createdAt\n          periodStart\n        }\n      }\n    }\n  }\n": types.AccountDocument,
    "\n  mutation CreateAccountReceipt($input: CreateAccountReceiptInput!) {\n    createAccountReceipt(input: $input) {\n      id\n      total\n      itemCount\n    }\n  }\n": types.CreateAccountReceiptDocument,
    "\n  mutation SetAccountPi($input: SetAccountPiInput!) {\n    setAccountPi(input: $input) {\n      name\n    }\n  }\n": types.SetAccountPiDocument,
    "\n  mutation SetAccountPricingTier($input: SetAccountPricingTierInput!) {\n    setAccountPricingTier(input: $input) {\n      name\n      tier\n    }\n  }\n": types.SetAccountPricingTierDocument,
    "\n  mutation SetBudget($input: SetBudgetInput!) {\n    setBudget(input: $input) {\n      id\n    }\n  }\n": types.SetBudgetDocument,
    "\n  mutation DeleteBudget($id: Int!) {\n    deleteBudget(id: $id) {\n      id\n    }\n  }\n": types.DeleteBudgetDocument,
    "\n  query QuoteJob($input: QuoteJobInput!) {\n    quoteJob(input: $input) {\n      kind\n      tier\n      hours\n      arrayTasks\n      total\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      warnings\n      request {\n        nodes\n        ntasks\n        cpusPerTask\n        cpus\n        gpus\n        gpuType\n        memMiB\n        timeSeconds\n        partition\n        account\n        qos\n        jobName\n        arrayTasks\n        exclusive\n      }\n      perTask {\n        cpuHours\n        gpuHours\n        memGBHours\n        cpuCost\n        gpuCost\n        memCost\n        cost\n      }\n    }\n  }\n": types.QuoteJobDocument,
    "\n  query Reconciliation($month: String!, $cluster: String) {\n    reconciliation(month: $month, cluster: $cluster) {\n      cluster\n      month\n      from\n      to\n      tolerance\n      differences\n      rows {\n        account\n        worstRelative\n        withinTolerance\n        ledger {\n          cpuHours\n          gpuHours\n          memGBHours\n        }\n        slurm {\n          cpuHours\n          gpuHours\n          memGBHours\n        }\n        diff {\n          cpuHours\n          gpuHours\n          memGBHours\n        }\n      }\n    }\n  }\n": types.ReconciliationDocument,
    "\n  query AuditEntries($filter: AuditFilter, $first: Int, $beforeId: Int) {\n    auditEntries(filter: $filter, first: $first, beforeId: $beforeId) {\n      id\n      ts\n      actor\n      ip\n      userAgent\n      method\n      path\n      action\n      target\n      status\n      extra\n    }\n  }\n": types.AuditEntriesDocument,
    "\n  query VerifyAuditChain {\n    verifyAuditChain {\n      ok\n      checked\n      firstBrokenId\n      reason\n    }\n  }\n": types.VerifyAuditChainDocument,
    "\n  fragment RateFields on Rate {\n    tier\n    cpuPerHour\n    gpuPerHour\n    memGBPerHour\n    updatedAt\n    updatedBy\n    viewerCanUpdate\n  }\n": types.RateFieldsFragmentDoc,
    "\n  query Rates {\n    rates {\n      ...RateFields\n    }\n  }\n": types.RatesDocument,
    "\n  subscription RateChanged {\n    rateChanged {\n      ...RateFields\n    }\n  }\n": types.RateChangedDocument,
    "\n  mutation UpdateRate($input: UpdateRateInput!) {\n    updateRate(input: $input) {\n      ...RateFields\n    }\n  }\n": types.UpdateRateDocument,
    "\n  query RateChangePreview($input: UpdateRateInput!) {\n    rateChangePreview(input: $input) {\n      tier\n      current {\n        cpuPerHour\n        gpuPerHour\n        memGBPerHour\n      }\n      next {\n        cpuPerHour\n        gpuPerHour\n        memGBPerHour\n      }\n      unbilledJobs\n      unbilledBefore {\n        cost\n      }\n      unbilledAfter {\n        cost\n      }\n      difference\n    }\n  }\n": types.RateChangePreviewDocument,
    "\n  query RateHistory($last: Int) {\n    rateHistory(last: $last) {\n      id\n      tier\n      changedAt\n      changedBy\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      oldCpuPerHour\n      oldGpuPerHour\n      oldMemGBPerHour\n    }\n  }\n": types.RateHistoryDocument,
    "\n  query RateRules {\n    rateRules {\n      id\n      tier\n      partition\n      gpuType\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      effectiveFrom\n      inForce\n    }\n  }\n": types.RateRulesDocument,
    "\n  mutation CreateRateRule($input: CreateRateRuleInput!) {\n    createRateRule(input: $input) {\n      id\n      inForce\n    }\n  }\n": types.CreateRateRuleDocument,
    "\n  mutation DeleteRateRule($id: Int!) {\n    deleteRateRule(id: $id) {\n      id\n    }\n  }\n": types.DeleteRateRuleDocument,
    "\n  fragment ReceiptFields on Receipt {\n    id\n    user\n    account\n    invoiceNumber\n    tier\n    createdAt\n    cutoff\n    itemCount\n    total\n    status\n    paidAt\n    paidBy\n    viewerCanMarkPaid\n  }\n": types.ReceiptFieldsFragmentDoc,
    "\n  query MyReceipts($first: Int, $offset: Int, $orderBy: ReceiptOrder) {\n    myReceipts(first: $first, offset: $offset, orderBy: $orderBy) {\n      ...ReceiptFields\n    }\n    all: myReceiptTotals {\n      count\n    }\n    pending: myReceiptTotals(status: pending) {\n      count\n      total\n    }\n  }\n": types.MyReceiptsDocument,
    "\n  query Receipts($status: ReceiptStatus, $user: String, $first: Int, $offset: Int, $orderBy: ReceiptOrder) {\n    receipts(status: $status, user: $user, first: $first, offset: $offset, orderBy: $orderBy) {\n      ...ReceiptFields\n    }\n    receiptTotals(status: $status, user: $user) {\n      count\n      total\n    }\n  }\n": types.ReceiptsDocument,
    "\n  query Receipt($id: Int!, $lang: String) {\n    receipt(id: $id) {\n      ...ReceiptFields\n      createdBy\n      csvUrl\n      invoice(lang: $lang) {\n        title\n        number\n        issuedOn\n        centerName\n        centerAddress\n        centerTaxId\n        vatPercent\n        subtotal\n        vat\n        total\n        totalInWords\n      }\n      items {\n        billingKey\n        cluster\n        jobId\n        jobName\n        account\n        partition\n        state\n        end\n        elapsedSeconds\n        cpuHours\n        gpuHours\n        memGBHours\n        cpuPerHour\n        gpuPerHour\n        memGBPerHour\n        cost\n      }\n    }\n  }\n": types.ReceiptDocument,
    "\n  mutation CreateReceipt($input: CreateReceiptInput!) {\n    createReceipt(input: $input) {\n      id\n      itemCount\n      total\n    }\n  }\n": types.CreateReceiptDocument,
    "\n  mutation MarkReceiptPaid($id: Int!) {\n    markReceiptPaid(id: $id) {\n      id\n      status\n      paidAt\n      paidBy\n      viewerCanMarkPaid\n    }\n  }\n": types.MarkReceiptPaidDocument,
    "\n  mutation MarkReceiptsPaid($ids: [Int!]!) {\n    markReceiptsPaid(ids: $ids) {\n      id\n      status\n      paidAt\n      paidBy\n      viewerCanMarkPaid\n    }\n  }\n": types.MarkReceiptsPaidDocument,
    "\n  query UsageSeries(\n    $from: DateTime!\n    $to: DateTime!\n    $bucket: SeriesBucket!\n    $groupBy: [SeriesGroup!]\n    $filter: SeriesFilter\n    $now: DateTime!\n    $nowEnd: DateTime!\n  ) {\n    series: usageSeries(from: $from, to: $to, bucket: $bucket, groupBy: $groupBy, filter: $filter, fillZeros: true) {\n      time\n      user\n      account\n      partition\n      tier\n      cluster\n      jobs\n      cpuHours\n      gpuHours\n      memGBHours\n      elapsedHours\n      cost\n      cpuCost\n      gpuCost\n      memCost\n      costValue\n      cpuCostValue\n      gpuCostValue\n      memCostValue\n    }\n    month: usageSeries(from: $now, to: $nowEnd, bucket: MONTH, fillZeros: true) {\n      time\n    }\n  }\n": types.UsageSeriesDocument,
    "\n  query TopUsers($filter: JobFilter, $by: UsageMeasure!, $limit: Int!) {\n    usage(groupBy: [user], filter: $filter, orderBy: { by: $by }, limit: $limit) {\n      user\n      totals {\n        jobs\n        cpuHours\n        gpuHours\n        cost\n      }\n    }\n  }\n": types.TopUsersDocument,
    "\n  fragment SyncRunFields on SyncRun {\n    id\n    cluster\n    source\n    status\n    trigger\n    jobCount\n    rangeFrom\n    rangeTo\n    startedAt\n    finishedAt\n    error\n    partialReason\n    attempts {\n      source\n      ok\n      reason\n      ms\n      count\n    }\n  }\n": types.SyncRunFieldsFragmentDoc,
    "\n  query SyncRuns($first: Int, $after: String, $cluster: String, $status: String) {\n    syncRuns(first: $first, after: $after, cluster: $cluster, status: $status) {\n      edges {\n        node {\n          ...SyncRunFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      viewerCanSync\n    }\n  }\n": types.SyncRunsDocument,
    "\n  query SyncStatus {\n    syncStatus {\n      cluster\n      watermark\n      running\n      lastOk {\n        id\n        finishedAt\n        source\n      }\n    }\n  }\n": types.SyncStatusDocument,
    "\n  mutation SyncJobs($from: DateTime!, $to: DateTime, $cluster: String) {\n    syncJobs(from: $from, to: $to, cluster: $cluster) {\n      ...SyncRunFields\n    }\n  }\n": types.SyncJobsDocument,
    "\n  subscription SyncProgress {\n    syncProgress {\n      trigger\n      cluster\n      from\n      to\n      chunksDone\n      chunksTotal\n      chunksFailed\n      jobsStored\n      jobsPerSecond\n      etaSeconds\n      chunkStatus\n      source\n    }\n  }\n": types.SyncProgressDocument,
    "\n  query Clusters {\n    clusters\n  }\n": types.ClustersDocument,
    "\n  fragment ApiTokenFields on ApiToken {\n    id\n    name\n    scope\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n  }\n": types.ApiTokenFieldsFragmentDoc,
    "\n  query MyApiTokens {\n    myApiTokens {\n      ...ApiTokenFields\n    }\n  }\n": types.MyApiTokensDocument,
    "\n  mutation CreateApiToken($name: String!, $expiresInDays: Int) {\n    createApiToken(name: $name, expiresInDays: $expiresInDays) {\n      token\n      apiToken {\n        ...ApiTokenFields\n      }\n    }\n  }\n": types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: Int!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.RevokeApiTokenDocument,
    "\n  query JobsPage($filter: JobFilter, $first: Int, $after: String, $orderBy: JobOrder) {\n    jobs(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {\n      edges {\n        node {\n          key\n          receiptId\n          cluster\n          jobId\n          user\n          name\n          account\n          partition\n          state\n          end\n          elapsedSeconds\n          cost {\n            cpuHours\n            gpuHours\n            memGBHours\n            cost\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.JobsPageDocument,
    "\n  fragment TotalsFields on UsageTotals {\n    jobs\n    cpuHours\n    gpuHours\n    memGBHours\n    elapsedHours\n    cost\n  }\n": types.TotalsFieldsFragmentDoc,
    "\n  query UsageTotals($filter: JobFilter) {\n    jobs(filter: $filter, first: 1) {\n      totals {\n        ...TotalsFields\n      }\n    }\n  }\n": types.UsageTotalsDocument,
    "\n  query UsageBuckets($filter: JobFilter, $groupBy: [UsageGroup!]!) {\n    usage(filter: $filter, groupBy: $groupBy) {\n      user\n      month\n      account\n      partition\n      tier\n      cluster\n      totals {\n        ...TotalsFields\n      }\n    }\n  }\n": types.UsageBucketsDocument,
    "\n  query DataSource {\n    dataSource {\n      id\n      source\n      status\n      trigger\n      jobCount\n      startedAt\n      finishedAt\n    }\n  }\n": types.DataSourceDocument,
    "\n  query Users($filter: UserFilter, $first: Int, $after: String) {\n    users(filter: $filter, first: $first, after: $after) {\n      nodes {\n        username\n        tier\n        tierIsDefault\n        role\n        roleSource\n        lastLoginAt\n        finishedJobs\n        unbilled {\n          jobs\n          cost\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      viewerCanSetTier\n    }\n  }\n": types.UsersDocument,
    "\n  fragment TierChangeFields on TierChange {\n    tier\n    account\n    userCount\n    usersChanged\n    users(first: 200) {\n      username\n      fromTier\n      toTier\n      changed\n    }\n    unbilledBefore {\n      jobs\n      cost\n    }\n    unbilledAfter {\n      jobs\n      cost\n    }\n  }\n": types.TierChangeFieldsFragmentDoc,
    "\n  query TierChangePreview($input: TierChangeInput!) {\n    tierChangePreview(input: $input) {\n      ...TierChangeFields\n    }\n  }\n": types.TierChangePreviewDocument,
    "\n  mutation SetUserTier($input: SetUserTierInput!) {\n    setUserTier(input: $input) {\n      ...TierChangeFields\n    }\n  }\n": types.SetUserTierDocument,
    "\n  mutation SetAccountTier($input: SetAccountTierInput!) {\n    setAccountTier(input: $input) {\n      ...TierChangeFields\n    }\n  }\n": types.SetAccountTierDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      username\n      role\n      tier\n    }\n  }\n": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Accounts($search: String) {\n    accounts(search: $search) {\n      name\n      description\n      organization\n      parent\n      tier\n      removedAt\n      members {\n        username\n        role\n      }\n      unbilled {\n        jobs\n        cost\n      }\n      budgets {\n        id\n        period\n        limit\n        current {\n          label\n          percentUsed\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Accounts($search: String) {\n    accounts(search: $search) {\n      name\n      description\n      organization\n      parent\n      tier\n      removedAt\n      members {\n        username\n        role\n      }\n      unbilled {\n        jobs\n        cost\n      }\n      budgets {\n        id\n        period\n        limit\n        current {\n          label\n          percentUsed\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyAccounts {\n    myAccounts {\n      name\n      description\n      parent\n    }\n  }\n"): (typeof documents)["\n  query MyAccounts {\n    myAccounts {\n      name\n      description\n      parent\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ManagedAccounts {\n    accounts {\n      name\n    }\n  }\n"): (typeof documents)["\n  query ManagedAccounts {\n    accounts {\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Account($name: String!, $history: Boolean!) {\n    account(name: $name) {\n      name\n      description\n      organization\n      parent\n      tier\n      syncedAt\n      removedAt\n      viewerCanBill\n      viewerCanManage\n      members(history: $history) {\n        username\n        role\n        source\n        since\n        until\n        setBy\n      }\n      unbilled {\n        jobs\n        cpuHours\n        gpuHours\n        memGBHours\n        cost\n      }\n      receipts(first: 20) {\n        id\n        invoiceNumber\n        createdAt\n        cutoff\n        total\n        status\n        itemCount\n      }\n      budgets {\n        id\n        period\n        limit\n        thresholds\n        notifyEmails\n        current {\n          label\n          start\n          end\n          spent\n          remaining\n          percentUsed\n          averageDaily\n          projectedSpend\n          projectedExhaustion\n          elapsedDays\n          totalDays\n          burnDown {\n            day\n            cumulative\n          }\n        }\n        alerts {\n          id\n          threshold\n          spent\n          createdAt\n          periodStart\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Account($name: String!, $history: Boolean!) {\n    account(name: $name) {\n      name\n      description\n      organization\n      parent\n      tier\n      syncedAt\n      removedAt\n      viewerCanBill\n      viewerCanManage\n      members(history: $history) {\n        username\n        role\n        source\n        since\n        until\n        setBy\n      }\n      unbilled {\n        jobs\n        cpuHours\n        gpuHours\n        memGBHours\n        cost\n      }\n      receipts(first: 20) {\n        id\n        invoiceNumber\n        createdAt\n        cutoff\n        total\n        status\n        itemCount\n      }\n      budgets {\n        id\n        period\n        limit\n        thresholds\n        notifyEmails\n        current {\n          label\n          start\n          end\n          spent\n          remaining\n          percentUsed\n          averageDaily\n          projectedSpend\n          projectedExhaustion\n          elapsedDays\n          totalDays\n          burnDown {\n            day\n            cumulative\n          }\n        }\n        alerts {\n          id\n          threshold\n          spent\n          createdAt\n          periodStart\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateAccountReceipt($input: CreateAccountReceiptInput!) {\n    createAccountReceipt(input: $input) {\n      id\n      total\n      itemCount\n    }\n  }\n"): (typeof documents)["\n  mutation CreateAccountReceipt($input: CreateAccountReceiptInput!) {\n    createAccountReceipt(input: $input) {\n      id\n      total\n      itemCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetAccountPi($input: SetAccountPiInput!) {\n    setAccountPi(input: $input) {\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation SetAccountPi($input: SetAccountPiInput!) {\n    setAccountPi(input: $input) {\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetAccountPricingTier($input: SetAccountPricingTierInput!) {\n    setAccountPricingTier(input: $input) {\n      name\n      tier\n    }\n  }\n"): (typeof documents)["\n  mutation SetAccountPricingTier($input: SetAccountPricingTierInput!) {\n    setAccountPricingTier(input: $input) {\n      name\n      tier\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetBudget($input: SetBudgetInput!) {\n    setBudget(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation SetBudget($input: SetBudgetInput!) {\n    setBudget(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteBudget($id: Int!) {\n    deleteBudget(id: $id) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteBudget($id: Int!) {\n    deleteBudget(id: $id) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query QuoteJob($input: QuoteJobInput!) {\n    quoteJob(input: $input) {\n      kind\n      tier\n      hours\n      arrayTasks\n      total\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      warnings\n      request {\n        nodes\n        ntasks\n        cpusPerTask\n        cpus\n        gpus\n        gpuType\n        memMiB\n        timeSeconds\n        partition\n        account\n        qos\n        jobName\n        arrayTasks\n        exclusive\n      }\n      perTask {\n        cpuHours\n        gpuHours\n        memGBHours\n        cpuCost\n        gpuCost\n        memCost\n        cost\n      }\n    }\n  }\n"): (typeof documents)["\n  query QuoteJob($input: QuoteJobInput!) {\n    quoteJob(input: $input) {\n      kind\n      tier\n      hours\n      arrayTasks\n      total\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      warnings\n      request {\n        nodes\n        ntasks\n        cpusPerTask\n        cpus\n        gpus\n        gpuType\n        memMiB\n        timeSeconds\n        partition\n        account\n        qos\n        jobName\n        arrayTasks\n        exclusive\n      }\n      perTask {\n        cpuHours\n        gpuHours\n        memGBHours\n        cpuCost\n        gpuCost\n        memCost\n        cost\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Reconciliation($month: String!, $cluster: String) {\n    reconciliation(month: $month, cluster: $cluster) {\n      cluster\n      month\n      from\n      to\n      tolerance\n      differences\n      rows {\n        account\n        worstRelative\n        withinTolerance\n        ledger {\n          cpuHours\n          gpuHours\n          memGBHours\n        }\n        slurm {\n          cpuHours\n          gpuHours\n          memGBHours\n        }\n        diff {\n          cpuHours\n          gpuHours\n          memGBHours\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Reconciliation($month: String!, $cluster: String) {\n    reconciliation(month: $month, cluster: $cluster) {\n      cluster\n      month\n      from\n      to\n      tolerance\n      differences\n      rows {\n        account\n        worstRelative\n        withinTolerance\n        ledger {\n          cpuHours\n          gpuHours\n          memGBHours\n        }\n        slurm {\n          cpuHours\n          gpuHours\n          memGBHours\n        }\n        diff {\n          cpuHours\n          gpuHours\n          memGBHours\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEntries($filter: AuditFilter, $first: Int, $beforeId: Int) {\n    auditEntries(filter: $filter, first: $first, beforeId: $beforeId) {\n      id\n      ts\n      actor\n      ip\n      userAgent\n      method\n      path\n      action\n      target\n      status\n      extra\n    }\n  }\n"): (typeof documents)["\n  query AuditEntries($filter: AuditFilter, $first: Int, $beforeId: Int) {\n    auditEntries(filter: $filter, first: $first, beforeId: $beforeId) {\n      id\n      ts\n      actor\n      ip\n      userAgent\n      method\n      path\n      action\n      target\n      status\n      extra\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VerifyAuditChain {\n    verifyAuditChain {\n      ok\n      checked\n      firstBrokenId\n      reason\n    }\n  }\n"): (typeof documents)["\n  query VerifyAuditChain {\n    verifyAuditChain {\n      ok\n      checked\n      firstBrokenId\n      reason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RateFields on Rate {\n    tier\n    cpuPerHour\n    gpuPerHour\n    memGBPerHour\n    updatedAt\n    updatedBy\n    viewerCanUpdate\n  }\n"): (typeof documents)["\n  fragment RateFields on Rate {\n    tier\n    cpuPerHour\n    gpuPerHour\n    memGBPerHour\n    updatedAt\n    updatedBy\n    viewerCanUpdate\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Rates {\n    rates {\n      ...RateFields\n    }\n  }\n"): (typeof documents)["\n  query Rates {\n    rates {\n      ...RateFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RateChanged {\n    rateChanged {\n      ...RateFields\n    }\n  }\n"): (typeof documents)["\n  subscription RateChanged {\n    rateChanged {\n      ...RateFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateRate($input: UpdateRateInput!) {\n    updateRate(input: $input) {\n      ...RateFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateRate($input: UpdateRateInput!) {\n    updateRate(input: $input) {\n      ...RateFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RateChangePreview($input: UpdateRateInput!) {\n    rateChangePreview(input: $input) {\n      tier\n      current {\n        cpuPerHour\n        gpuPerHour\n        memGBPerHour\n      }\n      next {\n        cpuPerHour\n        gpuPerHour\n        memGBPerHour\n      }\n      unbilledJobs\n      unbilledBefore {\n        cost\n      }\n      unbilledAfter {\n        cost\n      }\n      difference\n    }\n  }\n"): (typeof documents)["\n  query RateChangePreview($input: UpdateRateInput!) {\n    rateChangePreview(input: $input) {\n      tier\n      current {\n        cpuPerHour\n        gpuPerHour\n        memGBPerHour\n      }\n      next {\n        cpuPerHour\n        gpuPerHour\n        memGBPerHour\n      }\n      unbilledJobs\n      unbilledBefore {\n        cost\n      }\n      unbilledAfter {\n        cost\n      }\n      difference\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RateHistory($last: Int) {\n    rateHistory(last: $last) {\n      id\n      tier\n      changedAt\n      changedBy\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      oldCpuPerHour\n      oldGpuPerHour\n      oldMemGBPerHour\n    }\n  }\n"): (typeof documents)["\n  query RateHistory($last: Int) {\n    rateHistory(last: $last) {\n      id\n      tier\n      changedAt\n      changedBy\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      oldCpuPerHour\n      oldGpuPerHour\n      oldMemGBPerHour\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RateRules {\n    rateRules {\n      id\n      tier\n      partition\n      gpuType\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      effectiveFrom\n      inForce\n    }\n  }\n"): (typeof documents)["\n  query RateRules {\n    rateRules {\n      id\n      tier\n      partition\n      gpuType\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      effectiveFrom\n      inForce\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRateRule($input: CreateRateRuleInput!) {\n    createRateRule(input: $input) {\n      id\n      inForce\n    }\n  }\n"): (typeof documents)["\n  mutation CreateRateRule($input: CreateRateRuleInput!) {\n    createRateRule(input: $input) {\n      id\n      inForce\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteRateRule($id: Int!) {\n    deleteRateRule(id: $id) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteRateRule($id: Int!) {\n    deleteRateRule(id: $id) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ReceiptFields on Receipt {\n    id\n    user\n    account\n    invoiceNumber\n    tier\n    createdAt\n    cutoff\n    itemCount\n    total\n    status\n    paidAt\n    paidBy\n    viewerCanMarkPaid\n  }\n"): (typeof documents)["\n  fragment ReceiptFields on Receipt {\n    id\n    user\n    account\n    invoiceNumber\n    tier\n    createdAt\n    cutoff\n    itemCount\n    total\n    status\n    paidAt\n    paidBy\n    viewerCanMarkPaid\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyReceipts($first: Int, $offset: Int, $orderBy: ReceiptOrder) {\n    myReceipts(first: $first, offset: $offset, orderBy: $orderBy) {\n      ...ReceiptFields\n    }\n    all: myReceiptTotals {\n      count\n    }\n    pending: myReceiptTotals(status: pending) {\n      count\n      total\n    }\n  }\n"): (typeof documents)["\n  query MyReceipts($first: Int, $offset: Int, $orderBy: ReceiptOrder) {\n    myReceipts(first: $first, offset: $offset, orderBy: $orderBy) {\n      ...ReceiptFields\n    }\n    all: myReceiptTotals {\n      count\n    }\n    pending: myReceiptTotals(status: pending) {\n      count\n      total\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Receipts($status: ReceiptStatus, $user: String, $first: Int, $offset: Int, $orderBy: ReceiptOrder) {\n    receipts(status: $status, user: $user, first: $first, offset: $offset, orderBy: $orderBy) {\n      ...ReceiptFields\n    }\n    receiptTotals(status: $status, user: $user) {\n      count\n      total\n    }\n  }\n"): (typeof documents)["\n  query Receipts($status: ReceiptStatus, $user: String, $first: Int, $offset: Int, $orderBy: ReceiptOrder) {\n    receipts(status: $status, user: $user, first: $first, offset: $offset, orderBy: $orderBy) {\n      ...ReceiptFields\n    }\n    receiptTotals(status: $status, user: $user) {\n      count\n      total\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Receipt($id: Int!, $lang: String) {\n    receipt(id: $id) {\n      ...ReceiptFields\n      createdBy\n      csvUrl\n      invoice(lang: $lang) {\n        title\n        number\n        issuedOn\n        centerName\n        centerAddress\n        centerTaxId\n        vatPercent\n        subtotal\n        vat\n        total\n        totalInWords\n      }\n      items {\n        billingKey\n        cluster\n        jobId\n        jobName\n        account\n        partition\n        state\n        end\n        elapsedSeconds\n        cpuHours\n        gpuHours\n        memGBHours\n        cpuPerHour\n        gpuPerHour\n        memGBPerHour\n        cost\n      }\n    }\n  }\n"): (typeof documents)["\n  query Receipt($id: Int!, $lang: String) {\n    receipt(id: $id) {\n      ...ReceiptFields\n      createdBy\n      csvUrl\n      invoice(lang: $lang) {\n        title\n        number\n        issuedOn\n        centerName\n        centerAddress\n        centerTaxId\n        vatPercent\n        subtotal\n        vat\n        total\n        totalInWords\n      }\n      items {\n        billingKey\n        cluster\n        jobId\n        jobName\n        account\n        partition\n        state\n        end\n        elapsedSeconds\n        cpuHours\n        gpuHours\n        memGBHours\n        cpuPerHour\n        gpuPerHour\n        memGBPerHour\n        cost\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateReceipt($input: CreateReceiptInput!) {\n    createReceipt(input: $input) {\n      id\n      itemCount\n      total\n    }\n  }\n"): (typeof documents)["\n  mutation CreateReceipt($input: CreateReceiptInput!) {\n    createReceipt(input: $input) {\n      id\n      itemCount\n      total\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkReceiptPaid($id: Int!) {\n    markReceiptPaid(id: $id) {\n      id\n      status\n      paidAt\n      paidBy\n      viewerCanMarkPaid\n    }\n  }\n"): (typeof documents)["\n  mutation MarkReceiptPaid($id: Int!) {\n    markReceiptPaid(id: $id) {\n      id\n      status\n      paidAt\n      paidBy\n      viewerCanMarkPaid\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkReceiptsPaid($ids: [Int!]!) {\n    markReceiptsPaid(ids: $ids) {\n      id\n      status\n      paidAt\n      paidBy\n      viewerCanMarkPaid\n    }\n  }\n"): (typeof documents)["\n  mutation MarkReceiptsPaid($ids: [Int!]!) {\n    markReceiptsPaid(ids: $ids) {\n      id\n      status\n      paidAt\n      paidBy\n      viewerCanMarkPaid\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsageSeries(\n    $from: DateTime!\n    $to: DateTime!\n    $bucket: SeriesBucket!\n    $groupBy: [SeriesGroup!]\n    $filter: SeriesFilter\n    $now: DateTime!\n    $nowEnd: DateTime!\n  ) {\n    series: usageSeries(from: $from, to: $to, bucket: $bucket, groupBy: $groupBy, filter: $filter, fillZeros: true) {\n      time\n      user\n      account\n      partition\n      tier\n      cluster\n      jobs\n      cpuHours\n      gpuHours\n      memGBHours\n      elapsedHours\n      cost\n      cpuCost\n      gpuCost\n      memCost\n      costValue\n      cpuCostValue\n      gpuCostValue\n      memCostValue\n    }\n    month: usageSeries(from: $now, to: $nowEnd, bucket: MONTH, fillZeros: true) {\n      time\n    }\n  }\n"): (typeof documents)["\n  query UsageSeries(\n    $from: DateTime!\n    $to: DateTime!\n    $bucket: SeriesBucket!\n    $groupBy: [SeriesGroup!]\n    $filter: SeriesFilter\n    $now: DateTime!\n    $nowEnd: DateTime!\n  ) {\n    series: usageSeries(from: $from, to: $to, bucket: $bucket, groupBy: $groupBy, filter: $filter, fillZeros: true) {\n      time\n      user\n      account\n      partition\n      tier\n      cluster\n      jobs\n      cpuHours\n      gpuHours\n      memGBHours\n      elapsedHours\n      cost\n      cpuCost\n      gpuCost\n      memCost\n      costValue\n      cpuCostValue\n      gpuCostValue\n      memCostValue\n    }\n    month: usageSeries(from: $now, to: $nowEnd, bucket: MONTH, fillZeros: true) {\n      time\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TopUsers($filter: JobFilter, $by: UsageMeasure!, $limit: Int!) {\n    usage(groupBy: [user], filter: $filter, orderBy: { by: $by }, limit: $limit) {\n      user\n      totals {\n        jobs\n        cpuHours\n        gpuHours\n        cost\n      }\n    }\n  }\n"): (typeof documents)["\n  query TopUsers($filter: JobFilter, $by: UsageMeasure!, $limit: Int!) {\n    usage(groupBy: [user], filter: $filter, orderBy: { by: $by }, limit: $limit) {\n      user\n      totals {\n        jobs\n        cpuHours\n        gpuHours\n        cost\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SyncRunFields on SyncRun {\n    id\n    cluster\n    source\n    status\n    trigger\n    jobCount\n    rangeFrom\n    rangeTo\n    startedAt\n    finishedAt\n    error\n    partialReason\n    attempts {\n      source\n      ok\n      reason\n      ms\n      count\n    }\n  }\n"): (typeof documents)["\n  fragment SyncRunFields on SyncRun {\n    id\n    cluster\n    source\n    status\n    trigger\n    jobCount\n    rangeFrom\n    rangeTo\n    startedAt\n    finishedAt\n    error\n    partialReason\n    attempts {\n      source\n      ok\n      reason\n      ms\n      count\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SyncRuns($first: Int, $after: String, $cluster: String, $status: String) {\n    syncRuns(first: $first, after: $after, cluster: $cluster, status: $status) {\n      edges {\n        node {\n          ...SyncRunFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      viewerCanSync\n    }\n  }\n"): (typeof documents)["\n  query SyncRuns($first: Int, $after: String, $cluster: String, $status: String) {\n    syncRuns(first: $first, after: $after, cluster: $cluster, status: $status) {\n      edges {\n        node {\n          ...SyncRunFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      viewerCanSync\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SyncStatus {\n    syncStatus {\n      cluster\n      watermark\n      running\n      lastOk {\n        id\n        finishedAt\n        source\n      }\n    }\n  }\n"): (typeof documents)["\n  query SyncStatus {\n    syncStatus {\n      cluster\n      watermark\n      running\n      lastOk {\n        id\n        finishedAt\n        source\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SyncJobs($from: DateTime!, $to: DateTime, $cluster: String) {\n    syncJobs(from: $from, to: $to, cluster: $cluster) {\n      ...SyncRunFields\n    }\n  }\n"): (typeof documents)["\n  mutation SyncJobs($from: DateTime!, $to: DateTime, $cluster: String) {\n    syncJobs(from: $from, to: $to, cluster: $cluster) {\n      ...SyncRunFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SyncProgress {\n    syncProgress {\n      trigger\n      cluster\n      from\n      to\n      chunksDone\n      chunksTotal\n      chunksFailed\n      jobsStored\n      jobsPerSecond\n      etaSeconds\n      chunkStatus\n      source\n    }\n  }\n"): (typeof documents)["\n  subscription SyncProgress {\n    syncProgress {\n      trigger\n      cluster\n      from\n      to\n      chunksDone\n      chunksTotal\n      chunksFailed\n      jobsStored\n      jobsPerSecond\n      etaSeconds\n      chunkStatus\n      source\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Clusters {\n    clusters\n  }\n"): (typeof documents)["\n  query Clusters {\n    clusters\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiTokenFields on ApiToken {\n    id\n    name\n    scope\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n  }\n"): (typeof documents)["\n  fragment ApiTokenFields on ApiToken {\n    id\n    name\n    scope\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyApiTokens {\n    myApiTokens {\n      ...ApiTokenFields\n    }\n  }\n"): (typeof documents)["\n  query MyApiTokens {\n    myApiTokens {\n      ...ApiTokenFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($name: String!, $expiresInDays: Int) {\n    createApiToken(name: $name, expiresInDays: $expiresInDays) {\n      token\n      apiToken {\n        ...ApiTokenFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiToken($name: String!, $expiresInDays: Int) {\n    createApiToken(name: $name, expiresInDays: $expiresInDays) {\n      token\n      apiToken {\n        ...ApiTokenFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiToken($id: Int!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiToken($id: Int!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobsPage($filter: JobFilter, $first: Int, $after: String, $orderBy: JobOrder) {\n    jobs(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {\n      edges {\n        node {\n          key\n          receiptId\n          cluster\n          jobId\n          user\n          name\n          account\n          partition\n          state\n          end\n          elapsedSeconds\n          cost {\n            cpuHours\n            gpuHours\n            memGBHours\n            cost\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query JobsPage($filter: JobFilter, $first: Int, $after: String, $orderBy: JobOrder) {\n    jobs(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {\n      edges {\n        node {\n          key\n          receiptId\n          cluster\n          jobId\n          user\n          name\n          account\n          partition\n          state\n          end\n          elapsedSeconds\n          cost {\n            cpuHours\n            gpuHours\n            memGBHours\n            cost\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TotalsFields on UsageTotals {\n    jobs\n    cpuHours\n    gpuHours\n    memGBHours\n    elapsedHours\n    cost\n  }\n"): (typeof documents)["\n  fragment TotalsFields on UsageTotals {\n    jobs\n    cpuHours\n    gpuHours\n    memGBHours\n    elapsedHours\n    cost\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsageTotals($filter: JobFilter) {\n    jobs(filter: $filter, first: 1) {\n      totals {\n        ...TotalsFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query UsageTotals($filter: JobFilter) {\n    jobs(filter: $filter, first: 1) {\n      totals {\n        ...TotalsFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsageBuckets($filter: JobFilter, $groupBy: [UsageGroup!]!) {\n    usage(filter: $filter, groupBy: $groupBy) {\n      user\n      month\n      account\n      partition\n      tier\n      cluster\n      totals {\n        ...TotalsFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query UsageBuckets($filter: JobFilter, $groupBy: [UsageGroup!]!) {\n    usage(filter: $filter, groupBy: $groupBy) {\n      user\n      month\n      account\n      partition\n      tier\n      cluster\n      totals {\n        ...TotalsFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DataSource {\n    dataSource {\n      id\n      source\n      status\n      trigger\n      jobCount\n      startedAt\n      finishedAt\n    }\n  }\n"): (typeof documents)["\n  query DataSource {\n    dataSource {\n      id\n      source\n      status\n      trigger\n      jobCount\n      startedAt\n      finishedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users($filter: UserFilter, $first: Int, $after: String) {\n    users(filter: $filter, first: $first, after: $after) {\n      nodes {\n        username\n        tier\n        tierIsDefault\n        role\n        roleSource\n        lastLoginAt\n        finishedJobs\n        unbilled {\n          jobs\n          cost\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      viewerCanSetTier\n    }\n  }\n"): (typeof documents)["\n  query Users($filter: UserFilter, $first: Int, $after: String) {\n    users(filter: $filter, first: $first, after: $after) {\n      nodes {\n        username\n        tier\n        tierIsDefault\n        role\n        roleSource\n        lastLoginAt\n        finishedJobs\n        unbilled {\n          jobs\n          cost\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      viewerCanSetTier\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TierChangeFields on TierChange {\n    tier\n    account\n    userCount\n    usersChanged\n    users(first: 200) {\n      username\n      fromTier\n      toTier\n      changed\n    }\n    unbilledBefore {\n      jobs\n      cost\n    }\n    unbilledAfter {\n      jobs\n      cost\n    }\n  }\n"): (typeof documents)["\n  fragment TierChangeFields on TierChange {\n    tier\n    account\n    userCount\n    usersChanged\n    users(first: 200) {\n      username\n      fromTier\n      toTier\n      changed\n    }\n    unbilledBefore {\n      jobs\n      cost\n    }\n    unbilledAfter {\n      jobs\n      cost\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TierChangePreview($input: TierChangeInput!) {\n    tierChangePreview(input: $input) {\n      ...TierChangeFields\n    }\n  }\n"): (typeof documents)["\n  query TierChangePreview($input: TierChangeInput!) {\n    tierChangePreview(input: $input) {\n      ...TierChangeFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUserTier($input: SetUserTierInput!) {\n    setUserTier(input: $input) {\n      ...TierChangeFields\n    }\n  }\n"): (typeof documents)["\n  mutation SetUserTier($input: SetUserTierInput!) {\n    setUserTier(input: $input) {\n      ...TierChangeFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetAccountTier($input: SetAccountTierInput!) {\n    setAccountTier(input: $input) {\n      ...TierChangeFields\n    }\n  }\n"): (typeof documents)["\n  mutation SetAccountTier($input: SetAccountTierInput!) {\n    setAccountTier(input: $input) {\n      ...TierChangeFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      id\n      username\n      role\n      tier\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      id\n      username\n      role\n      tier\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;