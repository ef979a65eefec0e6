import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { zonedInstant } from '../calendar.js';
import type { Db, Tx } from '../db/client.js';
import { BotError } from '../errors.js';
import type { Services } from '../services.js';
import { bearerGuard } from './tickets.js';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-11-23');

/** `GET /api/stats` (the digest's numbers for a period) and `POST /api/duty/import` (a CSV roster). */
export function rhythmRoutes(app: FastifyInstance, deps: { db: Db; apiToken?: string; timeZone: string; services: (tx: Tx) => Services }): void {
  app.register(async (api) => {
    api.addHook('onRequest', bearerGuard(deps.apiToken));
    api.get('/api/stats', async (req, reply) => {
      const q = z.object({ from: Day, to: Day }).safeParse(req.query);
      if (!q.success) return reply.code(400).send({ error: 'from and to are dates like 2026-11-23 (to is exclusive)' });
      return deps.db.$transaction(async (tx) => {
        const tz = deps.timeZone;
        return deps.services(tx).digest.stats(zonedInstant(q.data.from, '00:00', tz), zonedInstant(q.data.to, '00:00', tz));
      });
    });
    api.register(async (csv) => {
      csv.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));
      csv.post('/api/duty/import', async (req, reply) => {
        if (typeof req.body !== 'string') return reply.code(415).send({ error: 'send the roster as text/csv: date,shift,person' });
        try {
          const imported = await deps.db.$transaction((tx) => deps.services(tx).duty.importCsv(req.body as string));
          return { imported };
        } catch (err) {
          if (err instanceof BotError) return reply.code(400).send({ error: String(err.params.reason ?? err.code) });
          throw err;
        }
      });
    });
  });
}
