-- CreateTable
CREATE TABLE "SlurmAccount" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "description" TEXT,
    "organization" TEXT,
    "parent" TEXT,
    "tier" TEXT,
    "syncedAt" DATETIME NOT NULL,
    "removedAt" DATETIME
);

-- CreateTable
CREATE TABLE "AccountMember" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "account" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "since" DATETIME NOT NULL,
    "until" DATETIME,
    "setBy" TEXT,
    CONSTRAINT "AccountMember_account_fkey" FOREIGN KEY ("account") REFERENCES "SlurmAccount" ("name") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Budget" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "account" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "limitSatang" BIGINT NOT NULL,
    "thresholds" TEXT NOT NULL DEFAULT '[50,80,100]',
    "notifyEmails" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "BudgetAlert" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "budgetId" INTEGER NOT NULL,
    "periodStart" DATETIME NOT NULL,
    "threshold" INTEGER NOT NULL,
    "spentSatang" BIGINT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveries" TEXT NOT NULL DEFAULT '[]',
    CONSTRAINT "BudgetAlert_budgetId_fkey" FOREIGN KEY ("budgetId") REFERENCES "Budget" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InvoiceCounter" (
    "scope" TEXT NOT NULL PRIMARY KEY,
    "next" INTEGER NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Receipt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER,
    "account" TEXT,
    "tier" TEXT NOT NULL,
    "cutoff" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    "totalSatang" BIGINT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "paidAt" DATETIME,
    "paidBy" TEXT,
    "invoiceNumber" TEXT,
    CONSTRAINT "Receipt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Receipt" ("createdAt", "createdBy", "cutoff", "id", "paidAt", "paidBy", "status", "tier", "totalSatang", "userId") SELECT "createdAt", "createdBy", "cutoff", "id", "paidAt", "paidBy", "status", "tier", "totalSatang", "userId" FROM "Receipt";
DROP TABLE "Receipt";
ALTER TABLE "new_Receipt" RENAME TO "Receipt";
CREATE UNIQUE INDEX "Receipt_invoiceNumber_key" ON "Receipt"("invoiceNumber");
CREATE INDEX "Receipt_userId_createdAt_idx" ON "Receipt"("userId", "createdAt");
CREATE INDEX "Receipt_account_createdAt_idx" ON "Receipt"("account", "createdAt");
CREATE INDEX "Receipt_status_idx" ON "Receipt"("status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "AccountMember_account_until_idx" ON "AccountMember"("account", "until");

-- CreateIndex
CREATE INDEX "AccountMember_username_until_idx" ON "AccountMember"("username", "until");

-- CreateIndex
CREATE UNIQUE INDEX "Budget_account_period_key" ON "Budget"("account", "period");

-- CreateIndex
CREATE UNIQUE INDEX "BudgetAlert_budgetId_periodStart_threshold_key" ON "BudgetAlert"("budgetId", "periodStart", "threshold");
