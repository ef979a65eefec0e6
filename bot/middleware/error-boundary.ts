import type { FastifyBaseLogger } from 'fastify';
import type { EventResult, IncomingEvent } from '../chat/model.js';
import type { Db } from '../db/client.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import { Outbox } from '../outbox/outbox.js';
import { DuplicateEvent, dedupKey, recordDelivery } from './dedupe.js';
import { transact } from '../db/transact.js';
import { answerPlace } from '../context.js';

/**
 * Turns whatever stopped an event into one Chinese answer: a toast for a click, a reply for a
 * message. The failed transaction changed nothing; the reply is written in its own transaction with
 * the event's dedup key, so a platform retry of the same delivery is not answered twice.
 */
export async function answerFailure(err: unknown, event: IncomingEvent, db: Db, log: FastifyBaseLogger, now: () => Date): Promise<EventResult> {
  if (err instanceof DuplicateEvent) {
    return event.kind === 'action' ? { outcome: 'duplicate', toast: { type: 'info', text: t('error.duplicate_action') } } : { outcome: 'duplicate' };
  }
  const known = err instanceof BotError;
  if (!known) log.error({ err, eventId: event.eventId, platform: event.platform }, 'event failed');
  const text = known ? t(err.textKey, err.params) : t('error.internal');
  const outcome = known ? 'refused' : 'failed';
  if (event.kind === 'action') return { outcome, toast: { type: known ? 'warning' : 'error', text } };

  const key = dedupKey(event);
  try {
    await transact(db, async (tx) => {
      if (!(await recordDelivery(tx, key, event.platform))) return;
      await new Outbox(tx, now).send({ platform: event.platform, chatId: event.chat.id }, { type: 'text', text, ...answerPlace(event) });
    });
  } catch (replyErr) {
    log.error({ err: replyErr, eventId: event.eventId }, 'could not queue the failure reply');
    return { outcome: 'failed' };
  }
  return { outcome };
}
