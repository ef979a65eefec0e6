import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Contact, Message, Wechaty } from 'wechaty';
import { chartLines } from '../shared/chart.js';
import { plainMarkdown } from '../../bot/chat/markdown.js';
import type { Card, EventSink, IncomingEvent, MessageRef, OutgoingMessage } from '../../bot/chat/model.js';
import type { ChatAdapter, PlatformStatus } from '../../bot/chat/ports.js';
import { escapeWechatyText } from './escape.js';
import { texts } from './texts.js';
import { sinkWithRedelivery } from '../shared/redeliver.js';

export interface WechatyOptions {
  /** A puppet name (wechaty-puppet-service, …) or a puppet instance (tests pass the mock puppet). */
  puppet: string | object;
  token?: string;
  botName: string;
  log: FastifyBaseLogger;
}

/** A reply command typed without mentioning the bot: `认领 IT-…`, `审批 SQ-… 同意`, `帮助`. */
const REPLY_COMMAND = /^\S{1,6}\s*(IT|INC|SQ)-\d{8}-\d+|^(帮助|\/help|我的工单|我的申请)$/i;

/** A card as plain text with its reply commands: Wechaty chats have no buttons (the bot's `**` and backticks dropped). */
export function cardText(card: Card): string {
  const lines = [`【${card.title}】`, ...card.fields.map((f) => `${f.label}：${f.value}`)];
  if (card.text) lines.push(card.text);
  if (card.markdown) lines.push(plainMarkdown(card.markdown));
  if (card.chart) lines.push(chartLines(card.chart));
  if (card.note) lines.push(card.note);
  const commands = [...card.buttons, ...(card.form?.submits ?? [])].filter((b) => b.command);
  for (const b of commands) lines.push(texts.replyWith(b.label, b.command!));
  return escapeWechatyText(lines.join('\n'));
}

/** A message as the text Wechaty sends; its mentions are the contacts passed beside it. */
export function messageText(message: OutgoingMessage): string {
  return message.type === 'card' ? cardText(message.card) : escapeWechatyText(message.text);
}

/**
 * Any Wechaty puppet the operator runs (its WeCom puppets are unofficial, so this is a secondary
 * channel): room messages that mention the bot, or reply commands, become events; cards become
 * text with reply commands; replies mention the reporter. The bot's own messages are skipped.
 */
export class WechatyAdapter implements ChatAdapter {
  readonly platform = 'wechaty' as const;
  private bot: Wechaty | undefined;
  private readonly log: FastifyBaseLogger;

  constructor(private readonly opts: WechatyOptions) {
    this.log = opts.log.child({ platform: 'wechaty' });
  }

  async start(sink: EventSink): Promise<void> {
    const { puppet, token } = this.opts;
    // Loaded only when a puppet is configured: Wechaty and its puppets take tens of MB.
    const { WechatyBuilder } = await import('wechaty');
    this.bot = WechatyBuilder.build({
      name: 'helpdesk',
      puppet: puppet as never,
      ...(token ? { puppetOptions: { token } } : {}),
    });
    // A personal account is never sent a message again: the bot tries one it could not store again itself.
    const again = sinkWithRedelivery(sink, this.log);
    this.bot.on('message', (msg: Message) => {
      void this.receive(msg, again).catch((err) => this.log.error({ err }, 'wechaty message failed'));
    });
    this.bot.on('error', (err: Error) => this.log.error({ err }, 'wechaty error'));
    await this.bot.start();
  }

  async stop(): Promise<void> {
    await this.bot?.stop();
  }

  /** Whether the puppet is logged in to the account (until then nothing arrives and nothing can be sent). */
  async status(): Promise<PlatformStatus> {
    if (!this.bot) return { ready: false, state: 'connecting', reason: 'the puppet is not started yet' };
    return this.bot.isLoggedIn ? { ready: true, state: 'connected' } : { ready: false, state: 'logged-out', reason: 'the puppet is not logged in' };
  }

  /** A message as a neutral event, or nothing for the bot's own messages and room chatter. */
  async toEvent(msg: Message): Promise<IncomingEvent | undefined> {
    if (msg.self()) return undefined;
    if (msg.type() !== this.bot!.Message.Type.Text) return undefined;
    const talker = msg.talker();
    const room = msg.room();
    const raw = msg.text();
    const mentionsBot = room ? await msg.mentionSelf() : true;
    const text = raw.replace(new RegExp(`@${this.opts.botName}[\\s\\u2005]*`, 'g'), '').trim();
    if (room && !mentionsBot && !REPLY_COMMAND.test(text)) return undefined;
    return {
      platform: 'wechaty',
      eventId: msg.id,
      kind: 'message',
      chat: room ? { id: room.id, type: 'group' } : { id: `user:${talker.id}`, type: 'direct' },
      user: { platformId: talker.id, name: talker.name() },
      text,
      mentionsBot,
      attachments: [],
    };
  }

  private async receive(msg: Message, sink: EventSink): Promise<void> {
    const event = await this.toEvent(msg);
    if (event) await sink(event);
  }

  async send(chatId: string, message: OutgoingMessage): Promise<{ messageId: string }> {
    const bot = this.bot;
    if (!bot) throw new Error('wechaty is not started');
    const text = messageText(message);
    const mentionIds =
      message.type === 'text' ? (message.mentions ?? []).map((m) => m.platformUserId) : (message.card.mentions ?? []).map((m) => m.platformUserId);
    if (chatId.startsWith('user:')) {
      const contact = await bot.Contact.find({ id: chatId.slice('user:'.length) });
      if (!contact) throw new Error(`no wechaty contact ${chatId}`);
      const sent = await contact.say(text);
      return { messageId: (sent && typeof sent === 'object' && 'id' in sent ? String(sent.id) : undefined) ?? randomUUID() };
    }
    const room = await bot.Room.find({ id: chatId });
    if (!room) throw new Error(`no wechaty room ${chatId}`);
    const contacts = (await Promise.all(mentionIds.map((id) => bot.Contact.find({ id })))).filter((c): c is Contact => !!c);
    const sent = contacts.length > 0 ? await room.say(text, ...contacts) : await room.say(text);
    return { messageId: (sent && typeof sent === 'object' && 'id' in sent ? String(sent.id) : undefined) ?? randomUUID() };
  }

  /** Wechaty messages cannot be edited; what changed reaches people as the bot's texts. */
  async update(_ref: MessageRef, _message: OutgoingMessage): Promise<void> {}
}
