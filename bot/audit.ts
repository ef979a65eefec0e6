import type { Tx } from './db/client.js';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** Append-only audit trail; written in the same transaction as the change it records. */
export class AuditLog {
  /** What this transaction recorded, for whoever looks after it commits (the metrics). */
  readonly recorded: AuditEntry[] = [];

  constructor(
    private readonly tx: Tx,
    private readonly now: () => Date,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    this.recorded.push(entry);
    await this.tx.auditLog.create({
      data: {
        actorId: entry.actorId,
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId,
        before: entry.before === undefined ? undefined : (entry.before as object),
        after: entry.after === undefined ? undefined : (entry.after as object),
        createdAt: this.now(),
      },
    });
  }
}
