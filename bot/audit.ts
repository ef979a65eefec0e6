import { sqlOf, type Tx } from './db/client.js';
import { Query } from './db/sql.js';

const RECORD = new Query(
  'INSERT INTO "AuditLog" ("actorId", "action", "entityType", "entityId", "before", "after", "createdAt") VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7)',
);

/** A JSON column's value: what was given, or SQL NULL when nothing was. */
const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

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
    await sqlOf(this.tx).run(RECORD, [entry.actorId, entry.action, entry.entityType, entry.entityId, json(entry.before), json(entry.after), this.now()]);
  }
}
