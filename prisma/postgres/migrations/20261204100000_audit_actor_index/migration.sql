-- CreateIndex: the audit trail read by who acted (GET /api/audit?actor=).
CREATE INDEX "AuditLog_actorId_idx" ON "AuditLog"("actorId");
