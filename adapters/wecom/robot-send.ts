import { randomBytes } from 'node:crypto';
import type { WSClient } from '@wecom/aibot-node-sdk';
import type { FastifyBaseLogger } from 'fastify';
import { PermanentSendError, RetryableSendError } from '../../bot/chat/ports.js';
import { failureOf, type WeComApi } from './api.js';
import type { PassiveReplies, ReplyUrls } from './channels.js';

/** What goes to a robot chat: its template card when it has buttons, and always its markdown. */
export interface RobotMessage {
  card?: Record<string, unknown>;
  markdown: string;
}

/** Busy and over the limit: the URL was not used, it is kept for the next try. */
const TRANSIENT = new Set([-1, 45009]);

/**
 * A send over the long connection that failed: the SDK rejects with the answer frame
 * (`{ errcode, errmsg }`), read like the HTTP API's codes; anything else (the connection dropped)
 * is tried again later.
 */
export function longConnectionFailure(err: unknown): Error {
  const frame = err as { errcode?: unknown; errmsg?: unknown; body?: { errcode?: unknown; errmsg?: unknown } } | null;
  const code = typeof frame?.errcode === 'number' ? frame.errcode : typeof frame?.body?.errcode === 'number' ? frame.body.errcode : undefined;
  if (code !== undefined && code !== 0) {
    const errmsg = typeof frame?.errmsg === 'string' ? frame.errmsg : typeof frame?.body?.errmsg === 'string' ? frame.body.errmsg : undefined;
    return failureOf(code, 'long-connection send', errmsg);
  }
  if (err instanceof Error) return new RetryableSendError(`WeCom long connection: ${err.message}`);
  return new RetryableSendError(`WeCom long connection: ${JSON.stringify(err)?.slice(0, 200)}`);
}

export interface RobotSenderOptions {
  api: WeComApi;
  urls: ReplyUrls;
  passive: PassiveReplies;
  /** The long connection, when it is up. */
  ws: () => WSClient | undefined;
  log: FastifyBaseLogger;
}

/**
 * Messages to the smart robot's chats (a group's chat id, or `user:<userid>` for a single chat),
 * each through the first channel that can carry it: the passive reply of a message being answered
 * (a template card or the markdown as a finished stream), the long connection (anything, any
 * time), else a reply URL kept from a message there (used once, within the hour; a card only to a
 * single chat, so a group gets the card's markdown with its typed commands). With none, the
 * message waits in the outbox until a message in that chat brings one.
 */
export class RobotSender {
  /** Chats told once in the log that their cards arrive as markdown. */
  private readonly degraded = new Set<string>();

  constructor(private readonly o: RobotSenderOptions) {}

  async send(chatId: string, message: RobotMessage): Promise<void> {
    const single = chatId.startsWith('user:');
    const target = single ? chatId.slice('user:'.length) : chatId;
    const passive = message.card
      ? { msgtype: 'template_card', template_card: message.card }
      : { msgtype: 'stream', stream: { id: `s${randomBytes(8).toString('hex')}`, finish: true, content: message.markdown } };
    const carried = this.o.passive.offer(chatId, passive);
    if (carried) return carried;
    const markdown = { msgtype: 'markdown', markdown: { content: message.markdown } };
    const full = message.card ? { msgtype: 'template_card', template_card: message.card } : markdown;
    const ws = this.o.ws();
    if (ws) {
      await ws.sendMessage(target, full as never).catch((err: unknown) => {
        throw longConnectionFailure(err);
      });
      return;
    }
    // A reply URL takes a template card to a single chat only.
    const body = message.card && !single ? markdown : full;
    let refused: number | undefined;
    for (;;) {
      const url = await this.o.urls.take(chatId);
      if (!url)
        throw new RetryableSendError(`no way to reach WeCom chat ${chatId} now: no long connection and no unused reply URL there; waits for a message there`);
      let answer: { errcode: number; errmsg?: string };
      try {
        answer = await this.o.api.respond(url.url, body);
      } catch (err) {
        // No answer: the URL may be unused, and WeCom refuses it if it was not.
        await this.o.urls.giveBack(chatId, url);
        throw err;
      }
      if (answer.errcode === 0) {
        if (body !== full) this.noteDegraded(chatId);
        return;
      }
      if (TRANSIENT.has(answer.errcode)) {
        await this.o.urls.giveBack(chatId, url);
        throw failureOf(answer.errcode, 'response_url', answer.errmsg);
      }
      // Spent (used, expired) or the message itself refused: refused twice the same way, it is the message.
      if (refused === answer.errcode) throw new PermanentSendError(`WeCom response_url failed: ${answer.errcode} ${answer.errmsg ?? ''}`, answer.errcode);
      refused = answer.errcode;
      this.o.log.warn({ chatId, errcode: answer.errcode, errmsg: answer.errmsg }, 'wecom reply URL refused; trying the next one');
    }
  }

  private noteDegraded(chatId: string): void {
    if (this.degraded.has(chatId)) return;
    this.degraded.add(chatId);
    this.o.log.warn(
      { chatId },
      'wecom group cards arrive as markdown with typed commands: without the long connection (WECOM_BOT_ID) a reply URL carries no template card to a group',
    );
  }
}
