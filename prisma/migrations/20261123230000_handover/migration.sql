-- CreateTable
CREATE TABLE "Handover" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shiftId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "fromId" TEXT NOT NULL,
    "toId" TEXT,
    "status" TEXT NOT NULL,
    "checklist" JSONB,
    "pending" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "submittedAt" DATETIME,
    "acceptedAt" DATETIME,
    "acceptDueAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Handover_status_acceptDueAt_idx" ON "Handover"("status", "acceptDueAt");

-- CreateIndex
CREATE UNIQUE INDEX "Handover_shiftId_day_key" ON "Handover"("shiftId", "day");

