import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { covers, type TokenScope } from '../tokens/scope.js';
import { anyUsableToken, findToken, noteTokenUse } from '../tokens/store.js';

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token in `Authorization: Bearer <token>`, or '' without one (no other header, cookie or query counts). */
export function bearerOf(req: FastifyRequest): string {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
}

/** Who may use the REST API: the bootstrap `API_TOKEN` (every scope) and the stored tokens. */
export interface ApiAccess {
  apiToken?: string;
  db: Db;
  /** The bot's clock, for a token's last use. */
  now: () => Date;
}

/** Who is calling, once the guard let the request through: a stored token (its name and prefix), or the bootstrap API_TOKEN. */
export interface ApiCaller {
  name: string;
  prefix: string | null;
  scope: TokenScope;
}

/** The name the bootstrap token acts under (in the audit trail, say). */
export const BOOTSTRAP_CALLER = 'API_TOKEN';

const callers = new WeakMap<FastifyRequest, ApiCaller>();

/** The caller the guard let through on this request; undefined on a route it does not guard. */
export function apiCallerOf(req: FastifyRequest): ApiCaller | undefined {
  return callers.get(req);
}

/** What a route needs of a token: GET routes `read`, the register downloads `export`, the rest `admin`. */
export function neededFor(req: FastifyRequest): TokenScope {
  return req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'admin';
}

/**
 * The bearer-token guard of /api and the register downloads: 503 while no token is set (no
 * API_TOKEN and no stored token not revoked), 401 for a missing, unknown or revoked token, 403 for
 * a stored token whose scope does not cover the route; each with the reason as JSON. A stored token's
 * use is recorded (at most once a minute).
 */
export function apiGuard(access: ApiAccess, need?: TokenScope) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const given = bearerOf(req);
    if (access.apiToken && given && sameSecret(given, access.apiToken)) {
      callers.set(req, { name: BOOTSTRAP_CALLER, prefix: null, scope: 'admin' });
      return;
    }
    try {
      const stored = given ? await findToken(access.db, given) : undefined;
      if (stored) {
        if (stored.revokedAt) return reply.code(401).send({ error: `bearer token ${stored.prefix} (${stored.name}) has been revoked` });
        const needed = need ?? neededFor(req);
        if (!covers(stored.scope, needed)) {
          return reply.code(403).send({
            error: `bearer token ${stored.prefix} has the scope ${stored.scope}, which does not cover ${req.method} ${req.routeOptions.url ?? req.url}: it needs ${needed}`,
          });
        }
        // A lost write of the last use never refuses the request.
        await noteTokenUse(access.db, stored, access.now()).catch(() => undefined);
        callers.set(req, { name: stored.name, prefix: stored.prefix, scope: stored.scope });
        return;
      }
      if (!access.apiToken && !(await anyUsableToken(access.db))) {
        return reply.code(503).send({ error: 'the REST API is disabled: set API_TOKEN, or create a token (token create), to enable it' });
      }
    } catch {
      return reply.code(503).send({ error: 'the token could not be checked: the database is unavailable, try again later' });
    }
    if (!given) return reply.code(401).send({ error: 'missing bearer token (Authorization: Bearer <API_TOKEN or a token made with token create>)' });
    return reply.code(401).send({ error: 'invalid bearer token' });
  };
}
