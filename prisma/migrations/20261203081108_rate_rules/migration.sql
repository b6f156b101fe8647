-- CreateTable
CREATE TABLE "RateRule" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tier" TEXT NOT NULL,
    "partition" TEXT,
    "gpuType" TEXT,
    "cpuPerHour" TEXT NOT NULL,
    "gpuPerHour" TEXT NOT NULL,
    "memGBPerHour" TEXT NOT NULL,
    "effectiveFrom" DATETIME NOT NULL,
    "appliedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "RateRule_appliedAt_effectiveFrom_idx" ON "RateRule"("appliedAt", "effectiveFrom");
