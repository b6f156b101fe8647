-- CreateTable
CREATE TABLE "RateRule" (
    "id" SERIAL NOT NULL,
    "tier" TEXT NOT NULL,
    "partition" TEXT,
    "gpuType" TEXT,
    "cpuPerHour" TEXT NOT NULL,
    "gpuPerHour" TEXT NOT NULL,
    "memGBPerHour" TEXT NOT NULL,
    "effectiveFrom" TIMESTAMP(3) NOT NULL,
    "appliedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,

    CONSTRAINT "RateRule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RateRule_appliedAt_effectiveFrom_idx" ON "RateRule"("appliedAt", "effectiveFrom");
