import type { FastifyPluginAsync } from 'fastify';
import type { Platform } from '../chat/model.js';
import type { Provider } from '../db/client.js';
import type { Readiness } from '../health/readiness.js';

export interface HealthOptions {
  provider: Provider;
  readiness: Readiness;
  /** The platforms running, read at each request (they are built when the server gets ready). */
  platforms: () => Platform[];
  simulator: boolean;
}

/**
 * `GET /healthz`, liveness: the process is up and serving, answered at once without touching the
 * database or a platform (a restart would not mend either).
 *
 * `GET /readyz`, readiness: 200 only while the database takes a write (a one-row upsert each time,
 * within 2 s, and no unit of work failing to commit since the last that did), every configured
 * platform is connected or reachable and the bot is not stopping; 503 otherwise, with `reasons`.
 * Both answers carry the figures: the outbox's backlog and the age of its oldest row, the dead rows,
 * the scheduler's lag, each platform's state.
 *
 * `GET /` leads to the simulator when it is on.
 */
export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, { provider, readiness, platforms, simulator }) => {
  app.get('/', async (_req, reply) => (simulator ? reply.redirect('/simulator') : { status: 'ok' }));
  app.get('/healthz', async () => ({ status: 'ok', database: provider, adapters: platforms(), simulator, uptimeSeconds: Math.round(process.uptime()) }));
  app.get('/readyz', async (_req, reply) => {
    const report = await readiness.check();
    return reply.code(report.status === 'ok' ? 200 : 503).send(report);
  });
};
