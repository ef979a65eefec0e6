import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MAX_MESSAGE_CHARS } from '../../bot/chat/limits.js';
import type { Attachment, EventSink, MessageRef, OutgoingMessage } from '../../bot/chat/model.js';
import { PermanentSendError, type ChatAdapter, type PlatformStatus } from '../../bot/chat/ports.js';
import { Transcript, toContent } from './transcript.js';
import { texts } from './texts.js';

export interface SimulatorDirectory {
  people: { id: string; name: string; department: string; roles: string[] }[];
  chats: { id: string; name: string; purpose: string }[];
}

export interface SimulatorOptions {
  /** The people and chats to offer, read at each request (the organisation file may be reloaded). */
  directory: () => SimulatorDirectory;
  botName: () => string;
  /** Resolves once everything the event queued has been delivered (the outbox drained). */
  settle: () => Promise<unknown>;
  /**
   * Moves the bot's clock forward, stopping at every moment something falls due on the way (each
   * settled there, as the night would have gone); returns the new now.
   */
  advanceClock: (minutes: number) => Promise<Date>;
  now: () => Date;
  /** The hospital's time zone, for showing the bot's clock. */
  timeZone: () => string;
}

const page = readFileSync(new URL('./page.html', import.meta.url), 'utf8');

const PersonId = z
  .string()
  .trim()
  .regex(/^[\w.-]{1,64}$/, texts.invalidUserId);
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/**
 * The longest text the page sends, as a chat client has its own (Feishu's 150 KB is about 50,000
 * characters): the bot's own, shorter limit (MAX_MESSAGE_CHARS) is then answered in the chat.
 */
const SIMULATOR_MAX_TEXT = 10 * MAX_MESSAGE_CHARS;
const DataUrl = z
  .string()
  .regex(/^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/, texts.imageType)
  .refine((s) => (s.length * 3) / 4 <= MAX_IMAGE_BYTES * 1.01, texts.imageTooLarge);
/** The name a sender not in the organisation file goes by (the platform's display name, as a chat client shows it). */
const UserName = z.string().trim().min(1).max(40).optional();
const MessageBody = z
  .object({
    chatId: z.string().min(1),
    userId: PersonId,
    userName: UserName,
    text: z.string().trim().max(SIMULATOR_MAX_TEXT, texts.textTooLong(SIMULATOR_MAX_TEXT)).default(''),
    images: z
      .array(z.object({ name: z.string().max(200).optional(), dataUrl: DataUrl }))
      .max(9, texts.tooManyImages)
      .default([]),
    /** The message this one replies to (a reply in the thread). */
    replyTo: z.string().optional(),
  })
  .refine((b) => b.text.length > 0 || b.images.length > 0, { message: texts.emptyMessage, path: ['text'] });
const ActionBody = z.object({
  messageId: z.string().min(1),
  userId: PersonId,
  userName: UserName,
  action: z.string().min(1).max(100),
  value: z.record(z.string(), z.unknown()).default({}),
  form: z.record(z.string(), z.unknown()).optional(),
});
const ChatId = z
  .string()
  .trim()
  .regex(/^[\w.-]{1,64}$/, texts.invalidChatId);
/** A group the bot is added to: a new one (its name), or one of the page's chats again. */
const NewChatBody = z.object({
  name: z.string().trim().min(1, texts.chatNameMissing).max(40).optional(),
  userId: PersonId,
  chatId: ChatId.optional(),
});
const ClockBody = z.object({
  advanceMinutes: z
    .number()
    .positive(texts.clockForwardOnly)
    .max(60 * 24 * 366),
});

/** A chat platform in a web page: every feature usable without credentials, and a JSON API for tests. */
export class SimulatorAdapter implements ChatAdapter {
  readonly platform = 'simulator' as const;
  readonly transcript: Transcript;
  /** Images people sent, by key, as a chat server would keep them. */
  private readonly images = new Map<string, { data: Buffer; mime: string }>();
  /** Groups made on the page (`POST /simulator/api/chats`), beside the organisation file's chats. */
  private readonly groups = new Map<string, { id: string; name: string }>();

  constructor(private readonly opts: SimulatorOptions) {
    this.transcript = new Transcript(opts.now);
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  /** In the bot's own process: always there. */
  async status(): Promise<PlatformStatus> {
    return { ready: true, state: 'local' };
  }

  async send(chatId: string, message: OutgoingMessage): Promise<{ messageId: string }> {
    const sent = this.transcript.add(chatId, 'bot', this.opts.botName(), toContent(message));
    return { messageId: sent.id };
  }

  async update(ref: MessageRef, message: OutgoingMessage): Promise<void> {
    // A message from before a restart is gone with the chats it was in: nothing to update, ever.
    if (!this.transcript.get(ref.messageId)) throw new PermanentSendError(`simulator message ${ref.messageId} is not in this run's chats`);
    this.transcript.replace(ref.messageId, toContent(message));
  }

  async fetchAttachment(_ref: MessageRef, attachment: Attachment, maxBytes: number): Promise<{ data: Buffer; mime?: string }> {
    const image = this.images.get(attachment.key);
    if (!image) throw new PermanentSendError(`no image ${attachment.key}`);
    if (image.data.length > maxBytes) throw new PermanentSendError(`image larger than ${maxBytes} bytes`);
    return image;
  }

  routes(app: FastifyInstance, sink: EventSink): void {
    // Rebuilt only when another organisation file is in force.
    let known:
      | { of: SimulatorDirectory; chats: Map<string, SimulatorDirectory['chats'][number]>; people: Map<string, SimulatorDirectory['people'][number]> }
      | undefined;
    const lookup = () => {
      const directory = this.opts.directory();
      if (known?.of !== directory) {
        known = { of: directory, chats: new Map(directory.chats.map((c) => [c.id, c])), people: new Map(directory.people.map((p) => [p.id, p])) };
      }
      return known;
    };
    const chats = { has: (id: string) => lookup().chats.has(id), get: (id: string) => lookup().chats.get(id) };
    const people = { has: (id: string) => lookup().people.has(id), get: (id: string) => lookup().people.get(id) };
    // A person's direct chat with the bot is `user:<person id>`, as on the real platforms; anyone may
    // write to the bot directly, the organisation file's people and others (the bot remembers them).
    const isDirect = (chatId: string) => chatId.startsWith('user:');
    const knownChat = (chatId: string) =>
      chats.has(chatId) || this.groups.has(chatId) || (isDirect(chatId) && PersonId.safeParse(chatId.slice('user:'.length)).success);
    const invalid = (error: z.ZodError) => ({ error: error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });

    app.get('/simulator', async (_req, reply) => reply.type('text/html; charset=utf-8').send(page));
    app.get('/simulator/api/directory', async () => this.opts.directory());

    app.post('/simulator/api/messages', async (req, reply) => {
      const body = MessageBody.safeParse(req.body);
      if (!body.success) return reply.code(400).send(invalid(body.error));
      const { chatId, userId, userName, text, images, replyTo } = body.data;
      if (replyTo && this.transcript.get(replyTo)?.chatId !== chatId) return reply.code(400).send({ error: texts.noSuchMessage(replyTo) });
      if (!knownChat(chatId)) return reply.code(400).send({ error: texts.unknownChat(chatId) });
      if (isDirect(chatId) && chatId !== `user:${userId}`) return reply.code(400).send({ error: texts.ownDirectChatOnly });
      // The simulator has no directory: someone not in the file goes by the name given, else their id.
      const name = people.get(userId)?.name ?? userName ?? userId;
      const attachments: Attachment[] = images.map((image) => {
        const [, mime = 'image/png', base64 = ''] = /^data:([^;]+);base64,(.*)$/.exec(image.dataUrl) ?? [];
        const key = `img-${this.transcript.prefix}-${this.images.size + 1}`;
        this.images.set(key, { data: Buffer.from(base64, 'base64'), mime });
        return { kind: 'image', key, name: image.name };
      });
      const posted = this.transcript.add(chatId, userId, name, {
        text: text || undefined,
        images: attachments.map((a) => `/simulator/api/images/${a.key}`),
      });
      const result = await sink({
        platform: 'simulator',
        eventId: posted.id,
        kind: 'message',
        chat: { id: chatId, type: isDirect(chatId) ? 'direct' : 'group' },
        user: { platformId: userId, name },
        text,
        // As in a real group, the bot is addressed by @-mentioning it; a direct chat always addresses it.
        mentionsBot: isDirect(chatId) || mentions(text, this.opts.botName()),
        attachments,
        replyTo: replyTo ? { platform: 'simulator', chatId, messageId: replyTo } : undefined,
      });
      await this.opts.settle();
      // Not stored: say so, as a platform would be told to deliver it again.
      if (result.outcome === 'retry') return reply.code(503).send({ error: texts.notStored, messageId: posted.id, ...result });
      return { messageId: posted.id, ...result };
    });

    app.post('/simulator/api/actions', async (req, reply) => {
      const body = ActionBody.safeParse(req.body);
      if (!body.success) return reply.code(400).send(invalid(body.error));
      const { messageId, userId, userName, action, value, form } = body.data;
      const message = this.transcript.get(messageId);
      if (!message?.card) return reply.code(404).send({ error: texts.noSuchCard(messageId) });
      const result = await sink({
        platform: 'simulator',
        eventId: `${messageId}:${action}:${userId}:${Date.now()}`,
        kind: 'action',
        chat: { id: message.chatId, type: isDirect(message.chatId) ? 'direct' : 'group' },
        user: { platformId: userId, name: people.get(userId)?.name ?? userName },
        mentionsBot: false,
        attachments: [],
        action: { name: action, value, form },
        replyTo: { platform: 'simulator', chatId: message.chatId, messageId },
      });
      await this.opts.settle();
      return result;
    });

    // A new group with the bot in it, as a person would make one and add the bot: the bot greets it.
    app.get('/simulator/api/chats', async () => [...this.groups.values()]);
    app.post('/simulator/api/chats', async (req, reply) => {
      const body = NewChatBody.safeParse(req.body);
      if (!body.success) return reply.code(400).send(invalid(body.error));
      const { userId, name } = body.data;
      const chatId = body.data.chatId ?? `group-${this.transcript.prefix}-${this.groups.size + 1}`;
      if (!chats.has(chatId) && !this.groups.has(chatId)) {
        if (!name) return reply.code(400).send({ error: texts.chatNameMissing });
        this.groups.set(chatId, { id: chatId, name });
      }
      const who = people.get(userId)?.name ?? userId;
      const posted = this.transcript.add(chatId, userId, who, { text: texts.botAdded(this.opts.botName()) });
      const result = await sink({
        platform: 'simulator',
        eventId: posted.id,
        kind: 'joined',
        chat: { id: chatId, type: 'group' },
        user: { platformId: userId, name: who },
        mentionsBot: false,
        attachments: [],
      });
      await this.opts.settle();
      if (result.outcome === 'retry') return reply.code(503).send({ error: texts.notStored, chatId, ...result });
      return { chatId, name: this.groups.get(chatId)?.name ?? chats.get(chatId)?.name, messageId: posted.id, ...result };
    });

    app.get<{ Params: { chatId: string } }>('/simulator/api/chats/:chatId/messages', async (req, reply) => {
      if (!knownChat(req.params.chatId)) return reply.code(404).send({ error: texts.unknownChat(req.params.chatId) });
      return this.transcript.chat(req.params.chatId);
    });

    const clock = (now: Date) => ({ now: now.toISOString(), timeZone: this.opts.timeZone() });
    app.get<{ Params: { key: string } }>('/simulator/api/images/:key', async (req, reply) => {
      const image = this.images.get(req.params.key);
      if (!image) return reply.code(404).send({ error: texts.noSuchImage });
      return reply.type(image.mime).send(image.data);
    });

    app.get('/simulator/api/clock', async () => clock(this.opts.now()));
    app.post('/simulator/api/clock', async (req, reply) => {
      const body = ClockBody.safeParse(req.body);
      if (!body.success) return reply.code(400).send(invalid(body.error));
      const now = await this.opts.advanceClock(body.data.advanceMinutes);
      return clock(now);
    });
  }
}

/** Whether the text @-mentions the bot by its name (half- or full-width @). */
function mentions(text: string, botName: string): boolean {
  return !!botName && (text.includes(`@${botName}`) || text.includes(`＠${botName}`));
}
