-- AlterTable
ALTER TABLE "MessageRef" ADD COLUMN "escalationLevel" INTEGER;
ALTER TABLE "MessageRef" ADD COLUMN "escalationMinutes" INTEGER;
ALTER TABLE "MessageRef" ADD COLUMN "escalationTargetId" TEXT;
ALTER TABLE "MessageRef" ADD COLUMN "escalationTargetName" TEXT;
ALTER TABLE "MessageRef" ADD COLUMN "escalationWhat" TEXT;

-- Escalation messages kept their step in the kind: escalation|what|level|minutes|targetId|targetName.
-- The parts become a JSON array (quotes and backslashes escaped) and are read into the columns.
UPDATE "MessageRef" AS "ref"
SET
    "escalationWhat" = json_extract("step"."parts", '$[0]'),
    "escalationLevel" = CAST(NULLIF(json_extract("step"."parts", '$[1]'), '') AS INTEGER),
    "escalationMinutes" = CAST(NULLIF(json_extract("step"."parts", '$[2]'), '') AS INTEGER),
    "escalationTargetId" = NULLIF(json_extract("step"."parts", '$[3]'), ''),
    "escalationTargetName" = COALESCE(json_extract("step"."parts", '$[4]'), ''),
    "kind" = 'escalation'
FROM (
    SELECT "id", '["' || replace(replace(replace(substr("kind", 12), '\', '\\'), '"', '\"'), '|', '","') || '"]' AS "parts"
    FROM "MessageRef"
    WHERE "kind" LIKE 'escalation|%'
) AS "step"
WHERE "ref"."id" = "step"."id";
