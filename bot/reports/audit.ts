import type { AuditLog as AuditRow, Prisma } from '../../generated/prisma/client.js';
import type { AuditLog } from '../audit.js';
import type { Db, Tx } from '../db/client.js';
import type { Directory } from '../org/directory.js';
import { ensureKnown } from '../people/store.js';
import { maskJson, personJson } from './masked.js';

/** What reading the audit trail is recorded as (the regulations: every data access is logged). */
export const AUDIT_READ = 'audit.read';

export interface AuditFilters {
  /** `ticket`, `incident`, `approval`, `person` … */
  entityType?: string;
  /** One entity of that type: `IT-20261123-0001`. */
  entityId?: string;
  /** Who acted: a person's id, or an API token's name. */
  actorId?: string;
  /** Rows written at or after this… */
  from?: Date;
  /** …and before this. */
  to?: Date;
  limit: number;
  /** Rows older than this one: the `nextCursor` of the page before. */
  before?: number;
}

function rowJson(directory: Directory, row: AuditRow) {
  return {
    id: row.id,
    at: row.createdAt.toISOString(),
    actor: personJson(directory, row.actorId),
    action: row.action,
    entity: { type: row.entityType, id: row.entityId },
    before: maskJson(row.before ?? null),
    after: maskJson(row.after ?? null),
  };
}
export type AuditRowJson = ReturnType<typeof rowJson>;

/**
 * The audit rows that match, newest first, a page at a time: `nextCursor` (the last row's id) asks for
 * the page after, and stays right while new rows are written. Texts are masked as in the digest.
 */
export async function auditRows(db: Db | Tx, directory: Directory, filters: AuditFilters): Promise<{ rows: AuditRowJson[]; nextCursor: string | null }> {
  const where: Prisma.AuditLogWhereInput = {
    entityType: filters.entityType,
    entityId: filters.entityId,
    actorId: filters.actorId,
    ...(filters.from || filters.to ? { createdAt: { gte: filters.from, lt: filters.to } } : {}),
    ...(filters.before !== undefined ? { id: { lt: filters.before } } : {}),
  };
  const found = await db.auditLog.findMany({ where, orderBy: { id: 'desc' }, take: filters.limit + 1 });
  const page = found.slice(0, filters.limit);
  await ensureKnown(
    db,
    directory,
    page.map((r) => r.actorId),
  );
  return { rows: page.map((r) => rowJson(directory, r)), nextCursor: found.length > filters.limit ? String(page.at(-1)!.id) : null };
}

/** Records that `reader` (an API token's name) read the audit trail: what they asked for and how many rows they were shown. */
export async function recordAuditRead(audit: AuditLog, reader: string, asked: Record<string, string | undefined>, shown: number): Promise<void> {
  const filters = Object.fromEntries(Object.entries(asked).filter(([, v]) => v !== undefined && v !== ''));
  await audit.record({
    actorId: reader,
    action: AUDIT_READ,
    entityType: 'audit',
    entityId: typeof filters.entity === 'string' ? filters.entity : '*',
    after: { filters, rows: shown },
  });
}
