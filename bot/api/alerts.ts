import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AlertPayloadError } from '../alerts/payload.js';
import { alertSource, PARSERS, type AlertSource } from '../alerts/parsers.js';
import type { AlertReceipt } from '../alerts/service.js';
import type { Metrics } from '../metrics.js';
import type { InForce } from '../organisation.js';
import { ALERT_FORMATS } from '../org/monitoring-schema.js';
import type { Services } from '../services.js';
import { anyUsableToken } from '../tokens/store.js';
import { apiCallerOf, apiGuard, bearerOf, sameSecret, type ApiAccess } from './guard.js';

/**
 * `POST /api/alerts/:source`: monitoring alerts from Alertmanager, Grafana, Zabbix (our media
 * type) or the generic JSON. Authorised by a token with the `alerts` scope (or `admin`), or the
 * source's own secret from the organisation file. The whole body is read before anything is
 * stored: a bad one is 400 with the field and the reason, and nothing changes. Accepted alerts,
 * repeated ones too, are 200 with what became of them; 503 only when the database failed, which
 * the senders retry.
 */

/** Whole Alertmanager groups can be large (max_alerts is unlimited by default). */
const BODY_LIMIT = 5 * 1024 * 1024;

export interface AlertRouteOptions {
  organisation: Pick<InForce, 'directory' | 'timeZone'>;
  access: ApiAccess;
  metrics: Metrics;
  unitOfWork: <T>(fn: (services: Services) => Promise<T>) => Promise<T>;
}

export const alertRoutes: FastifyPluginAsync<AlertRouteOptions> = async (app, deps) => {
  const { organisation, access, metrics } = deps;
  // Read as text whatever the content type says (a script's curl may send none), and parsed here,
  // so that a body that is not JSON gets the same kind of answer as one of the wrong shape.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
  const guard = apiGuard(access, 'alerts');

  app.post<{ Params: { source: string } }>('/api/alerts/:source', { bodyLimit: BODY_LIMIT }, async (req, reply) => {
    const source = alertSource(organisation.directory.org.monitoring, req.params.source);
    if (!source) {
      return reply.code(404).send({
        error: `unknown alert source ${JSON.stringify(req.params.source.slice(0, 64))}: use ${ALERT_FORMATS.join(', ')}, or a source listed under monitoring.sources in the organisation file`,
      });
    }
    const actor = await authorised(req, reply, source);
    if (!actor) {
      metrics.alertsReceived(source.id, 'unauthorized');
      return reply;
    }

    let alerts;
    try {
      alerts = PARSERS[source.format](bodyJson(req.body), { source: source.id, timeZone: organisation.timeZone });
    } catch (err) {
      if (!(err instanceof AlertPayloadError)) throw err;
      metrics.alertsReceived(source.id, 'malformed');
      return reply.code(400).send({ error: err.message, field: err.field, reason: err.reason });
    }

    let receipt: AlertReceipt;
    try {
      receipt = await deps.unitOfWork(async ({ alerts: service }) => {
        const done = await service.receive(alerts, actor);
        return { received: done.received, new: done.new, updated: done.updated, duplicate: done.duplicate };
      });
    } catch (err) {
      req.log.error({ err, source: source.id }, 'monitoring alerts could not be stored');
      metrics.alertsReceived(source.id, 'failed');
      return reply.code(503).send({ error: 'the alerts could not be stored: the database is unavailable, the sender should try again' });
    }
    metrics.alertsReceived(source.id, 'new', receipt.new);
    metrics.alertsReceived(source.id, 'updated', receipt.updated);
    metrics.alertsReceived(source.id, 'duplicate', receipt.duplicate);
    return reply.code(200).send(receipt);
  });

  /**
   * Who posts, for the audit trail, once let through: `alerts:<source>` for the source's own
   * secret, `api:<token name>` for a token. Undefined once the refusal (401/403/503) is sent.
   */
  async function authorised(req: FastifyRequest, reply: FastifyReply, source: AlertSource): Promise<string | undefined> {
    const given = bearerOf(req);
    if (source.secret && given && sameSecret(given, source.secret)) return `alerts:${source.id}`;
    if (source.secret && !access.apiToken && !(await anyUsableToken(access.db).catch(() => true))) {
      // With no token anywhere the guard would say the API is off; this source is on, by its secret.
      await reply.code(401).send({ error: given ? 'invalid bearer token' : `missing bearer token (Authorization: Bearer <the ${source.id} source secret>)` });
      return undefined;
    }
    await guard(req, reply);
    if (reply.sent) return undefined;
    const caller = apiCallerOf(req);
    return caller ? `api:${caller.name}` : undefined;
  }
};

/** The body as JSON, or a refusal saying it is none. */
function bodyJson(body: unknown): unknown {
  if (typeof body !== 'string' || body.trim() === '') throw new AlertPayloadError('body', 'is empty: send the alerts as JSON');
  try {
    return JSON.parse(body);
  } catch (err) {
    throw new AlertPayloadError('body', `is not valid JSON (${(err as Error).message.slice(0, 120)})`);
  }
}
