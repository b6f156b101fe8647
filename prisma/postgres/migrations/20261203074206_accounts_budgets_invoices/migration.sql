-- AlterTable
ALTER TABLE "Receipt" ADD COLUMN     "account" TEXT,
ADD COLUMN     "invoiceNumber" TEXT,
ALTER COLUMN "userId" DROP NOT NULL;

-- CreateTable
CREATE TABLE "SlurmAccount" (
    "name" TEXT NOT NULL,
    "description" TEXT,
    "organization" TEXT,
    "parent" TEXT,
    "tier" TEXT,
    "syncedAt" TIMESTAMP(3) NOT NULL,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "SlurmAccount_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "AccountMember" (
    "id" SERIAL NOT NULL,
    "account" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "until" TIMESTAMP(3),
    "setBy" TEXT,

    CONSTRAINT "AccountMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Budget" (
    "id" SERIAL NOT NULL,
    "account" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "limitSatang" BIGINT NOT NULL,
    "thresholds" TEXT NOT NULL DEFAULT '[50,80,100]',
    "notifyEmails" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Budget_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BudgetAlert" (
    "id" SERIAL NOT NULL,
    "budgetId" INTEGER NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "threshold" INTEGER NOT NULL,
    "spentSatang" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveries" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "BudgetAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InvoiceCounter" (
    "scope" TEXT NOT NULL,
    "next" INTEGER NOT NULL,

    CONSTRAINT "InvoiceCounter_pkey" PRIMARY KEY ("scope")
);

-- CreateIndex
CREATE INDEX "AccountMember_account_until_idx" ON "AccountMember"("account", "until");

-- CreateIndex
CREATE INDEX "AccountMember_username_until_idx" ON "AccountMember"("username", "until");

-- CreateIndex
CREATE UNIQUE INDEX "Budget_account_period_key" ON "Budget"("account", "period");

-- CreateIndex
CREATE UNIQUE INDEX "BudgetAlert_budgetId_periodStart_threshold_key" ON "BudgetAlert"("budgetId", "periodStart", "threshold");

-- CreateIndex
CREATE UNIQUE INDEX "Receipt_invoiceNumber_key" ON "Receipt"("invoiceNumber");

-- CreateIndex
CREATE INDEX "Receipt_account_createdAt_idx" ON "Receipt"("account", "createdAt");

-- AddForeignKey
ALTER TABLE "AccountMember" ADD CONSTRAINT "AccountMember_account_fkey" FOREIGN KEY ("account") REFERENCES "SlurmAccount"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BudgetAlert" ADD CONSTRAINT "BudgetAlert_budgetId_fkey" FOREIGN KEY ("budgetId") REFERENCES "Budget"("id") ON DELETE CASCADE ON UPDATE CASCADE;
