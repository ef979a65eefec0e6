-- CreateTable
CREATE TABLE "Approval" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "requesterId" TEXT NOT NULL,
    "subjectId" TEXT,
    "title" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "phase" TEXT,
    "windowStart" DATETIME,
    "windowEnd" DATETIME,
    "implementerId" TEXT,
    "nextPhaseAt" DATETIME,
    "reviewDueAt" DATETIME,
    "sourcePlatform" TEXT NOT NULL,
    "sourceChatId" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL,
    "decidedAt" DATETIME
);

-- CreateTable
CREATE TABLE "ApprovalStep" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "approvalId" INTEGER NOT NULL,
    "stage" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "quorum" INTEGER NOT NULL DEFAULT 1,
    "approvers" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "startedAt" DATETIME,
    "completedAt" DATETIME,
    "remindAt" DATETIME,
    "reminders" INTEGER NOT NULL DEFAULT 0,
    "claimedById" TEXT,
    CONSTRAINT "ApprovalStep_approvalId_fkey" FOREIGN KEY ("approvalId") REFERENCES "Approval" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ApprovalDecision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "stepId" INTEGER NOT NULL,
    "approverId" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "comment" TEXT,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "ApprovalDecision_stepId_fkey" FOREIGN KEY ("stepId") REFERENCES "ApprovalStep" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Delegation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "delegatorId" TEXT NOT NULL,
    "delegateId" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "reason" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Approval_number_key" ON "Approval"("number");

-- CreateIndex
CREATE INDEX "Approval_requesterId_status_idx" ON "Approval"("requesterId", "status");

-- CreateIndex
CREATE INDEX "Approval_status_type_idx" ON "Approval"("status", "type");

-- CreateIndex
CREATE INDEX "Approval_nextPhaseAt_idx" ON "Approval"("nextPhaseAt");

-- CreateIndex
CREATE INDEX "ApprovalStep_approvalId_stage_idx" ON "ApprovalStep"("approvalId", "stage");

-- CreateIndex
CREATE INDEX "ApprovalStep_status_remindAt_idx" ON "ApprovalStep"("status", "remindAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalDecision_stepId_approverId_key" ON "ApprovalDecision"("stepId", "approverId");

-- CreateIndex
CREATE INDEX "Delegation_delegatorId_endsAt_idx" ON "Delegation"("delegatorId", "endsAt");

-- CreateIndex
CREATE INDEX "Delegation_delegateId_endsAt_idx" ON "Delegation"("delegateId", "endsAt");

