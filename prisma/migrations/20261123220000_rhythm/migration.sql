-- CreateTable
CREATE TABLE "ScheduledFire" (
    "job" TEXT NOT NULL,
    "fireAt" DATETIME NOT NULL,
    "claimedBy" TEXT NOT NULL,
    "claimedAt" DATETIME NOT NULL,
    "outcome" TEXT NOT NULL,

    PRIMARY KEY ("job", "fireAt")
);

-- CreateTable
CREATE TABLE "JobState" (
    "job" TEXT NOT NULL PRIMARY KEY,
    "lastFireAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ReminderFire" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "reminderId" TEXT NOT NULL,
    "departmentId" TEXT,
    "fireAt" DATETIME NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "doneById" TEXT,
    "doneAt" DATETIME,
    "level" INTEGER NOT NULL DEFAULT 0,
    "nextCheckAt" DATETIME
);

-- CreateTable
CREATE TABLE "DutyAssignment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "date" TEXT NOT NULL,
    "shiftId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ReminderFire_nextCheckAt_idx" ON "ReminderFire"("nextCheckAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReminderFire_reminderId_fireAt_departmentId_key" ON "ReminderFire"("reminderId", "fireAt", "departmentId");

-- CreateIndex
CREATE INDEX "DutyAssignment_personId_date_idx" ON "DutyAssignment"("personId", "date");

-- CreateIndex
CREATE UNIQUE INDEX "DutyAssignment_date_shiftId_key" ON "DutyAssignment"("date", "shiftId");

