-- CreateIndex
CREATE INDEX "Outbox_platform_chatId_status_idx" ON "Outbox"("platform", "chatId", "status");

