-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Incident" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "system" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "assigneeId" TEXT,
    "solution" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL,
    "claimedAt" DATETIME,
    "resolvedAt" DATETIME,
    "responseDueAt" DATETIME,
    "nextEscalationAt" DATETIME,
    "escalationLevel" INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "new_Incident" ("assigneeId", "claimedAt", "createdAt", "id", "number", "priority", "resolvedAt", "solution", "status", "system", "title", "version") SELECT "assigneeId", "claimedAt", "createdAt", "id", "number", "priority", "resolvedAt", "solution", "status", "system", "title", "version" FROM "Incident";
DROP TABLE "Incident";
ALTER TABLE "new_Incident" RENAME TO "Incident";
CREATE UNIQUE INDEX "Incident_number_key" ON "Incident"("number");
CREATE INDEX "Incident_status_system_idx" ON "Incident"("status", "system");
CREATE INDEX "Incident_nextEscalationAt_idx" ON "Incident"("nextEscalationAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

