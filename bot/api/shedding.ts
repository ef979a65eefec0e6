import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics.js';
import { CALLBACK_BODY_LIMITS } from './bounds.js';

/** The routes platforms push events and clicks to; they retry what is not answered 200. */
const CALLBACK_ROUTES = new Set(Object.keys(CALLBACK_BODY_LIMITS));

/**
 * Load shedding for platform callbacks. Past `limit` callbacks in progress, a new one is answered
 * 503 at once instead of queueing behind the others: Feishu gives an answer 3 s and WeCom 5 s, so
 * one that waits longer is retried anyway, and an unbounded queue would only grow the process's
 * memory. The platform delivers a shed event again later (Feishu after 15 s, 5 min, 1 h, 6 h), and
 * the dedup key keeps a delivery that did get through from being handled twice.
 *
 * A callback counts once its body has arrived (preValidation runs after the body is read): one that
 * is still arriving holds no slot, so slow senders cannot crowd out the platform's deliveries (the
 * request timeout cuts them; see bounds.ts).
 */
export function shedExcessCallbacks(app: FastifyInstance, opts: { limit: number; metrics?: Metrics }): { inFlight(): number } {
  let inFlight = 0;
  app.addHook('preValidation', async (req, reply) => {
    const route = req.routeOptions.url;
    if (!route || !CALLBACK_ROUTES.has(route) || req.method !== 'POST') return;
    // The caller went away while its body arrived: nothing will close this response again.
    if (reply.raw.destroyed) return;
    if (inFlight >= opts.limit) {
      opts.metrics?.callbackShed(route);
      return reply.code(503).header('retry-after', '15').send({ error: 'busy: too many callbacks in progress, deliver again later' });
    }
    inFlight++;
    // 'close' fires once whether the answer was sent, failed or the caller went away.
    reply.raw.once('close', () => {
      inFlight--;
    });
  });
  return { inFlight: () => inFlight };
}
