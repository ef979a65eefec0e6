-- CreateTable
CREATE TABLE "CalendarDay" (
    "day" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "setById" TEXT NOT NULL,
    "setAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CalendarDay_pkey" PRIMARY KEY ("day")
);
