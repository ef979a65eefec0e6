import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Ticket, TicketEvent } from '../../generated/prisma/client.js';
import type { Db } from '../db/client.js';
import type { Directory } from '../org/directory.js';
import type { InForce } from '../organisation.js';
import { PRIORITIES } from '../org/schema.js';
import { ensureKnown } from '../people/store.js';
import { TicketNumber } from '../tickets/number.js';
import { apiGuard, type ApiAccess } from './guard.js';

const ListQuery = z.object({
  status: z.enum(['open', 'claimed', 'resolved', 'closed']).optional(),
  priority: z.enum(PRIORITIES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The incident a ticket belongs to, as the API shows it. */
export type TicketIncidentJson = { number: string; priority: string; status: string };

/** The incidents of a page of tickets, read in one query, by id. */
async function incidentsOf(db: Db, tickets: Pick<Ticket, 'incidentId'>[]): Promise<Map<number, TicketIncidentJson>> {
  const ids = [...new Set(tickets.map((x) => x.incidentId).filter((id): id is number => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db.incident.findMany({ where: { id: { in: ids } }, select: { id: true, number: true, priority: true, status: true } });
  return new Map(rows.map(({ id, ...incident }) => [id, incident]));
}

export function ticketJson(ticket: Ticket, directory: Directory, incidents: Map<number, TicketIncidentJson> = new Map()) {
  const name = (id: string | null) => (id ? { id, name: directory.person(id)?.name ?? id } : null);
  // The reporter's own department (the ticket's may be where the fault is), as the file or their directory says.
  const reporterDepartment = directory.person(ticket.reporterId)?.department;
  return {
    number: ticket.number,
    status: ticket.status,
    priority: ticket.priority,
    title: ticket.title,
    description: ticket.description,
    reporter: {
      ...name(ticket.reporterId)!,
      department: reporterDepartment ? { id: reporterDepartment, name: directory.departmentName(reporterDepartment) } : null,
    },
    department: ticket.departmentId ? { id: ticket.departmentId, name: directory.departmentName(ticket.departmentId) } : null,
    location: ticket.location,
    assetNumber: ticket.assetNumber,
    phone: ticket.phone,
    system: ticket.system,
    systemId: (ticket.system && directory.org.systems.find((s) => s.name === ticket.system)?.id) || null,
    category: ticket.category,
    itGroup: ticket.itGroupId ? { id: ticket.itGroupId, name: directory.itGroupName(ticket.itGroupId) } : null,
    assignee: name(ticket.assigneeId),
    responseDueAt: ticket.responseDueAt.toISOString(),
    claimedAt: ticket.claimedAt?.toISOString() ?? null,
    resolvedAt: ticket.resolvedAt?.toISOString() ?? null,
    closedAt: ticket.closedAt?.toISOString() ?? null,
    closeReason: ticket.closeReason,
    duplicateOf: ticket.duplicateOf,
    incident: (ticket.incidentId !== null && incidents.get(ticket.incidentId)) || null,
    // A repair's cost in yuan and the department it is charged to.
    repairCost: ticket.repairCostFen === null ? null : ticket.repairCostFen / 100,
    chargedDepartment: ticket.chargedDepartmentId ? { id: ticket.chargedDepartmentId, name: directory.departmentName(ticket.chargedDepartmentId) } : null,
    createdAt: ticket.createdAt.toISOString(),
  };
}

function eventJson(event: TicketEvent) {
  return { type: event.type, actorId: event.actorId, data: event.data, at: event.createdAt.toISOString() };
}

export const ticketRoutes: FastifyPluginAsync<{ db: Db; organisation: Pick<InForce, 'directory'>; access: ApiAccess }> = async (app, deps) => {
  const { db, organisation } = deps;
  app.addHook('onRequest', apiGuard(deps.access));

  app.get('/api/tickets', async (req, reply) => {
    const query = ListQuery.safeParse(req.query);
    if (!query.success) {
      return reply.code(400).send({ error: query.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    }
    const { status, priority, limit, offset } = query.data;
    const where = { status, priority };
    const [total, tickets] = await Promise.all([db.ticket.count({ where }), db.ticket.findMany({ where, orderBy: { id: 'desc' }, take: limit, skip: offset })]);
    const incidents = await incidentsOf(db, tickets);
    const { directory } = organisation;
    await ensureKnown(
      db,
      directory,
      tickets.flatMap((x) => [x.reporterId, x.assigneeId]),
    );
    return { total, tickets: tickets.map((t) => ticketJson(t, directory, incidents)) };
  });

  app.get<{ Params: { number: string } }>('/api/tickets/:number', async (req, reply) => {
    const number = TicketNumber.safeParse(req.params.number);
    if (!number.success) return reply.code(400).send({ error: 'a ticket number looks like IT-20261123-0001' });
    const ticket = await db.ticket.findUnique({
      where: { number: number.data },
      include: { events: { orderBy: { id: 'asc' } }, attachments: { orderBy: { id: 'asc' } } },
    });
    if (!ticket) return reply.code(404).send({ error: `ticket ${number.data} not found` });
    await ensureKnown(db, organisation.directory, [ticket.reporterId, ticket.assigneeId]);
    return {
      ...ticketJson(ticket, organisation.directory, await incidentsOf(db, [ticket])),
      events: ticket.events.map(eventJson),
      attachments: ticket.attachments.map((a) => ({ id: a.id, kind: a.kind, status: a.status, size: a.size, mime: a.mime })),
    };
  });

  app.get<{ Params: { number: string; id: string } }>('/api/tickets/:number/attachments/:id', async (req, reply) => {
    const number = TicketNumber.safeParse(req.params.number);
    const id = z.coerce.number().int().positive().safeParse(req.params.id);
    if (!number.success || !id.success) return reply.code(400).send({ error: 'bad ticket number or attachment id' });
    const file = await db.attachment.findFirst({ where: { id: id.data, ticket: { number: number.data } } });
    if (!file) return reply.code(404).send({ error: 'attachment not found' });
    if (file.status !== 'stored' || !file.path) return reply.code(409).send({ error: `attachment is ${file.status}` });
    return reply.type(file.mime ?? 'application/octet-stream').send(await readFile(file.path));
  });
};
