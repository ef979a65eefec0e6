import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { EventResult, EventSink, IncomingEvent } from '../../bot/chat/model.js';
import { DeliverAgain } from '../shared/redeliver.js';
import { checkCallback, robotEventOf } from './callback.js';
import type { PassiveReplies, ReplyUrls } from './channels.js';
import type { WeComCrypto } from './crypto.js';

const MAX_SKEW_MS = 5 * 60_000;
/**
 * How long a message's callback is held for the outbox to give it its reply: WeCom waits 5 s for
 * the answer; whatever comes later goes another way.
 */
export const PASSIVE_WAIT_MS = 2_500;
const RETRY = new DeliverAgain().message;

/** The outbox, as the robot's callback needs it. */
export interface RobotDelivery {
  /** Makes what waits to be sent to this chat due now: a message there has brought a channel. */
  hurry(chatId: string): Promise<unknown>;
  /** Resolves once what is due now has been sent (or tried). */
  settle(): Promise<unknown>;
}

export interface RobotRouteOptions {
  crypto: WeComCrypto;
  botName: string;
  log: FastifyBaseLogger;
  urls: ReplyUrls;
  passive: PassiveReplies;
  delivery?: RobotDelivery;
  /** Where WeCom's reply URLs point (the API's origin): a URL elsewhere is not kept. */
  replyOrigin: string;
  /** The clicked card as it now stands, rendered for the robot (`task_id` kept). */
  clickedCard(event: IncomingEvent, result: EventResult): Record<string, unknown> | undefined;
  /** A click's toast, said in its chat (a click's own answer can only update the card), through the click's URL if it has one. */
  toast(event: IncomingEvent, text: string, responseUrl?: string): void;
}

/** A URL's origin, or undefined when it is not an http(s) URL. */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves after `ms` or when `work` settles, whichever is first; never rejects. */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * The smart robot's HTTP callback (`/wecom/robot`): URL check, messages and card clicks, checked
 * and decrypted (receive id ""). The answer is encrypted with the callback's own timestamp and
 * nonce. A message's answer carries the first message the outbox sends to its chat meanwhile (a
 * template card, or markdown as a finished stream); a click's answer is the card as it now stands
 * (`update_template_card`, the only answer a click takes), its toast said in the chat instead.
 * Each callback's response_url is kept for a later message to that chat.
 */
export function robotRoutes(app: FastifyInstance, sink: EventSink, o: RobotRouteOptions): void {
  const { crypto } = o;
  // Saving the robot's callback URL: WeCom checks it with a GET carrying echostr. URL checks only echo, so their time is not checked.
  app.get<{ Querystring: Record<string, string> }>('/wecom/robot', async (req, reply) => {
    const checked = checkCallback(crypto, req.query, req.query.echostr, '', { now: Date.now(), maxSkewMs: MAX_SKEW_MS, checkTime: false });
    if (!checked.ok) return reply.code(checked.status).send({ error: checked.reason });
    return reply.type('text/plain').send(checked.plain);
  });

  app.post<{ Querystring: Record<string, string>; Body: { encrypt?: string } }>('/wecom/robot', async (req, reply) => {
    // The callback's time is WeCom's: the wall clock, whatever the bot's own clock says.
    const checked = checkCallback(crypto, req.query, req.body?.encrypt, '', { now: Date.now(), maxSkewMs: MAX_SKEW_MS, checkTime: true });
    if (!checked.ok) {
      o.log.warn({ reason: checked.reason }, 'wecom robot callback refused');
      return reply.code(checked.status).send({ error: checked.reason });
    }
    let payload: unknown;
    try {
      payload = JSON.parse(checked.plain);
    } catch {
      return reply.code(400).send({ error: 'the decrypted payload is not JSON' });
    }
    const parsed = robotEventOf(payload, o.botName);
    if (!parsed) return reply.send('');
    const { event } = parsed;
    const responseUrl = parsed.responseUrl && originOf(parsed.responseUrl) === o.replyOrigin ? parsed.responseUrl : undefined;
    const answer = (plain: Record<string, unknown>) => {
      // Encrypted with the callback's own timestamp and nonce, as WeCom checks it.
      const { timestamp = '', nonce = '' } = req.query;
      const encrypt = crypto.encrypt(JSON.stringify(plain), '');
      return { encrypt, msgsignature: crypto.signature(timestamp, nonce, encrypt), timestamp: Number(timestamp), nonce };
    };

    if (event.kind === 'action') {
      const result = await sink(event);
      const card = o.clickedCard(event, result);
      // A click's toast goes through the click's own URL; an unused one is kept, unless WeCom delivered the click again.
      if (!card && result.toast) o.toast(event, result.toast.text, responseUrl);
      else if (responseUrl && result.outcome !== 'duplicate') await o.urls.add(event.chat.id, responseUrl);
      return card ? answer({ response_type: 'update_template_card', template_card: card }) : reply.send('');
    }

    if (responseUrl) await o.urls.add(event.chat.id, responseUrl);
    // What waited for a way into this chat goes now; the first message the outbox sends it rides in this answer.
    await o.delivery?.hurry(event.chat.id);
    const slot = o.passive.open(event.chat.id);
    let answering = false;
    let carried: Record<string, unknown> | undefined;
    try {
      const result = await sink(event);
      // Delivered again: its URL may have been used already.
      if (result.outcome === 'duplicate' && responseUrl) await o.urls.remove(event.chat.id, responseUrl);
      // Not stored: a 5xx makes WeCom deliver it again (a message given to this answer is sent again later).
      if (result.outcome === 'retry') return reply.code(503).send({ error: RETRY });
      if (o.delivery) await within(Promise.race([slot.arrived, o.delivery.settle()]), PASSIVE_WAIT_MS);
      answering = true;
    } finally {
      carried = slot.close(answering);
    }
    return carried ? answer(carried) : reply.send('');
  });
}
