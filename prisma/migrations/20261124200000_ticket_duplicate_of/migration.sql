-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "duplicateOf" TEXT;
