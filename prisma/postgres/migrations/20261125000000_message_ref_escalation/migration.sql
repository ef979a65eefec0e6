-- AlterTable
ALTER TABLE "MessageRef" ADD COLUMN     "escalationLevel" INTEGER,
ADD COLUMN     "escalationMinutes" INTEGER,
ADD COLUMN     "escalationTargetId" TEXT,
ADD COLUMN     "escalationTargetName" TEXT,
ADD COLUMN     "escalationWhat" TEXT;

-- Escalation messages kept their step in the kind: escalation|what|level|minutes|targetId|targetName.
UPDATE "MessageRef"
SET
    "escalationWhat" = split_part("kind", '|', 2),
    "escalationLevel" = NULLIF(split_part("kind", '|', 3), '')::INTEGER,
    "escalationMinutes" = NULLIF(split_part("kind", '|', 4), '')::INTEGER,
    "escalationTargetId" = NULLIF(split_part("kind", '|', 5), ''),
    "escalationTargetName" = split_part("kind", '|', 6),
    "kind" = 'escalation'
WHERE "kind" LIKE 'escalation|%';
