import type { FastifyPluginAsync } from 'fastify';
import type { Platform } from '../chat/model.js';
import { providerOf, type Db } from '../db/client.js';

export interface HealthOptions {
  db: Db;
  /** The platforms running, read at each request (they are built when the server gets ready). */
  platforms: () => Platform[];
  simulator: boolean;
}

/** `GET /healthz`: ok once the database answers; `GET /` leads to the simulator when it is on. */
export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, { db, platforms, simulator }) => {
  app.get('/', async (_req, reply) => (simulator ? reply.redirect('/simulator') : { status: 'ok' }));
  app.get('/healthz', async (_req, reply) => {
    try {
      await db.$queryRawUnsafe('SELECT 1');
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: 'unreachable' });
    }
    return { status: 'ok', database: providerOf(db), adapters: platforms(), simulator };
  });
};
