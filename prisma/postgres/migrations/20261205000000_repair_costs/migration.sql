-- AlterTable: a repair's cost (in fen) and the department it is charged to.
ALTER TABLE "Ticket" ADD COLUMN "repairCostFen" INTEGER;
ALTER TABLE "Ticket" ADD COLUMN "chargedDepartmentId" TEXT;
