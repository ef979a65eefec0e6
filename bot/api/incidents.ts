import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { incidentDetail, INCIDENT_STATUSES, listIncidents } from '../incidents/views.js';
import type { InForce } from '../organisation.js';
import { IncidentNumber } from '../tickets/number.js';
import { apiGuard, type ApiAccess } from './guard.js';
import { Moment, Page, periodOf, queryError } from './period.js';

const IncidentQuery = z.object({
  status: z.enum(INCIDENT_STATUSES).optional(),
  system: z.string().trim().min(1).max(100).optional(),
  from: Moment.optional(),
  to: Moment.optional(),
  ...Page,
});

export interface IncidentRouteDeps {
  db: Db;
  /** The directory and time zone in force (read at each request: the organisation file may be reloaded). */
  organisation: Pick<InForce, 'directory' | 'timeZone'>;
  access: ApiAccess;
}

/** `GET /api/incidents` (filters: status, system, period) and `GET /api/incidents/:number` (any token). */
export const incidentRoutes: FastifyPluginAsync<IncidentRouteDeps> = async (app, deps) => {
  const { db, organisation, access } = deps;

  app.get('/api/incidents', { onRequest: apiGuard(access) }, async (req, reply) => {
    const query = IncidentQuery.safeParse(req.query);
    if (!query.success) return reply.code(400).send(queryError(query.error));
    const period = periodOf(query.data, organisation.timeZone);
    if ('error' in period) return reply.code(400).send(period);
    const { status, system, limit, offset } = query.data;
    return listIncidents(db, organisation.directory, { status, system, ...period, limit, offset }, access.now());
  });

  app.get<{ Params: { number: string } }>('/api/incidents/:number', { onRequest: apiGuard(access) }, async (req, reply) => {
    const number = IncidentNumber.safeParse(req.params.number);
    if (!number.success) return reply.code(400).send({ error: 'an incident number looks like INC-20261123-01' });
    const incident = await incidentDetail(db, organisation.directory, number.data, access.now());
    if (!incident) return reply.code(404).send({ error: `incident ${number.data} not found` });
    return incident;
  });
};
