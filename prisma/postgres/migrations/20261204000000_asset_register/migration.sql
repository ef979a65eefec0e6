-- CreateTable: the IT asset register, one row per asset label.
CREATE TABLE "Asset" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Asset_pkey" PRIMARY KEY ("id")
);

-- CreateTable: an asset's history besides its repairs.
CREATE TABLE "AssetEvent" (
    "id" SERIAL NOT NULL,
    "assetId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "actorId" TEXT,
    "data" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AssetEvent_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "AssetEvent" ADD CONSTRAINT "AssetEvent_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
