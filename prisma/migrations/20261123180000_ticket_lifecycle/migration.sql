-- CreateTable
CREATE TABLE "Incident" (
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
    "resolvedAt" DATETIME
);

-- CreateTable
CREATE TABLE "IncidentNotice" (
    "incidentId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,

    PRIMARY KEY ("incidentId", "platform", "chatId"),
    CONSTRAINT "IncidentNotice_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "KnowledgeArticle" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "keywords" JSONB NOT NULL,
    "steps" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Ticket" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "reporterId" TEXT NOT NULL,
    "departmentId" TEXT,
    "location" TEXT,
    "building" TEXT,
    "floor" TEXT,
    "room" TEXT,
    "assetNumber" TEXT,
    "phone" TEXT,
    "system" TEXT,
    "category" TEXT,
    "itGroupId" TEXT,
    "assigneeId" TEXT,
    "responseDueAt" DATETIME NOT NULL,
    "resolveDueAt" DATETIME,
    "claimedAt" DATETIME,
    "resolvedAt" DATETIME,
    "closedAt" DATETIME,
    "closeReason" TEXT,
    "solution" TEXT,
    "rating" INTEGER,
    "ratingComment" TEXT,
    "nextEscalationAt" DATETIME,
    "escalationLevel" INTEGER NOT NULL DEFAULT 0,
    "nextUpdateAt" DATETIME,
    "confirmDueAt" DATETIME,
    "awaiting" TEXT,
    "awaitingUntil" DATETIME,
    "incidentId" INTEGER,
    "sourcePlatform" TEXT NOT NULL,
    "sourceChatId" TEXT NOT NULL,
    "sourceMessageId" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Ticket_reporterId_fkey" FOREIGN KEY ("reporterId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Ticket_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_itGroupId_fkey" FOREIGN KEY ("itGroupId") REFERENCES "ItGroup" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Ticket" ("assetNumber", "assigneeId", "building", "category", "claimedAt", "closedAt", "createdAt", "departmentId", "description", "floor", "id", "itGroupId", "location", "number", "phone", "priority", "reporterId", "resolvedAt", "responseDueAt", "room", "sourceChatId", "sourceMessageId", "sourcePlatform", "status", "system", "title", "updatedAt", "version") SELECT "assetNumber", "assigneeId", "building", "category", "claimedAt", "closedAt", "createdAt", "departmentId", "description", "floor", "id", "itGroupId", "location", "number", "phone", "priority", "reporterId", "resolvedAt", "responseDueAt", "room", "sourceChatId", "sourceMessageId", "sourcePlatform", "status", "system", "title", "updatedAt", "version" FROM "Ticket";
DROP TABLE "Ticket";
ALTER TABLE "new_Ticket" RENAME TO "Ticket";
CREATE UNIQUE INDEX "Ticket_number_key" ON "Ticket"("number");
CREATE INDEX "Ticket_status_priority_idx" ON "Ticket"("status", "priority");
CREATE INDEX "Ticket_assigneeId_status_idx" ON "Ticket"("assigneeId", "status");
CREATE INDEX "Ticket_createdAt_idx" ON "Ticket"("createdAt");
CREATE INDEX "Ticket_nextEscalationAt_idx" ON "Ticket"("nextEscalationAt");
CREATE INDEX "Ticket_nextUpdateAt_idx" ON "Ticket"("nextUpdateAt");
CREATE INDEX "Ticket_confirmDueAt_idx" ON "Ticket"("confirmDueAt");
CREATE INDEX "Ticket_reporterId_sourceChatId_status_idx" ON "Ticket"("reporterId", "sourceChatId", "status");
CREATE INDEX "Ticket_system_createdAt_idx" ON "Ticket"("system", "createdAt");
CREATE INDEX "Ticket_incidentId_idx" ON "Ticket"("incidentId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Incident_number_key" ON "Incident"("number");

-- CreateIndex
CREATE INDEX "Incident_status_system_idx" ON "Incident"("status", "system");

