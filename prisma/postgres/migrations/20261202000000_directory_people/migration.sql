-- DropForeignKey
ALTER TABLE "Person" DROP CONSTRAINT "Person_departmentId_fkey";

-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "departmentAskedAt" TIMESTAMP(3),
ADD COLUMN     "directoryDepartments" JSONB,
ADD COLUMN     "leftAt" TIMESTAMP(3),
ADD COLUMN     "lookedUpAt" TIMESTAMP(3),
ADD COLUMN     "mobile" TEXT,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'org',
ALTER COLUMN "departmentId" DROP NOT NULL;

-- CreateTable
CREATE TABLE "DirectoryDepartment" (
    "platform" TEXT NOT NULL,
    "platformDepartmentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "parentId" TEXT,
    "departmentId" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DirectoryDepartment_pkey" PRIMARY KEY ("platform","platformDepartmentId")
);

-- CreateTable
CREATE TABLE "DirectorySync" (
    "id" SERIAL NOT NULL,
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
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "DirectorySync_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DirectorySync_status_requestedAt_idx" ON "DirectorySync"("status", "requestedAt");

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE SET NULL ON UPDATE CASCADE;
