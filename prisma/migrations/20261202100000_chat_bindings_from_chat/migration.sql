-- AlterTable
ALTER TABLE "ChatBinding" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'org';
ALTER TABLE "ChatBinding" ADD COLUMN "boundById" TEXT;
ALTER TABLE "ChatBinding" ADD COLUMN "boundAt" DATETIME;
