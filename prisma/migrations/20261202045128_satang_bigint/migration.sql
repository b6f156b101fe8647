-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Receipt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "tier" TEXT NOT NULL,
    "cutoff" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    "totalSatang" BIGINT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "paidAt" DATETIME,
    "paidBy" TEXT,
    CONSTRAINT "Receipt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Receipt" ("createdAt", "createdBy", "cutoff", "id", "paidAt", "paidBy", "status", "tier", "totalSatang", "userId") SELECT "createdAt", "createdBy", "cutoff", "id", "paidAt", "paidBy", "status", "tier", "totalSatang", "userId" FROM "Receipt";
DROP TABLE "Receipt";
ALTER TABLE "new_Receipt" RENAME TO "Receipt";
CREATE INDEX "Receipt_userId_createdAt_idx" ON "Receipt"("userId", "createdAt");
CREATE INDEX "Receipt_status_idx" ON "Receipt"("status");
CREATE TABLE "new_ReceiptItem" (
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
    "costSatang" BIGINT NOT NULL,
    CONSTRAINT "ReceiptItem_receiptId_fkey" FOREIGN KEY ("receiptId") REFERENCES "Receipt" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ReceiptItem_billingKey_fkey" FOREIGN KEY ("billingKey") REFERENCES "JobRecord" ("key") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_ReceiptItem" ("account", "billingKey", "cluster", "costSatang", "cpuHours", "cpuPerHour", "elapsedSeconds", "end", "gpuHours", "gpuPerHour", "id", "jobId", "jobName", "memGBHours", "memGBPerHour", "partition", "receiptId", "state") SELECT "account", "billingKey", "cluster", "costSatang", "cpuHours", "cpuPerHour", "elapsedSeconds", "end", "gpuHours", "gpuPerHour", "id", "jobId", "jobName", "memGBHours", "memGBPerHour", "partition", "receiptId", "state" FROM "ReceiptItem";
DROP TABLE "ReceiptItem";
ALTER TABLE "new_ReceiptItem" RENAME TO "ReceiptItem";
CREATE UNIQUE INDEX "ReceiptItem_billingKey_key" ON "ReceiptItem"("billingKey");
CREATE INDEX "ReceiptItem_receiptId_idx" ON "ReceiptItem"("receiptId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
