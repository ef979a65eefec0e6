import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mayReadAudit } from '../dashboard/access.js';
import { auditQuery, entityTypes, readAudit } from '../dashboard/audit.js';
import { auditPage } from '../dashboard/audit-page.js';
import { noticePage } from '../dashboard/page.js';
import { t } from '../i18n/zh.js';
import { SECURITY, type DashboardOptions, type SignIn } from './dashboard-signin.js';
import { apiCallerOf, BOOTSTRAP_CALLER } from './guard.js';

/**
 * `GET /dashboard/audit` (the IT director's audit view) and `GET /dashboard/audit/data` (the same page
 * of rows as JSON): for the IT director signed in by their link, or a program with an `admin` token,
 * as GET /api/audit. Leaders' links get 403. Rendered on the server like the figures; every page
 * answered is recorded as `audit.read` with its rows, in one transaction.
 */
export function auditViewRoutes(app: FastifyInstance, deps: DashboardOptions, signIn: SignIn): void {
  async function serve(req: FastifyRequest, reply: FastifyReply, html: boolean) {
    const who = await signIn(req, reply, html, 'admin');
    if (who === 'answered') return reply;
    const { directory, timeZone } = deps.organisation;
    reply.headers(SECURITY);
    const refuse = (status: number, title: string, text: string, reason: string) => {
      reply.code(status);
      if (!html) return reply.send({ error: text, reason });
      return reply.type('text/html; charset=utf-8').send(noticePage(title, text, { href: '/dashboard', label: t('dashboard.audit.back') }));
    };
    if (who !== 'token' && !mayReadAudit(directory, who.person)) {
      return refuse(403, t('dashboard.audit.denied.title'), t('dashboard.audit.denied'), 'not_auditor');
    }
    const checked = auditQuery(req.query, directory);
    if (!checked.ok) return refuse(400, t('dashboard.audit.bad.title'), t(`dashboard.audit.bad.${checked.problem}`), checked.problem);
    const reader = who === 'token' ? (apiCallerOf(req)?.name ?? BOOTSTRAP_CALLER) : who.person.id;
    const at = deps.clock.now();
    const { page, types } = await deps.unitOfWork(async ({ audit }, tx) => ({
      page: await readAudit(tx, audit, directory, checked.query, reader, timeZone),
      types: html ? await entityTypes(tx) : [],
    }));
    if (!html) return page;
    const name = who === 'token' ? reader : who.person.name;
    return reply.type('text/html; charset=utf-8').send(auditPage({ query: checked.query, ...page, types, reader: name, at, timeZone }));
  }

  app.get('/dashboard/audit', (req, reply) => serve(req, reply, true));
  app.get('/dashboard/audit/data', (req, reply) => serve(req, reply, false));
}
