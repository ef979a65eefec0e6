-- AlterTable: an incident knows who saw it first and keeps its alerts' counts as they change.
ALTER TABLE "Incident" ADD COLUMN "origin" TEXT NOT NULL DEFAULT 'people';
ALTER TABLE "Incident" ADD COLUMN "firstAlertAt" DATETIME;
ALTER TABLE "Incident" ADD COLUMN "alertCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Incident" ADD COLUMN "alertsFiring" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Incident" ADD COLUMN "alertsResolvedAt" DATETIME;
ALTER TABLE "Incident" ADD COLUMN "confirmAskedAt" DATETIME;

-- CreateTable: one firing of one monitoring alert from one source.
CREATE TABLE "Alert" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "firedAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "endsAt" DATETIME,
    "system" TEXT,
    "severity" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "link" TEXT,
    "labels" JSONB,
    "state" TEXT NOT NULL,
    "incidentId" INTEGER,
    "changeId" INTEGER,
    "flaps" INTEGER NOT NULL DEFAULT 0,
    "receivedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Alert_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Alert_changeId_fkey" FOREIGN KEY ("changeId") REFERENCES "Approval" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Alert_source_fingerprint_startsAt_key" ON "Alert"("source", "fingerprint", "startsAt");

-- CreateIndex
CREATE INDEX "Alert_source_fingerprint_status_idx" ON "Alert"("source", "fingerprint", "status");

-- CreateIndex
CREATE INDEX "Alert_incidentId_idx" ON "Alert"("incidentId");

-- CreateIndex
CREATE INDEX "Alert_system_status_idx" ON "Alert"("system", "status");

-- CreateIndex
CREATE INDEX "Alert_changeId_idx" ON "Alert"("changeId");
