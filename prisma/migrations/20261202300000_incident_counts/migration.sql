-- AlterTable: an incident keeps its reports' count, departments and first and last report times.
ALTER TABLE "Incident" ADD COLUMN "reportCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Incident" ADD COLUMN "departmentKeys" TEXT NOT NULL DEFAULT '';
ALTER TABLE "Incident" ADD COLUMN "firstReportAt" DATETIME;
ALTER TABLE "Incident" ADD COLUMN "lastReportAt" DATETIME;

-- Backfill from the incidents' children.
UPDATE "Incident" SET
  "reportCount" = (SELECT COUNT(*) FROM "Ticket" t WHERE t."incidentId" = "Incident"."id"),
  "firstReportAt" = (SELECT MIN(t."createdAt") FROM "Ticket" t WHERE t."incidentId" = "Incident"."id"),
  "lastReportAt" = (SELECT MAX(t."createdAt") FROM "Ticket" t WHERE t."incidentId" = "Incident"."id"),
  "departmentKeys" = COALESCE((
    SELECT group_concat(k, ',') FROM (
      SELECT COALESCE(t."departmentId", '~' || t."reporterId") AS k, MIN(t."id") AS first
      FROM "Ticket" t WHERE t."incidentId" = "Incident"."id"
      GROUP BY k ORDER BY first
    )
  ), '');

-- A card's pending rows are found by its message and status (the sent ones of a long-lived card pile up).
DROP INDEX "Outbox_refId_idx";
CREATE INDEX "Outbox_refId_status_idx" ON "Outbox"("refId", "status");
