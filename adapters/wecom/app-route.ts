import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { EventSink } from '../../bot/chat/model.js';
import type { PlatformState } from '../../bot/chat/ports.js';
import { DeliverAgain } from '../shared/redeliver.js';
import { appEventOf, checkCallback, encryptedOfXml } from './callback.js';
import type { WeComCrypto } from './crypto.js';

const MAX_SKEW_MS = 5 * 60_000;
/** A card's response code is good for 72 hours, once. */
export const CODE_MS = 72 * 60 * 60_000;
const RETRY = new DeliverAgain().message;

/**
 * The self-built application's callback (`/wecom/callback`): the URL check, and messages and card
 * clicks (XML), checked and decrypted (receive id: the CorpID). A click's response code is kept
 * under its task id for the card's update.
 */
export function appRoutes(
  app: FastifyInstance,
  sink: EventSink,
  o: { crypto: WeComCrypto; corpId: string; state: PlatformState; log: FastifyBaseLogger },
): void {
  const { crypto, corpId } = o;
  app.get<{ Querystring: Record<string, string> }>('/wecom/callback', async (req, reply) => {
    // URL verification only echoes, so its timestamp is not checked.
    const checked = checkCallback(crypto, req.query, req.query.echostr, corpId, { now: Date.now(), maxSkewMs: MAX_SKEW_MS, checkTime: false });
    if (!checked.ok) return reply.code(checked.status).send({ error: checked.reason });
    return reply.type('text/plain').send(checked.plain);
  });
  app.register(async (scope) => {
    scope.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.post<{ Querystring: Record<string, string> }>('/wecom/callback', async (req, reply) => {
      const body = typeof req.body === 'string' ? req.body : '';
      // The callback's time is WeCom's: the wall clock, whatever the bot's own clock says.
      const checked = checkCallback(crypto, req.query, encryptedOfXml(body), corpId, { now: Date.now(), maxSkewMs: MAX_SKEW_MS, checkTime: true });
      if (!checked.ok) {
        o.log.warn({ reason: checked.reason }, 'wecom callback refused');
        return reply.code(checked.status).send({ error: checked.reason });
      }
      const parsed = appEventOf(checked.plain);
      if (parsed) {
        if (parsed.responseCode && parsed.event.replyTo) await o.state.set(`wecom:rc:${parsed.event.replyTo.messageId}`, parsed.responseCode, CODE_MS);
        const result = await sink(parsed.event);
        // Not stored: a 5xx makes WeCom deliver it again.
        if (result.outcome === 'retry' && parsed.event.kind === 'message') return reply.code(503).send({ error: RETRY });
      }
      return reply.type('text/plain').send('');
    });
  });
}
