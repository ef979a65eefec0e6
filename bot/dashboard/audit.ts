import { z } from 'zod';
import type { AuditLog } from '../audit.js';
import { zonedInstant } from '../calendar.js';
import type { Tx } from '../db/client.js';
import type { Directory } from '../org/directory.js';
import { auditRows, recordAuditRead, type AuditRowJson } from '../reports/audit.js';
import { addDays, Day, daysFrom } from './period.js';

/**
 * The audit trail as the IT director reads it on the dashboard (`/dashboard/audit`): the rows of
 * GET /api/audit (masked the same way, newest first, a page at a time by the cursor), asked for by
 * a form, the period in local days as on the dashboard. Each page shown is itself recorded as
 * `audit.read`, in the same transaction.
 */

/** Rows on a page, unless the URL asks for another number. */
export const AUDIT_PAGE = 50;

const Text = z.string().trim().min(1).max(100);
const Query = z.object({
  entity: z
    .string()
    .trim()
    .max(40)
    .regex(/^[a-z][a-z0-9_-]*$/)
    .optional(),
  id: Text.optional(),
  actor: Text.optional(),
  from: Day.optional(),
  to: Day.optional(),
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,15}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(AUDIT_PAGE),
});

/** What the audit view is asked for, as typed (to show it again) and as read. */
export interface AuditQuery {
  /** An entity type: `ticket`, `incident` … */
  entity?: string;
  /** One entity's id (`IT-20261123-0001`), of any type when none is given. */
  id?: string;
  /** Who acted, as typed: a name or an id. */
  actor?: string;
  /** …and as the trail stores them: the person's id, or a token's name. */
  actorId?: string;
  /** Local days, both included. */
  fromDay?: string;
  toDay?: string;
  cursor?: string;
  limit: number;
}

export type AuditProblem = 'entity' | 'date' | 'order' | 'cursor' | 'text' | 'limit';

const PROBLEM: Record<string, AuditProblem> = { entity: 'entity', id: 'text', actor: 'text', from: 'date', to: 'date', cursor: 'cursor', limit: 'limit' };

/** The audit view a URL asks for (`?entity=ticket&actor=罗欣&from=2026-11-01&to=2026-11-30&cursor=…`), or what is wrong with it. */
export function auditQuery(query: unknown, directory: Directory): { ok: true; query: AuditQuery } | { ok: false; problem: AuditProblem } {
  // The form sends an empty field for 全部对象 and for what is left blank.
  const given = Object.fromEntries(Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== ''));
  const q = Query.safeParse(given);
  if (!q.success) return { ok: false, problem: PROBLEM[String(q.error.issues[0]?.path[0])] ?? 'text' };
  const { entity, id, actor, from, to, cursor, limit } = q.data;
  if (from && to && daysFrom(from, to) < 0) return { ok: false, problem: 'order' };
  const person = actor ? directory.org.people.find((p) => p.id === actor || p.name === actor) : undefined;
  return { ok: true, query: { entity, id, actor, actorId: person?.id ?? actor, fromDay: from, toDay: to, cursor, limit } };
}

/** The entity filter as GET /api/audit writes it (`ticket:IT-…`), for the record of the read. */
const entityFilter = (q: AuditQuery) => (q.entity ? (q.id ? `${q.entity}:${q.id}` : q.entity) : q.id ? `*:${q.id}` : undefined);

/** One page of the trail for `reader` (a person's id, or a token's name), recorded as read. */
export async function readAudit(
  tx: Tx,
  audit: AuditLog,
  directory: Directory,
  q: AuditQuery,
  reader: string,
  timeZone: string,
): Promise<{ rows: AuditRowJson[]; nextCursor: string | null }> {
  const page = await auditRows(tx, directory, {
    entityType: q.entity,
    entityId: q.id,
    actorId: q.actorId,
    from: q.fromDay ? zonedInstant(q.fromDay, '00:00', timeZone) : undefined,
    to: q.toDay ? zonedInstant(addDays(q.toDay, 1), '00:00', timeZone) : undefined,
    limit: q.limit,
    before: q.cursor ? Number(q.cursor) : undefined,
  });
  await recordAuditRead(audit, reader, { entity: entityFilter(q), actor: q.actorId, from: q.fromDay, to: q.toDay, cursor: q.cursor }, page.rows.length);
  return page;
}

/** The entity types the trail holds, for the form's choice. */
export async function entityTypes(tx: Tx): Promise<string[]> {
  const types = await tx.auditLog.groupBy({ by: ['entityType'], orderBy: { entityType: 'asc' } });
  return types.map((r) => r.entityType);
}

/** The URL of the same view, on another page. */
export function auditUrl(q: AuditQuery, cursor?: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of [
    ['entity', q.entity],
    ['id', q.id],
    ['actor', q.actor],
    ['from', q.fromDay],
    ['to', q.toDay],
  ] as const) {
    if (value) params.set(key, value);
  }
  if (q.limit !== AUDIT_PAGE) params.set('limit', String(q.limit));
  if (cursor) params.set('cursor', cursor);
  const query = params.toString();
  return `/dashboard/audit${query ? `?${query}` : ''}`;
}
