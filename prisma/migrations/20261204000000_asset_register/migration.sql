-- CreateTable: the IT asset register, one row per asset label.
CREATE TABLE "Asset" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" TEXT NOT NULL,
    "kind" TEXT,
    "model" TEXT,
    "departmentId" TEXT,
    "location" TEXT,
    "userName" TEXT,
    "purchasedOn" TEXT,
    "warrantyUntil" TEXT,
    "vendor" TEXT,
    "vendorContact" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable: an asset's history besides its repairs.
CREATE TABLE "AssetEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "assetId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "actorId" TEXT,
    "data" JSONB,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "AssetEvent_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Asset_number_key" ON "Asset"("number");

-- CreateIndex
CREATE INDEX "Asset_departmentId_idx" ON "Asset"("departmentId");

-- CreateIndex
CREATE INDEX "Asset_kind_idx" ON "Asset"("kind");

-- CreateIndex
CREATE INDEX "Asset_warrantyUntil_idx" ON "Asset"("warrantyUntil");

-- CreateIndex
CREATE INDEX "AssetEvent_assetId_id_idx" ON "AssetEvent"("assetId", "id");

-- CreateIndex: an asset's repairs, the tickets naming its number.
CREATE INDEX "Ticket_assetNumber_createdAt_idx" ON "Ticket"("assetNumber", "createdAt");
