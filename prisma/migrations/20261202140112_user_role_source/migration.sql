-- AlterTable
ALTER TABLE "User" ADD COLUMN "roleSource" TEXT;
