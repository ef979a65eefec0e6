import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { AuditLog } from '../audit.js';
import { transact } from '../db/transact.js';
import { auditRows, recordAuditRead } from '../reports/audit.js';
import { apiCallerOf, apiGuard, BOOTSTRAP_CALLER } from './guard.js';
import type { IncidentRouteDeps } from './incidents.js';
import { Moment, Page, periodOf, queryError } from './period.js';

const ENTITY = /^([a-z][a-z0-9_-]*)(?::(.+))?$/;

const AuditQuery = z.object({
  entity: z.string().trim().max(200).regex(ENTITY, 'an entity type like ticket, or one entity like ticket:IT-20261123-0001').optional(),
  actor: z.string().trim().min(1).max(100).optional(),
  from: Moment.optional(),
  to: Moment.optional(),
  limit: Page.limit,
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'the nextCursor of the page before')
    .optional(),
});

/**
 * `GET /api/audit?entity=&actor=&from=&to=&limit=&cursor=`: the audit rows, newest first, for admin
 * tokens only (it shows everyone's actions). Each read is itself an audit row (`audit.read`, the
 * token's name as its actor).
 */
export const auditRoutes: FastifyPluginAsync<IncidentRouteDeps> = async (app, deps) => {
  const { db, organisation, access } = deps;

  app.get('/api/audit', { onRequest: apiGuard(access, 'admin') }, async (req, reply) => {
    const query = AuditQuery.safeParse(req.query);
    if (!query.success) return reply.code(400).send(queryError(query.error));
    const period = periodOf(query.data, organisation.timeZone);
    if ('error' in period) return reply.code(400).send(period);
    const { entity, actor, from, to, limit, cursor } = query.data;
    const [, entityType, entityId] = entity ? ENTITY.exec(entity)! : [];
    const reader = apiCallerOf(req)?.name ?? BOOTSTRAP_CALLER;
    // The read and its audit row commit together: no rows are shown without the read being recorded.
    return transact(db, async (tx) => {
      const page = await auditRows(tx, organisation.directory, {
        entityType,
        entityId,
        actorId: actor,
        ...period,
        limit,
        before: cursor ? Number(cursor) : undefined,
      });
      await recordAuditRead(new AuditLog(tx, access.now), reader, { entity, actor, from, to, cursor }, page.rows.length);
      return page;
    });
  });
};
