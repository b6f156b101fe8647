-- AlterTable
ALTER TABLE "SyncRun" ADD COLUMN "partialReason" TEXT;
