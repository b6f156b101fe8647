-- CreateTable
CREATE TABLE "UsageRollupDay" (
    "bucket" DATETIME NOT NULL,
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

    PRIMARY KEY ("bucket", "cluster", "account", "partition", "state", "tier", "billed")
);

-- CreateTable
CREATE TABLE "UsageRollupMonth" (
    "bucket" DATETIME NOT NULL,
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

    PRIMARY KEY ("bucket", "cluster", "user", "account", "partition", "state", "tier", "billed")
);

-- CreateTable
CREATE TABLE "UsageMarginalDay" (
    "bucket" DATETIME NOT NULL,
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

    PRIMARY KEY ("dim", "bucket", "value", "billed")
);

-- CreateTable
CREATE TABLE "UsageMarginalMonth" (
    "bucket" DATETIME NOT NULL,
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

    PRIMARY KEY ("dim", "bucket", "value", "billed")
);

-- CreateTable
CREATE TABLE "RollupCalendar" (
    "day" DATETIME NOT NULL PRIMARY KEY,
    "month" DATETIME NOT NULL,
    "zone" TEXT NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_UsageRollup" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "bucket" DATETIME NOT NULL,
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
    "gpuCostSatang" BIGINT NOT NULL
);
-- The quarter-hour rollups are not copied: they gain the CPU and GPU shares of the cost, which only the jobs
-- can give, and the server sums them again from the jobs at start (ensureRollups) when it finds none.
DROP TABLE "UsageRollup";
ALTER TABLE "new_UsageRollup" RENAME TO "UsageRollup";
CREATE INDEX "UsageRollup_bucket_idx" ON "UsageRollup"("bucket");
CREATE INDEX "UsageRollup_user_bucket_idx" ON "UsageRollup"("user", "bucket");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "UsageRollupMonth_user_bucket_idx" ON "UsageRollupMonth"("user", "bucket");

-- CreateIndex
CREATE INDEX "UsageMarginalDay_dim_value_bucket_idx" ON "UsageMarginalDay"("dim", "value", "bucket");

-- CreateIndex
CREATE INDEX "UsageMarginalMonth_dim_value_bucket_idx" ON "UsageMarginalMonth"("dim", "value", "bucket");
