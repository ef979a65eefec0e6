-- AlterTable
ALTER TABLE "ChatBinding" ADD COLUMN     "boundAt" TIMESTAMP(3),
ADD COLUMN     "boundById" TEXT,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'org';
