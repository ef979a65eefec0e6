import type * as lark from '@larksuiteoapi/node-sdk';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Attachment, EventResult, EventSink, IncomingEvent, MessageRef, OutgoingMessage } from '../../bot/chat/model.js';
import type { ChatAdapter, DirectoryListing, DirectoryUser, PlatformState, PlatformStatus, SendOptions } from '../../bot/chat/ports.js';
import { FeishuApi, larkSdk } from './client.js';
import { FeishuDirectory } from './directory.js';
import { MemoryPlatformState } from '../shared/memory-state.js';
import { DeliverAgain, sinkWithRedelivery } from '../shared/redeliver.js';
import { BotAddedEvent, botAddedToEvent, CardActionEvent, cardActionToEvent, MessageEvent, messageToEvent } from './normalize.js';
import { renderCard, renderText, type Fits } from './render.js';
import { bodyBytes, bodyMaxBytes, createRequest, patchRequest, replyRequest, type MsgType } from './requests.js';
import { Threads } from './threads.js';
import { verifyFeishuRequest } from './verify.js';
import { texts } from './texts.js';

export interface FeishuOptions {
  appId: string;
  appSecret: string;
  encryptKey?: string;
  verificationToken?: string;
  domain: string;
  /** `http`: events at POST /feishu/events; `ws`: the SDK's long connection (no public URL). */
  mode: 'http' | 'ws';
  /** How senders are matched to the organisation file: by their ids, or by mobile / email. */
  userMatch: 'id' | 'mobile' | 'email';
  log: FastifyBaseLogger;
  /** The bot's name as people see it in a mention, to recognise its own mention until the bot info is read. */
  botName?: () => string;
  /** How long an Open API call may take before it is given up (and retried later by the outbox). */
  timeoutMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Facts shared by every instance (which messages are in a thread); in memory unless given. */
  state?: PlatformState;
}

const MAX_SKEW_MS = 5 * 60_000;
/** When a failed read of the bot info is tried again: 10 s, 30 s, 2 min, then every 10 min. */
const BOT_INFO_RETRY_MS = [10_000, 30_000, 120_000, 600_000];

/** Feishu through @larksuiteoapi/node-sdk: events and card callbacks in, card JSON 2.0 out. */
export class FeishuAdapter implements ChatAdapter {
  readonly platform = 'feishu' as const;
  readonly api: FeishuApi;
  private readonly directory: FeishuDirectory;
  private dispatcher: Promise<lark.EventDispatcher> | undefined;
  private sink: EventSink | undefined;
  private botOpenId: string | undefined;
  private botInfoRetry: NodeJS.Timeout | undefined;
  private ws: lark.WSClient | undefined;
  private stopped = false;
  private readonly contacts = new Map<string, { mobile?: string; email?: string }>();
  private readonly log: FastifyBaseLogger;
  private readonly threads: Threads;

  constructor(private readonly opts: FeishuOptions) {
    this.log = opts.log.child({ platform: 'feishu' });
    this.api = new FeishuApi({ ...opts, log: this.log });
    this.directory = new FeishuDirectory(this.api, this.log, opts.now);
    this.threads = new Threads(opts.state ?? new MemoryPlatformState(), this.log);
  }

  /** The SDK's event dispatcher, made once the SDK is loaded (at start, or by the first event before it). */
  private eventDispatcher(): Promise<lark.EventDispatcher> {
    // Requests are verified over their raw bytes before they reach the dispatcher (needCheck: false).
    return (this.dispatcher ??= larkSdk().then((sdk) =>
      new sdk.EventDispatcher({ loggerLevel: sdk.LoggerLevel.error }).register({
        'im.message.receive_v1': (data: unknown) => this.onMessage(data),
        'card.action.trigger': (data: unknown) => this.onCardAction(data),
        'im.chat.member.bot.added_v1': (data: unknown) => this.onBotAdded(data),
      }),
    ));
  }

  routes(app: FastifyInstance, sink: EventSink): void {
    this.sink = sink;
    if (this.opts.mode !== 'http') return;
    const now = this.opts.now ?? Date.now;
    app.register(async (scope) => {
      scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
      scope.post('/feishu/events', async (req, reply) => {
        // Only application/json arrives as bytes; an empty body or another type is no Feishu request.
        if (!Buffer.isBuffer(req.body)) return reply.code(415).send({ error: 'expected a JSON body (application/json)' });
        const verified = verifyFeishuRequest(req.body, req.headers, {
          encryptKey: this.opts.encryptKey,
          verificationToken: this.opts.verificationToken,
          maxSkewMs: MAX_SKEW_MS,
          now,
        });
        if (verified.kind === 'refused') {
          this.log.warn({ reason: verified.reason, ip: req.ip }, 'feishu request refused');
          return reply.code(verified.status).send({ error: verified.reason });
        }
        if (verified.kind === 'challenge') return { challenge: verified.challenge };
        try {
          const dispatcher = await this.eventDispatcher();
          const answer: unknown = await dispatcher.invoke(verified.payload, { needCheck: false });
          return typeof answer === 'object' && answer !== null ? answer : {};
        } catch (err) {
          // Not stored: a 5xx makes Feishu push the event again (15 s, 5 min, 1 h, 6 h later).
          if (err instanceof DeliverAgain) return reply.code(503).send({ error: err.message });
          throw err;
        }
      });
    });
  }

  async start(sink: EventSink): Promise<void> {
    // Over the long connection the bot itself tries again a message it could not store.
    this.sink = this.opts.mode === 'ws' ? sinkWithRedelivery(sink, this.log) : sink;
    const dispatcher = await this.eventDispatcher();
    await this.readBotInfo();
    if (this.opts.mode === 'ws') {
      const sdk = await larkSdk();
      const wsLog = this.log.child({ component: 'lark-ws' });
      this.ws = new sdk.WSClient({
        appId: this.opts.appId,
        appSecret: this.opts.appSecret,
        domain: this.opts.domain,
        loggerLevel: sdk.LoggerLevel.info,
        // Into the bot's log (redacted like every line), not the console; the state is in /readyz.
        logger: {
          error: (...msg: unknown[]) => wsLog.warn({ sdk: msg }, 'feishu long connection'),
          warn: (...msg: unknown[]) => wsLog.warn({ sdk: msg }, 'feishu long connection'),
          info: (...msg: unknown[]) => wsLog.debug({ sdk: msg }, 'feishu long connection'),
          debug: () => {},
          trace: () => {},
        },
      });
      await this.ws.start({ eventDispatcher: dispatcher });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.botInfoRetry);
    this.ws?.close();
  }

  /**
   * Over the long connection: whether it is up (the SDK's own state). Over HTTP: whether the Open
   * API answered the last call, for sending (the events come to the bot's own route).
   */
  async status(): Promise<PlatformStatus> {
    const mode = this.opts.mode;
    if (mode === 'http') return { mode, ...(await this.api.reach.status()) };
    if (this.stopped) return { mode, ready: false, state: 'closed' };
    const ws = this.ws?.getConnectionStatus();
    if (!ws) return { mode, ready: false, state: 'connecting', reason: 'the long connection is not started yet' };
    const state = ws.state === 'idle' ? 'closed' : ws.state;
    const reason =
      ws.state === 'connected'
        ? undefined
        : ws.reconnectAttempts > 0
          ? `${ws.reconnectAttempts} reconnect attempts so far`
          : ws.state === 'failed'
            ? 'the long connection gave up (see the log)'
            : undefined;
    const since = ws.lastConnectTime ? new Date(ws.lastConnectTime).toISOString() : undefined;
    return { mode, ready: ws.state === 'connected', state, ...(reason ? { reason } : {}), ...(since ? { since } : {}) };
  }

  /**
   * The bot's own open_id, to tell its mention from a person's. When `bot/v3/info` fails it is read
   * again in the background, ever less often; meanwhile the bot's mention is the one with the bot's
   * name, or without a person's ids.
   */
  private async readBotInfo(attempt = 0): Promise<void> {
    try {
      this.botOpenId = await this.api.botOpenId();
      if (attempt > 0) this.log.info({ attempts: attempt + 1 }, 'bot info read');
    } catch (err) {
      const delay = BOT_INFO_RETRY_MS[Math.min(attempt, BOT_INFO_RETRY_MS.length - 1)]!;
      this.log.warn({ err: (err as Error).message, retryInMs: delay }, 'could not read the bot info; its mention is told by its name meanwhile');
      this.botInfoRetry = setTimeout(() => void this.readBotInfo(attempt + 1), delay);
      this.botInfoRetry.unref();
    }
  }

  /**
   * Sends through the outbox: a reply to `replyTo` (kept in its thread when that message is in
   * one), or a new message to the chat. The card or text is cut until the request body itself fits
   * Feishu's limit (see requests.ts), so no send is refused for its size.
   */
  async send(chatId: string, message: OutgoingMessage, opts: SendOptions = {}): Promise<{ messageId: string }> {
    const msgType: MsgType = message.type === 'card' ? 'interactive' : 'text';
    const uuid = opts.idempotencyKey;
    const replyTo = message.replyTo;
    if (replyTo) {
      const inThread = await this.threads.isInThread(replyTo);
      const request = (content: object) => replyRequest(msgType, content, uuid, inThread);
      const sent = await this.api.reply(chatId, replyTo, request(this.render(message, (c) => bodyBytes(request(c)) <= bodyMaxBytes(msgType))));
      return { messageId: sent.messageId };
    }
    const request = (content: object) => createRequest(chatId, msgType, content, uuid);
    const content = this.render(message, (c) => bodyBytes(request(c).body) <= bodyMaxBytes(msgType));
    return { messageId: await this.api.sendToChat(chatId, request(content)) };
  }

  async update(ref: MessageRef, message: OutgoingMessage): Promise<void> {
    if (message.type !== 'card') throw new Error('only cards are updated in place on Feishu');
    const card = renderCard(message.card, (c) => bodyBytes(patchRequest(c)) <= bodyMaxBytes('interactive'));
    await this.api.patchCard(ref.chatId, ref.messageId, patchRequest(card));
  }

  private render(message: OutgoingMessage, fits: Fits): object {
    return message.type === 'card' ? renderCard(message.card, fits) : renderText(message, fits);
  }

  async fetchAttachment(ref: MessageRef, attachment: Attachment, maxBytes: number) {
    return this.api.download(ref.messageId, attachment.key, attachment.kind === 'image' ? 'image' : 'file', maxBytes);
  }

  lookupUser(openId: string): Promise<DirectoryUser | undefined> {
    return this.directory.lookupUser(openId);
  }

  readDirectory(): Promise<DirectoryListing> {
    return this.directory.readDirectory();
  }

  private async deliver(event: IncomingEvent): Promise<EventResult> {
    if (!this.sink) throw new Error('the Feishu adapter is not started');
    // Who added the bot to a group plays no part in the greeting: their contact is not read.
    if (this.opts.userMatch !== 'id' && event.kind !== 'joined') Object.assign(event.user, await this.contactOf(event.user.platformId));
    return this.sink(event);
  }

  private async onMessage(data: unknown): Promise<object> {
    const parsed = MessageEvent.safeParse(data);
    if (!parsed.success) {
      this.log.warn({ issues: parsed.error.issues.slice(0, 3) }, 'feishu message event not understood');
      return {};
    }
    const event = messageToEvent(parsed.data, this.botOpenId ?? { name: this.opts.botName?.() });
    if (!event) return {};
    const threadId = parsed.data.message.thread_id;
    if (threadId) await this.threads.remember(parsed.data.message.message_id, threadId);
    const result = await this.deliver(event);
    if (result.outcome === 'retry' && this.opts.mode === 'http') throw new DeliverAgain();
    return {};
  }

  /** The bot added to a group: the core greets it (through the outbox) with what it is bound as, or how to bind it. */
  private async onBotAdded(data: unknown): Promise<object> {
    const parsed = BotAddedEvent.safeParse(data);
    if (!parsed.success) {
      this.log.warn({ issues: parsed.error.issues.slice(0, 3) }, 'feishu bot-added event not understood');
      return {};
    }
    const result = await this.deliver(botAddedToEvent(parsed.data));
    if (result.outcome === 'retry' && this.opts.mode === 'http') throw new DeliverAgain();
    return {};
  }

  /** Answers within Feishu's 3 s: a toast, and the clicked card as it now stands (card JSON 2.0). */
  private async onCardAction(data: unknown): Promise<object> {
    const parsed = CardActionEvent.safeParse(data);
    if (!parsed.success) {
      this.log.warn({ issues: parsed.error.issues.slice(0, 3) }, 'feishu card callback not understood');
      return { toast: { type: 'error', content: texts.unknownAction } };
    }
    const event = cardActionToEvent(parsed.data);
    const result = await this.deliver(event);
    return {
      ...(result.toast ? { toast: { type: result.toast.type, content: result.toast.text } } : {}),
      ...(result.card ? { card: { type: 'raw', data: renderCard(result.card) } } : {}),
    };
  }

  private async contactOf(openId: string): Promise<{ mobile?: string; email?: string }> {
    const known = this.contacts.get(openId);
    if (known) return known;
    try {
      const contact = await this.api.contact(openId);
      this.contacts.set(openId, contact);
      return contact;
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not read the sender contact');
      return {};
    }
  }
}
