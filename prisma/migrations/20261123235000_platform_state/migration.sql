-- CreateTable
CREATE TABLE "PlatformState" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "PlatformState_expiresAt_idx" ON "PlatformState"("expiresAt");

