import type { FastifyPluginAsync } from 'fastify';
import type { Platform } from '../chat/model.js';
import { providerOf, type Db } from '../db/client.js';
import type { StorageHealth } from '../db/health.js';

export interface HealthOptions {
  db: Db;
  storage: StorageHealth;
  /** The platforms running, read at each request (they are built when the server gets ready). */
  platforms: () => Platform[];
  simulator: boolean;
}

/**
 * `GET /healthz`: ok while the database answers and takes writes (a small write each time, and no
 * unit of work failing to commit since the last one that did); 503 with the reason otherwise, so an
 * orchestrator or a monitor sees a full disk or a lock held from outside while it lasts.
 * `GET /` leads to the simulator when it is on.
 */
export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, { db, storage, platforms, simulator }) => {
  app.get('/', async (_req, reply) => (simulator ? reply.redirect('/simulator') : { status: 'ok' }));
  app.get('/healthz', async (_req, reply) => {
    try {
      await db.$queryRawUnsafe('SELECT 1');
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: 'unreachable' });
    }
    const writes = await storage.probe(db);
    if (!writes.writable) return reply.code(503).send({ status: 'unavailable', database: 'not writable', ...writes });
    return { status: 'ok', database: providerOf(db), adapters: platforms(), simulator };
  });
};
