import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { mayReadAudit } from '../dashboard/access.js';
import { dashboardPage, noticePage } from '../dashboard/page.js';
import { dashboardView } from '../dashboard/period.js';
import { t } from '../i18n/zh.js';
import { auditViewRoutes } from './dashboard-audit.js';
import { COOKIE, dashboardSignIn, SECURITY, type DashboardOptions } from './dashboard-signin.js';
import { apiCallerOf } from './guard.js';
import { reportHandler } from './rhythm.js';

export { COOKIE, cookieOf, type DashboardOptions } from './dashboard-signin.js';

/**
 * `GET /dashboard` (the leaders' page) and `GET /dashboard/data` (its figures as JSON), for a person
 * signed in by the link `看板` sent (`?t=…`, then a cookie for the rest of its 12 hours) or a program
 * with a `read` token (Bearer). The scripts and the stylesheet come from this server: hospital
 * networks are closed.
 */

const resolvePackage = createRequire(import.meta.url).resolve;
/** A file read at its first request, then kept. */
const asset = (file: () => string) => {
  let body: Buffer | undefined;
  return () => (body ??= readFileSync(file()));
};
const ASSETS: Record<string, { type: string; body: () => Buffer }> = {
  'echarts.min.js': { type: 'text/javascript; charset=utf-8', body: asset(() => resolvePackage('echarts/dist/echarts.min.js')) },
  'dashboard.js': { type: 'text/javascript; charset=utf-8', body: asset(() => fileURLToPath(new URL('../dashboard/assets/dashboard.js', import.meta.url))) },
  'dashboard.css': { type: 'text/css; charset=utf-8', body: asset(() => fileURLToPath(new URL('../dashboard/assets/dashboard.css', import.meta.url))) },
  'views.css': { type: 'text/css; charset=utf-8', body: asset(() => fileURLToPath(new URL('../dashboard/assets/views.css', import.meta.url))) },
};

export const dashboardRoutes: FastifyPluginAsync<DashboardOptions> = async (app, deps) => {
  const signIn = dashboardSignIn(deps);

  app.get<{ Params: { file: string } }>('/dashboard/assets/:file', async (req, reply) => {
    const found = Object.hasOwn(ASSETS, req.params.file) ? ASSETS[req.params.file] : undefined;
    if (!found) return reply.code(404).send({ error: 'no such file' });
    return reply.type(found.type).header('cache-control', 'public, max-age=3600').send(found.body());
  });

  async function serve(req: FastifyRequest, reply: FastifyReply, html: boolean) {
    const who = await signIn(req, reply, html);
    if (who === 'answered') return reply;
    const { directory, timeZone } = deps.organisation;
    const checked = dashboardView(req.query, { directory, timeZone, now: deps.clock.now() });
    if (!checked.ok) {
      const text = t(`dashboard.bad.${checked.problem}`);
      reply.code(400).headers(SECURITY);
      if (!html) return reply.send({ error: text });
      return reply.type('text/html; charset=utf-8').send(noticePage(t('dashboard.bad.title'), text, { href: '/dashboard', label: t('dashboard.bad.back') }));
    }
    const fromUrl = (req.query as Record<string, unknown>).t;
    if (who !== 'token' && typeof fromUrl === 'string' && fromUrl) {
      // The link signs in once; the cookie carries the sign-in for the rest of the link's time, and the URL loses the token.
      const maxAge = Math.max(0, Math.floor((who.expiresAt.getTime() - deps.clock.now().getTime()) / 1000));
      const secure = req.protocol === 'https' ? '; Secure' : '';
      reply.header('set-cookie', `${COOKIE}=${fromUrl}; Path=/dashboard; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`);
      if (html) {
        const rest = new URLSearchParams(Object.entries(req.query as Record<string, string>).filter(([k, v]) => k !== 't' && typeof v === 'string'));
        return reply.headers(SECURITY).redirect(`/dashboard${rest.toString() ? `?${rest}` : ''}`, 303);
      }
    }
    const figures = await deps.unitOfWork(({ dashboardFigures }) => dashboardFigures.of(checked.view));
    reply.headers(SECURITY);
    if (!html) return figures;
    // The audit trail's panel for the IT director, or a program whose token may read the trail.
    const audit = who === 'token' ? apiCallerOf(req)?.scope === 'admin' : mayReadAudit(directory, who.person);
    return reply.type('text/html; charset=utf-8').send(dashboardPage(figures, timeZone, { audit }));
  }

  const register = reportHandler(deps.exports, () => deps.organisation.timeZone);
  app.get<{ Params: { name: string } }>('/dashboard/reports/:name', async (req, reply) => {
    if ((await signIn(req, reply, true, 'export')) === 'answered') return reply;
    return register(req, reply);
  });
  auditViewRoutes(app, deps, signIn);
  app.get('/dashboard', (req, reply) => serve(req, reply, true));
  app.get('/dashboard/data', (req, reply) => serve(req, reply, false));
};
