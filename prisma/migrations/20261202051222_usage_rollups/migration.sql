-- CreateTable
CREATE TABLE "UsageRollup" (
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
    "costSatang" BIGINT NOT NULL
);

-- CreateIndex
CREATE INDEX "UsageRollup_bucket_idx" ON "UsageRollup"("bucket");

-- CreateIndex
CREATE INDEX "UsageRollup_user_bucket_idx" ON "UsageRollup"("user", "bucket");
