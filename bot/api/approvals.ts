import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { statusText } from '../approvals/cards.js';
import type { Db } from '../db/client.js';
import { APPROVAL_TYPES } from '../org/approvals-schema.js';
import type { InForce } from '../organisation.js';
import { apiGuard, type ApiAccess } from './guard.js';

const Query = z.object({
  status: z.enum(['pending', 'approved', 'rejected', 'cancelled']).optional(),
  type: z.enum(APPROVAL_TYPES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** `GET /api/approvals`: requests with their chain and every decision (the approval history). */
export const approvalRoutes: FastifyPluginAsync<{ db: Db; organisation: Pick<InForce, 'directory'>; access: ApiAccess }> = async (app, deps) => {
  const { db, organisation } = deps;
  const who = (id: string | null) => (id ? { id, name: organisation.directory.person(id)?.name ?? id } : null);
  app.addHook('onRequest', apiGuard(deps.access));
  app.get('/api/approvals', async (req, reply) => {
    const query = Query.safeParse(req.query);
    if (!query.success) return reply.code(400).send({ error: query.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    const { status, type, limit, offset } = query.data;
    const where = { status, type };
    const [total, approvals] = await Promise.all([
      db.approval.count({ where }),
      db.approval.findMany({
        where,
        orderBy: { id: 'desc' },
        take: limit,
        skip: offset,
        include: { steps: { orderBy: [{ stage: 'asc' }, { id: 'asc' }], include: { decisions: { orderBy: { id: 'asc' } } } } },
      }),
    ]);
    return {
      total,
      approvals: approvals.map((a) => ({
        number: a.number,
        type: a.type,
        status: a.status,
        state: statusText(a),
        title: a.title,
        requester: who(a.requesterId),
        subject: who(a.subjectId),
        form: a.data,
        createdAt: a.createdAt.toISOString(),
        decidedAt: a.decidedAt?.toISOString() ?? null,
        phase: a.phase,
        steps: a.steps.map((s) => ({
          stage: s.stage,
          name: s.name,
          kind: s.kind,
          rule: s.rule,
          quorum: s.quorum,
          status: s.status,
          approvers: (s.approvers as string[]).map(who),
          decisions: s.decisions.map((d) => ({
            approver: who(d.approverId),
            decidedBy: who(d.actorId),
            onBehalfOf: d.actorId !== d.approverId,
            decision: d.decision,
            comment: d.comment,
            at: d.createdAt.toISOString(),
          })),
        })),
      })),
    };
  });
};
