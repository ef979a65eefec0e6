-- CreateTable
CREATE TABLE "DirectoryDepartment" (
    "platform" TEXT NOT NULL,
    "platformDepartmentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "parentId" TEXT,
    "departmentId" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("platform", "platformDepartmentId")
);

-- CreateTable
CREATE TABLE "DirectorySync" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "requestedById" TEXT,
    "replyPlatform" TEXT,
    "replyChatId" TEXT,
    "lockedBy" TEXT,
    "added" INTEGER,
    "changed" INTEGER,
    "left" INTEGER,
    "error" TEXT,
    "requestedAt" DATETIME NOT NULL,
    "startedAt" DATETIME,
    "finishedAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Person" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "callName" TEXT NOT NULL,
    "departmentId" TEXT,
    "itGroupId" TEXT,
    "title" TEXT,
    "phone" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "source" TEXT NOT NULL DEFAULT 'org',
    "mobile" TEXT,
    "directoryDepartments" JSONB,
    "lookedUpAt" DATETIME,
    "departmentAskedAt" DATETIME,
    "leftAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Person_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Person_itGroupId_fkey" FOREIGN KEY ("itGroupId") REFERENCES "ItGroup" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Person" ("active", "callName", "departmentId", "id", "itGroupId", "name", "phone", "title", "updatedAt") SELECT "active", "callName", "departmentId", "id", "itGroupId", "name", "phone", "title", "updatedAt" FROM "Person";
DROP TABLE "Person";
ALTER TABLE "new_Person" RENAME TO "Person";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "DirectorySync_status_requestedAt_idx" ON "DirectorySync"("status", "requestedAt");

