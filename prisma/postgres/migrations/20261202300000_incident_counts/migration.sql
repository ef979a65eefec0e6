-- AlterTable: an incident keeps its reports' count, departments and first and last report times.
ALTER TABLE "Incident" ADD COLUMN     "departmentKeys" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "firstReportAt" TIMESTAMP(3),
ADD COLUMN     "lastReportAt" TIMESTAMP(3),
ADD COLUMN     "reportCount" INTEGER NOT NULL DEFAULT 0;

-- Backfill from the incidents' children.
UPDATE "Incident" i SET
  "reportCount" = (SELECT COUNT(*) FROM "Ticket" t WHERE t."incidentId" = i."id"),
  "firstReportAt" = (SELECT MIN(t."createdAt") FROM "Ticket" t WHERE t."incidentId" = i."id"),
  "lastReportAt" = (SELECT MAX(t."createdAt") FROM "Ticket" t WHERE t."incidentId" = i."id"),
  "departmentKeys" = COALESCE((
    SELECT string_agg(d.k, ',' ORDER BY d.first) FROM (
      SELECT COALESCE(t."departmentId", '~' || t."reporterId") AS k, MIN(t."id") AS first
      FROM "Ticket" t WHERE t."incidentId" = i."id"
      GROUP BY 1
    ) d
  ), '');

-- A card's pending rows are found by its message and status (the sent ones of a long-lived card pile up).
DROP INDEX "Outbox_refId_idx";
CREATE INDEX "Outbox_refId_status_idx" ON "Outbox"("refId", "status");
