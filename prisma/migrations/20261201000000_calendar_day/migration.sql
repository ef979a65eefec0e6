-- CreateTable
CREATE TABLE "CalendarDay" (
    "day" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "setById" TEXT NOT NULL,
    "setAt" DATETIME NOT NULL
);
