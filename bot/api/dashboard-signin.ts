import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import type { DashboardReader } from '../dashboard/access.js';
import { noticePage } from '../dashboard/page.js';
import type { Tx } from '../db/client.js';
import { t, type TextKey } from '../i18n/zh.js';
import type { InForce } from '../organisation.js';
import type { Exports } from '../reports/exports.js';
import type { Services } from '../services.js';
import { apiGuard, type ApiAccess } from './guard.js';

/** Who may see the dashboard's pages and their JSON: a person by the link `看板` sent (then its cookie), or a program by its token. */

export const COOKIE = 'hd_dashboard';

export interface DashboardOptions {
  access: ApiAccess;
  organisation: Pick<InForce, 'timeZone' | 'directory'>;
  clock: Clock;
  unitOfWork: <T>(fn: (services: Services, tx: Tx) => Promise<T>) => Promise<T>;
  /** The registers the page links (as /api/reports gives them, to a token that may export). */
  exports: () => Exports;
}

/** The value of one cookie of the request, as sent (a link's token needs no decoding). */
export function cookieOf(req: FastifyRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export const SECURITY = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'",
};

export type SignedIn = Extract<DashboardReader, { ok: true }>;
/** Who asks: a program with a token, or a person by their link; or 'answered' when refused (the answer is sent). */
export type SignIn = (req: FastifyRequest, reply: FastifyReply, html: boolean, scope?: 'read' | 'export' | 'admin') => Promise<'token' | SignedIn | 'answered'>;

const DENIED: Record<string, TextKey> = {
  none: 'dashboard.denied.none',
  expired: 'dashboard.denied.expired',
  revoked: 'dashboard.denied.revoked',
  forged: 'dashboard.denied.invalid',
  malformed: 'dashboard.denied.invalid',
};

/** The dashboard's sign-in: a Bearer token goes through the API's guard (with the scope the route needs), anyone else needs a link. */
export function dashboardSignIn(deps: Pick<DashboardOptions, 'access' | 'unitOfWork'>): SignIn {
  const guards = { read: apiGuard(deps.access, 'read'), export: apiGuard(deps.access, 'export'), admin: apiGuard(deps.access, 'admin') };
  return async (req, reply, html, scope = 'read') => {
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
  };
}
