-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "username" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'user',
    "tier" TEXT NOT NULL DEFAULT 'mu',
    "passwordHash" TEXT,
    "origin" TEXT NOT NULL DEFAULT 'local',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastLoginAt" TIMESTAMP(3),
    "roleSource" TEXT,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ip" TEXT,
    "userAgent" TEXT,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rate" (
    "tier" TEXT NOT NULL,
    "cpuPerHour" TEXT NOT NULL,
    "gpuPerHour" TEXT NOT NULL,
    "memGBPerHour" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedBy" TEXT,

    CONSTRAINT "Rate_pkey" PRIMARY KEY ("tier")
);

-- CreateTable
CREATE TABLE "RateHistory" (
    "id" SERIAL NOT NULL,
    "tier" TEXT NOT NULL,
    "changedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changedBy" TEXT NOT NULL,
    "oldCpu" TEXT,
    "oldGpu" TEXT,
    "oldMem" TEXT,
    "newCpu" TEXT NOT NULL,
    "newGpu" TEXT NOT NULL,
    "newMem" TEXT NOT NULL,

    CONSTRAINT "RateHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Receipt" (
    "id" SERIAL NOT NULL,
    "userId" INTEGER NOT NULL,
    "tier" TEXT NOT NULL,
    "cutoff" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    "totalSatang" BIGINT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "paidAt" TIMESTAMP(3),
    "paidBy" TEXT,

    CONSTRAINT "Receipt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReceiptItem" (
    "id" SERIAL NOT NULL,
    "receiptId" INTEGER NOT NULL,
    "billingKey" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "jobName" TEXT,
    "account" TEXT,
    "partition" TEXT,
    "state" TEXT NOT NULL,
    "end" TIMESTAMP(3),
    "elapsedSeconds" INTEGER NOT NULL,
    "cpuHours" DOUBLE PRECISION NOT NULL,
    "gpuHours" DOUBLE PRECISION NOT NULL,
    "memGBHours" DOUBLE PRECISION NOT NULL,
    "cpuPerHour" TEXT NOT NULL,
    "gpuPerHour" TEXT NOT NULL,
    "memGBPerHour" TEXT NOT NULL,
    "costSatang" BIGINT NOT NULL,

    CONSTRAINT "ReceiptItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" SERIAL NOT NULL,
    "ts" TIMESTAMP(3) NOT NULL,
    "actor" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "method" TEXT,
    "path" TEXT,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "status" TEXT NOT NULL,
    "extra" TEXT NOT NULL DEFAULT '{}',
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "lockedUntil" TIMESTAMP(3),

    CONSTRAINT "LoginThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "JobRecord" (
    "key" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "user" TEXT NOT NULL,
    "account" TEXT,
    "partition" TEXT,
    "name" TEXT,
    "state" TEXT NOT NULL,
    "submit" TIMESTAMP(3),
    "start" TIMESTAMP(3),
    "end" TIMESTAMP(3),
    "elapsedSeconds" INTEGER NOT NULL,
    "totalCpuSeconds" DOUBLE PRECISION NOT NULL,
    "reqTres" TEXT NOT NULL,
    "allocTres" TEXT NOT NULL,
    "cpus" INTEGER NOT NULL,
    "gpus" INTEGER NOT NULL,
    "memMiB" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "syncedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JobRecord_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" SERIAL NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "rangeFrom" TIMESTAMP(3) NOT NULL,
    "rangeTo" TIMESTAMP(3) NOT NULL,
    "source" TEXT,
    "jobCount" INTEGER NOT NULL DEFAULT 0,
    "attempts" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL,
    "error" TEXT,
    "trigger" TEXT NOT NULL,
    "partialReason" TEXT,
    "coveredTo" TIMESTAMP(3),
    "failedChunks" TEXT NOT NULL DEFAULT '[]',
    "cluster" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "SyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" SERIAL NOT NULL,
    "userId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "scope" TEXT NOT NULL DEFAULT 'read',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageRollup" (
    "id" SERIAL NOT NULL,
    "bucket" TIMESTAMP(3) NOT NULL,
    "cluster" TEXT NOT NULL,
    "user" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "partition" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "billed" BOOLEAN NOT NULL,
    "jobs" INTEGER NOT NULL,
    "elapsedSec" BIGINT NOT NULL,
    "cpuSec" BIGINT NOT NULL,
    "gpuSec" BIGINT NOT NULL,
    "memMiBSec" BIGINT NOT NULL,
    "costSatang" BIGINT NOT NULL,
    "cpuCostSatang" BIGINT NOT NULL,
    "gpuCostSatang" BIGINT NOT NULL,

    CONSTRAINT "UsageRollup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageRollupDay" (
    "bucket" TIMESTAMP(3) NOT NULL,
    "cluster" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "partition" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "billed" BOOLEAN NOT NULL,
    "jobs" INTEGER NOT NULL,
    "elapsedSec" BIGINT NOT NULL,
    "cpuSec" BIGINT NOT NULL,
    "gpuSec" BIGINT NOT NULL,
    "memMiBSec" BIGINT NOT NULL,
    "costSatang" BIGINT NOT NULL,
    "cpuCostSatang" BIGINT NOT NULL,
    "gpuCostSatang" BIGINT NOT NULL,

    CONSTRAINT "UsageRollupDay_pkey" PRIMARY KEY ("bucket","cluster","account","partition","state","tier","billed")
);

-- CreateTable
CREATE TABLE "UsageRollupMonth" (
    "bucket" TIMESTAMP(3) NOT NULL,
    "cluster" TEXT NOT NULL,
    "user" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "partition" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "billed" BOOLEAN NOT NULL,
    "jobs" INTEGER NOT NULL,
    "elapsedSec" BIGINT NOT NULL,
    "cpuSec" BIGINT NOT NULL,
    "gpuSec" BIGINT NOT NULL,
    "memMiBSec" BIGINT NOT NULL,
    "costSatang" BIGINT NOT NULL,
    "cpuCostSatang" BIGINT NOT NULL,
    "gpuCostSatang" BIGINT NOT NULL,

    CONSTRAINT "UsageRollupMonth_pkey" PRIMARY KEY ("bucket","cluster","user","account","partition","state","tier","billed")
);

-- CreateTable
CREATE TABLE "UsageMarginalDay" (
    "bucket" TIMESTAMP(3) NOT NULL,
    "dim" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "billed" BOOLEAN NOT NULL,
    "jobs" INTEGER NOT NULL,
    "elapsedSec" BIGINT NOT NULL,
    "cpuSec" BIGINT NOT NULL,
    "gpuSec" BIGINT NOT NULL,
    "memMiBSec" BIGINT NOT NULL,
    "costSatang" BIGINT NOT NULL,
    "cpuCostSatang" BIGINT NOT NULL,
    "gpuCostSatang" BIGINT NOT NULL,

    CONSTRAINT "UsageMarginalDay_pkey" PRIMARY KEY ("dim","bucket","value","billed")
);

-- CreateTable
CREATE TABLE "UsageMarginalMonth" (
    "bucket" TIMESTAMP(3) NOT NULL,
    "dim" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "billed" BOOLEAN NOT NULL,
    "jobs" INTEGER NOT NULL,
    "elapsedSec" BIGINT NOT NULL,
    "cpuSec" BIGINT NOT NULL,
    "gpuSec" BIGINT NOT NULL,
    "memMiBSec" BIGINT NOT NULL,
    "costSatang" BIGINT NOT NULL,
    "cpuCostSatang" BIGINT NOT NULL,
    "gpuCostSatang" BIGINT NOT NULL,

    CONSTRAINT "UsageMarginalMonth_pkey" PRIMARY KEY ("dim","bucket","value","billed")
);

-- CreateTable
CREATE TABLE "RollupCalendar" (
    "day" TIMESTAMP(3) NOT NULL,
    "month" TIMESTAMP(3) NOT NULL,
    "zone" TEXT NOT NULL,

    CONSTRAINT "RollupCalendar_pkey" PRIMARY KEY ("day")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "RateHistory_tier_changedAt_idx" ON "RateHistory"("tier", "changedAt");

-- CreateIndex
CREATE INDEX "Receipt_userId_createdAt_idx" ON "Receipt"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "Receipt_status_idx" ON "Receipt"("status");

-- CreateIndex
CREATE UNIQUE INDEX "ReceiptItem_billingKey_key" ON "ReceiptItem"("billingKey");

-- CreateIndex
CREATE INDEX "ReceiptItem_receiptId_idx" ON "ReceiptItem"("receiptId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEntry_prevHash_key" ON "AuditEntry"("prevHash");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEntry_hash_key" ON "AuditEntry"("hash");

-- CreateIndex
CREATE INDEX "AuditEntry_action_ts_idx" ON "AuditEntry"("action", "ts");

-- CreateIndex
CREATE INDEX "AuditEntry_actor_ts_idx" ON "AuditEntry"("actor", "ts");

-- CreateIndex
CREATE INDEX "JobRecord_user_end_idx" ON "JobRecord"("user", "end");

-- CreateIndex
CREATE INDEX "JobRecord_end_idx" ON "JobRecord"("end");

-- CreateIndex
CREATE INDEX "JobRecord_account_idx" ON "JobRecord"("account");

-- CreateIndex
CREATE INDEX "SyncRun_status_rangeTo_idx" ON "SyncRun"("status", "rangeTo");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

-- CreateIndex
CREATE INDEX "UsageRollup_bucket_idx" ON "UsageRollup"("bucket");

-- CreateIndex
CREATE INDEX "UsageRollup_user_bucket_idx" ON "UsageRollup"("user", "bucket");

-- CreateIndex
CREATE INDEX "UsageRollupMonth_user_bucket_idx" ON "UsageRollupMonth"("user", "bucket");

-- CreateIndex
CREATE INDEX "UsageMarginalDay_dim_value_bucket_idx" ON "UsageMarginalDay"("dim", "value", "bucket");

-- CreateIndex
CREATE INDEX "UsageMarginalMonth_dim_value_bucket_idx" ON "UsageMarginalMonth"("dim", "value", "bucket");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Receipt" ADD CONSTRAINT "Receipt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceiptItem" ADD CONSTRAINT "ReceiptItem_receiptId_fkey" FOREIGN KEY ("receiptId") REFERENCES "Receipt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceiptItem" ADD CONSTRAINT "ReceiptItem_billingKey_fkey" FOREIGN KEY ("billingKey") REFERENCES "JobRecord"("key") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
