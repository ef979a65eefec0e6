import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import type { DashboardReader } from '../dashboard/access.js';
import { dashboardPage, noticePage } from '../dashboard/page.js';
import { dashboardView } from '../dashboard/period.js';
import { t, type TextKey } from '../i18n/zh.js';
import type { InForce } from '../organisation.js';
import type { Exports } from '../reports/exports.js';
import type { Services } from '../services.js';
import { apiGuard, type ApiAccess } from './guard.js';
import { reportHandler } from './rhythm.js';

/**
 * `GET /dashboard` (the leaders' page) and `GET /dashboard/data` (its figures as JSON), for a person
 * signed in by the link `看板` sent (`?t=…`, then a cookie for the rest of its 12 hours) or a program
 * with a `read` token (Bearer). The scripts and the stylesheet come from this server: hospital
 * networks are closed.
 */

export const COOKIE = 'hd_dashboard';

export interface DashboardOptions {
  access: ApiAccess;
  organisation: Pick<InForce, 'timeZone' | 'directory'>;
  clock: Clock;
  unitOfWork: <T>(fn: (services: Services) => Promise<T>) => Promise<T>;
  /** The registers the page links (as /api/reports gives them, to a token that may export). */
  exports: () => Exports;
}

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
};

/** The value of one cookie of the request, as sent (a link's token needs no decoding). */
export function cookieOf(req: FastifyRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

const SECURITY = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'",
};

type SignedIn = Extract<DashboardReader, { ok: true }>;

const DENIED: Record<string, TextKey> = {
  none: 'dashboard.denied.none',
  expired: 'dashboard.denied.expired',
  revoked: 'dashboard.denied.revoked',
  forged: 'dashboard.denied.invalid',
  malformed: 'dashboard.denied.invalid',
};

export const dashboardRoutes: FastifyPluginAsync<DashboardOptions> = async (app, deps) => {
  const guards = { read: apiGuard(deps.access, 'read'), export: apiGuard(deps.access, 'export') };

  app.get<{ Params: { file: string } }>('/dashboard/assets/:file', async (req, reply) => {
    const found = Object.hasOwn(ASSETS, req.params.file) ? ASSETS[req.params.file] : undefined;
    if (!found) return reply.code(404).send({ error: 'no such file' });
    return reply.type(found.type).header('cache-control', 'public, max-age=3600').send(found.body());
  });

  /** Who asks: a program with a token, or a person by their link; or 'answered' when refused (the answer is sent). */
  async function signIn(
    req: FastifyRequest,
    reply: FastifyReply,
    html: boolean,
    scope: keyof typeof guards = 'read',
  ): Promise<'token' | SignedIn | 'answered'> {
    if (req.headers.authorization) {
      await guards[scope](req, reply);
      return reply.sent ? 'answered' : 'token';
    }
    const fromUrl = (req.query as Record<string, unknown>).t;
    const token = typeof fromUrl === 'string' && fromUrl ? fromUrl : cookieOf(req, COOKIE);
    const reader = await deps.unitOfWork(({ dashboard }) => dashboard.reader(token));
    if (reader.ok) return reader;
    reply.code(reader.status).headers(SECURITY);
    // A cookie that no longer signs anyone in is dropped.
    if (cookieOf(req, COOKIE)) reply.header('set-cookie', `${COOKIE}=; Path=/dashboard; Max-Age=0; HttpOnly; SameSite=Lax`);
    const [title, text] =
      reader.status === 403
        ? [t('dashboard.denied.forbiddenTitle'), t('dashboard.denied.forbidden')]
        : [t('dashboard.denied.title'), t(DENIED[reader.reason]!)];
    if (html) await reply.type('text/html; charset=utf-8').send(noticePage(title, text));
    else await reply.send({ error: text, reason: reader.reason });
    return 'answered';
  }

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
    return reply.type('text/html; charset=utf-8').send(dashboardPage(figures, timeZone));
  }

  const register = reportHandler(deps.exports, () => deps.organisation.timeZone);
  app.get<{ Params: { name: string } }>('/dashboard/reports/:name', async (req, reply) => {
    if ((await signIn(req, reply, true, 'export')) === 'answered') return reply;
    return register(req, reply);
  });
  app.get('/dashboard', (req, reply) => serve(req, reply, true));
  app.get('/dashboard/data', (req, reply) => serve(req, reply, false));
};
