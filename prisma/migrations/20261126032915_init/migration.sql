-- CreateTable
CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "username" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'user',
    "tier" TEXT NOT NULL DEFAULT 'mu',
    "passwordHash" TEXT,
    "origin" TEXT NOT NULL DEFAULT 'local',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastLoginAt" DATETIME
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" INTEGER NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ip" TEXT,
    "userAgent" TEXT,
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Rate" (
    "tier" TEXT NOT NULL PRIMARY KEY,
    "cpuPerHour" TEXT NOT NULL,
    "gpuPerHour" TEXT NOT NULL,
    "memGBPerHour" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedBy" TEXT
);

-- CreateTable
CREATE TABLE "RateHistory" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tier" TEXT NOT NULL,
    "changedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changedBy" TEXT NOT NULL,
    "oldCpu" TEXT,
    "oldGpu" TEXT,
    "oldMem" TEXT,
    "newCpu" TEXT NOT NULL,
    "newGpu" TEXT NOT NULL,
    "newMem" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "Receipt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "tier" TEXT NOT NULL,
    "cutoff" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    "totalSatang" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "paidAt" DATETIME,
    "paidBy" TEXT,
    CONSTRAINT "Receipt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReceiptItem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "receiptId" INTEGER NOT NULL,
    "billingKey" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "jobName" TEXT,
    "account" TEXT,
    "partition" TEXT,
    "state" TEXT NOT NULL,
    "end" DATETIME,
    "elapsedSeconds" INTEGER NOT NULL,
    "cpuHours" REAL NOT NULL,
    "gpuHours" REAL NOT NULL,
    "memGBHours" REAL NOT NULL,
    "cpuPerHour" TEXT NOT NULL,
    "gpuPerHour" TEXT NOT NULL,
    "memGBPerHour" TEXT NOT NULL,
    "costSatang" INTEGER NOT NULL,
    CONSTRAINT "ReceiptItem_receiptId_fkey" FOREIGN KEY ("receiptId") REFERENCES "Receipt" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ReceiptItem_billingKey_fkey" FOREIGN KEY ("billingKey") REFERENCES "JobRecord" ("key") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ts" DATETIME NOT NULL,
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
    "hash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStart" DATETIME NOT NULL,
    "lockedUntil" DATETIME
);

-- CreateTable
CREATE TABLE "JobRecord" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "cluster" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "user" TEXT NOT NULL,
    "account" TEXT,
    "partition" TEXT,
    "name" TEXT,
    "state" TEXT NOT NULL,
    "submit" DATETIME,
    "start" DATETIME,
    "end" DATETIME,
    "elapsedSeconds" INTEGER NOT NULL,
    "totalCpuSeconds" REAL NOT NULL,
    "reqTres" TEXT NOT NULL,
    "allocTres" TEXT NOT NULL,
    "cpus" INTEGER NOT NULL,
    "gpus" INTEGER NOT NULL,
    "memMiB" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "firstSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "syncedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "rangeFrom" DATETIME NOT NULL,
    "rangeTo" DATETIME NOT NULL,
    "source" TEXT,
    "jobCount" INTEGER NOT NULL DEFAULT 0,
    "attempts" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL,
    "error" TEXT,
    "trigger" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "scope" TEXT NOT NULL DEFAULT 'read',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "expiresAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
