import type { FastifyPluginAsync } from 'fastify';
import type { Metrics } from '../metrics.js';
import { bearerOf, sameSecret } from './guard.js';

/**
 * `GET /metrics` in Prometheus text format. Open, as scrapers expect, unless a token is set:
 * then only `Authorization: Bearer <METRICS_TOKEN>` gets the numbers.
 */
export const metricsRoutes: FastifyPluginAsync<{ metrics: Metrics; token?: string }> = async (app, deps) => {
  app.get('/metrics', async (req, reply) => {
    if (deps.token) {
      const given = bearerOf(req);
      if (!given || !sameSecret(given, deps.token))
        return reply.code(401).send({ error: 'missing or invalid bearer token (Authorization: Bearer <METRICS_TOKEN>)' });
    }
    const { contentType, body } = await deps.metrics.text();
    return reply.type(contentType).send(body);
  });
};
