-- AlterTable: an incident knows who saw it first and keeps its alerts' counts as they change.
ALTER TABLE "Incident" ADD COLUMN     "alertCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "alertsFiring" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "alertsResolvedAt" TIMESTAMP(3),
ADD COLUMN     "confirmAskedAt" TIMESTAMP(3),
ADD COLUMN     "firstAlertAt" TIMESTAMP(3),
ADD COLUMN     "origin" TEXT NOT NULL DEFAULT 'people';

-- CreateTable: one firing of one monitoring alert from one source.
CREATE TABLE "Alert" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "firedAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "endsAt" TIMESTAMP(3),
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
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_changeId_fkey" FOREIGN KEY ("changeId") REFERENCES "Approval"("id") ON DELETE SET NULL ON UPDATE CASCADE;
