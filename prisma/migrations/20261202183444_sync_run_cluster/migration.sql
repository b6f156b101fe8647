-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_SyncRun" (
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
    "trigger" TEXT NOT NULL,
    "partialReason" TEXT,
    "coveredTo" DATETIME,
    "failedChunks" TEXT NOT NULL DEFAULT '[]',
    "cluster" TEXT NOT NULL DEFAULT ''
);
INSERT INTO "new_SyncRun" ("attempts", "coveredTo", "error", "failedChunks", "finishedAt", "id", "jobCount", "partialReason", "rangeFrom", "rangeTo", "source", "startedAt", "status", "trigger") SELECT "attempts", "coveredTo", "error", "failedChunks", "finishedAt", "id", "jobCount", "partialReason", "rangeFrom", "rangeTo", "source", "startedAt", "status", "trigger" FROM "SyncRun";
DROP TABLE "SyncRun";
ALTER TABLE "new_SyncRun" RENAME TO "SyncRun";
CREATE INDEX "SyncRun_status_rangeTo_idx" ON "SyncRun"("status", "rangeTo");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
