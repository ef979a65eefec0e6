import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Attachment, EventResult, EventSink, IncomingEvent, MessageRef, OutgoingMessage } from '../../bot/chat/model.js';
import { PermanentSendError, type ChatAdapter, type PlatformState, type PlatformStatus, type SendOptions } from '../../bot/chat/ports.js';
import type { DirectoryListing, DirectoryUser } from '../../bot/chat/ports.js';
import { MemoryPlatformState } from '../shared/memory-state.js';
import { sinkWithRedelivery } from '../shared/redeliver.js';
import { WeComApi } from './api.js';
import { appRoutes, CODE_MS } from './app-route.js';
import { robotEventOf } from './callback.js';
import { PassiveReplies, ReplyUrls } from './channels.js';
import { PartedSends } from './parts.js';
import { WeComCrypto } from './crypto.js';
import { WeComDirectory } from './directory.js';
import { escapeWecomMarkdown, wecomMentionId } from './escape.js';
import { APP_CARD, MARKDOWN_BYTES, ROBOT_CARD, splitMarkdown } from './limits.js';
import { cardMarkdown, cardMarkdownWithCommands, markdownText, templateCard } from './render.js';
import { originOf, robotRoutes, type RobotDelivery } from './robot-route.js';
import { RobotLink } from './robot-link.js';
import { RobotSender } from './robot-send.js';

export { longConnectionFailure } from './robot-send.js';

export interface WeComOptions {
  base: string;
  corpId?: string;
  agentId?: string;
  secret?: string;
  /** The application's callback Token and EncodingAESKey (/wecom/callback). */
  appToken?: string;
  appAesKey?: string;
  /** The smart robot: its long connection (bot id and secret), or its HTTP callback (token and key). */
  robot: { mode: 'ws' | 'http' | 'off'; botId?: string; secret?: string; token?: string; aesKey?: string; wsUrl?: string };
  botName: string;
  log: FastifyBaseLogger;
  /** How long an API call may take before it is given up (and retried later by the outbox). */
  timeoutMs?: number;
  /** The bot's clock: the sending limits and the reply URLs' hour count with it (callbacks are checked on the wall clock). */
  now?: () => number;
  /** Where card response codes and reply URLs are kept (the database, so every instance has them). */
  state?: PlatformState;
  /** The outbox, so a robot callback can carry what waits for its chat (HTTP callback mode). */
  delivery?: RobotDelivery;
}

/**
 * WeCom through its official channels: the smart robot (intake: group messages that @-mention it,
 * its cards' clicks, its single chats), the self-built application (direct cards and texts, card
 * updates by response code, its app chats) and group webhooks (pushes). Chats are addressed as
 * `user:<userid>` (the application, else the robot's single chat), `webhook:<key>` (a webhook),
 * `appchat:<chatid>` (a group the application created) or the robot's group chat id.
 */
export class WeComAdapter implements ChatAdapter {
  readonly platform = 'wecom' as const;
  readonly api: WeComApi;
  private readonly directory: WeComDirectory;
  private readonly log: FastifyBaseLogger;
  private readonly appCrypto?: WeComCrypto;
  private readonly robotCrypto?: WeComCrypto;
  /** The smart robot's long connection, when it uses one. */
  private readonly link: RobotLink;
  private sink: EventSink | undefined;
  /** Response codes of application cards (`rc:<task id>`, single use, 72 h) and the robot's reply URLs per chat. */
  private readonly state: PlatformState;
  private readonly urls: ReplyUrls;
  private readonly passive = new PassiveReplies();
  private readonly robot: RobotSender;
  private readonly parts = new PartedSends();
  /** Chats told once in the log that their cards arrive without buttons. */
  private readonly withoutButtons = new Set<string>();
  /** Answers said outside a callback (a click's toast), waited for on stop. */
  private readonly background = new Set<Promise<unknown>>();

  constructor(private readonly opts: WeComOptions) {
    this.log = opts.log.child({ platform: 'wecom' });
    this.state = opts.state ?? new MemoryPlatformState();
    const now = opts.now ?? Date.now;
    this.api = new WeComApi({
      base: opts.base,
      corpId: opts.corpId,
      secret: opts.secret,
      agentId: opts.agentId,
      log: this.log,
      timeoutMs: opts.timeoutMs,
      now,
    });
    this.urls = new ReplyUrls(this.state, now);
    this.link = new RobotLink(this.log);
    this.robot = new RobotSender({
      api: this.api,
      urls: this.urls,
      passive: this.passive,
      ws: () => this.link.connected,
      log: this.log,
    });
    this.directory = new WeComDirectory(this.api, this.log, opts.now);
    if (opts.appToken && opts.appAesKey) this.appCrypto = new WeComCrypto(opts.appToken, opts.appAesKey);
    if (opts.robot.mode === 'http' && opts.robot.token && opts.robot.aesKey) this.robotCrypto = new WeComCrypto(opts.robot.token, opts.robot.aesKey);
  }

  /** Whether the self-built application can send (it takes a direct chat before the robot does). */
  private get appCanSend(): boolean {
    return !!this.opts.corpId && !!this.opts.secret;
  }

  routes(app: FastifyInstance, sink: EventSink): void {
    this.sink = sink;
    if (this.appCrypto && this.opts.corpId) appRoutes(app, sink, { crypto: this.appCrypto, corpId: this.opts.corpId, state: this.state, log: this.log });
    if (this.robotCrypto) {
      robotRoutes(app, sink, {
        crypto: this.robotCrypto,
        botName: this.opts.botName,
        log: this.log,
        urls: this.urls,
        passive: this.passive,
        delivery: this.opts.delivery,
        replyOrigin: originOf(this.opts.base) ?? this.opts.base,
        clickedCard: (event, result) => this.clickedCard(event, result),
        toast: (event, text, responseUrl) => this.toast(event, text, responseUrl),
      });
    }
  }

  async start(sink: EventSink): Promise<void> {
    const { robot } = this.opts;
    // Over the long connection the bot itself tries again a message it could not store.
    this.sink = robot.mode === 'ws' ? sinkWithRedelivery(sink, this.log) : sink;
    if (robot.mode !== 'ws' || !robot.botId || !robot.secret) return;
    await this.link.open({ botId: robot.botId, secret: robot.secret, wsUrl: robot.wsUrl }, async (ws, frame) => {
      const parsed = robotEventOf(frame.body, this.opts.botName);
      if (!parsed || !this.sink) return;
      const result = await this.sink(parsed.event);
      if (parsed.event.kind !== 'action') return;
      // A click is answered only by updating its card; a toast is said in the chat.
      const card = this.clickedCard(parsed.event, result);
      if (card) await ws.updateTemplateCard(frame as never, card as never);
      else if (result.toast) this.toast(parsed.event, result.toast.text);
    });
  }

  async stop(): Promise<void> {
    this.link.close();
    await Promise.all(this.background);
  }

  /** The robot's long connection (when it is used) is up, and the API answered its last call. */
  async status(): Promise<PlatformStatus> {
    const robot = this.opts.robot.mode;
    const api = await this.api.reach.status();
    const mode = robot === 'ws' ? (this.opts.corpId ? 'ws+http' : 'ws') : 'http';
    if (robot !== 'ws') return { mode, ...api };
    const link = this.link.status();
    if (link.ready && !api.ready) return { mode, ...api, reason: `the long connection is up, but the API is not: ${api.reason}` };
    return { mode, ...link };
  }

  /** Resolves when the answers said outside a callback (click toasts) have been sent or given up. */
  async settled(): Promise<void> {
    await Promise.all(this.background);
  }

  private taskId(): string {
    return `t${Date.now().toString(36)}${randomBytes(6).toString('hex')}`;
  }

  /** The clicked card as it now stands, as the robot shows it (the click's task id kept). */
  private clickedCard(event: IncomingEvent, result: EventResult): Record<string, unknown> | undefined {
    return result.card ? templateCard(result.card, event.replyTo?.messageId ?? this.taskId(), this.opts.botName, ROBOT_CARD) : undefined;
  }

  /**
   * A click's toast (a refusal, a request to click again), said in the click's chat to the one who
   * clicked: through the click's own reply URL when it brought one, else as any message there.
   */
  private toast(event: IncomingEvent, text: string, responseUrl?: string): void {
    const mention = event.chat.type === 'group' ? wecomMentionId(event.user.platformId) : undefined;
    const content = `${mention ? `<@${mention}> ` : ''}${escapeWecomMarkdown(text)}`;
    const say = async () => {
      if (responseUrl && !this.link.connected) {
        const answer = await this.api.respond(responseUrl, { msgtype: 'markdown', markdown: { content } });
        if (answer.errcode === 0) return;
        this.log.warn({ chatId: event.chat.id, errcode: answer.errcode }, 'wecom click reply URL refused; answering another way');
      }
      await this.robot.send(event.chat.id, { markdown: content });
    };
    const said = say()
      .catch((err: unknown) => this.log.warn({ err, chatId: event.chat.id }, 'wecom click answer not said'))
      .finally(() => this.background.delete(said));
    this.background.add(said);
  }

  async send(chatId: string, message: OutgoingMessage, opts?: SendOptions): Promise<{ messageId: string }> {
    // A card nobody clicks (roster, digest, notices) reads in full as markdown; template cards cut their texts short.
    const interactive = message.type === 'card' && (message.card.buttons.length > 0 || !!message.card.form) ? message.card : undefined;
    const markdown =
      message.type === 'text' ? markdownText(message) : interactive ? cardMarkdownWithCommands(interactive, this.opts.botName) : cardMarkdown(message.card);
    const key = opts?.idempotencyKey;
    const markdownBody = (content: string) => ({ msgtype: 'markdown', markdown: { content } });
    if (chatId.startsWith('webhook:')) {
      const hook = chatId.slice('webhook:'.length);
      const parts = splitMarkdown(markdown, MARKDOWN_BYTES.webhook);
      await this.parts.send(key, parts, (p) => this.api.webhook(hook, markdownBody(p)), {
        wait: (n) => this.api.webhookWait(hook, n),
        what: 'webhook limit: 20 messages a minute',
      });
      if (interactive) this.noteWithoutButtons(chatId, 'a webhook');
      return { messageId: this.taskId() };
    }
    if (chatId.startsWith('appchat:')) {
      const chat = chatId.slice('appchat:'.length);
      await this.parts.send(key, splitMarkdown(markdown, MARKDOWN_BYTES.app), (p) => this.api.appChat(chat, markdownBody(p)));
      if (interactive) this.noteWithoutButtons(chatId, 'an app chat');
      return { messageId: this.taskId() };
    }
    if (chatId.startsWith('user:') && (this.appCanSend || this.opts.robot.mode === 'off')) {
      const userid = chatId.slice('user:'.length);
      if (interactive) {
        const taskId = this.taskId();
        const { responseCode } = await this.api.send(userid, {
          msgtype: 'template_card',
          template_card: templateCard(interactive, taskId, this.opts.botName, APP_CARD),
        });
        if (responseCode) await this.state.set(`wecom:rc:${taskId}`, responseCode, CODE_MS);
        return { messageId: taskId };
      }
      const parts = splitMarkdown(markdown, MARKDOWN_BYTES.app);
      const sent = await this.parts.send(key, parts, (p) => this.api.send(userid, markdownBody(p)), {
        wait: (n) => this.api.memberWait(userid, n),
        what: 'limit per member: 30 messages a minute, 1000 an hour',
      });
      return { messageId: sent[0]?.msgid ?? this.taskId() };
    }
    // The robot: one of its groups, or a single chat without the application.
    if (this.opts.robot.mode === 'off') throw new PermanentSendError(`no way to reach WeCom group ${chatId}: the smart robot is not configured`);
    const taskId = this.taskId();
    if (interactive) {
      await this.robot.send(chatId, { card: templateCard(interactive, taskId, this.opts.botName, ROBOT_CARD), markdown });
      return { messageId: taskId };
    }
    await this.parts.send(key, splitMarkdown(markdown, MARKDOWN_BYTES.robot), (p) => this.robot.send(chatId, { markdown: p }));
    return { messageId: taskId };
  }

  /** A member of the address book (the self-built application's user/get), with their departments' names. */
  lookupUser(userid: string): Promise<DirectoryUser | undefined> {
    return this.directory.lookupUser(userid);
  }

  readDirectory(): Promise<DirectoryListing> {
    return this.directory.readDirectory();
  }

  private noteWithoutButtons(chatId: string, channel: string): void {
    if (this.withoutButtons.has(chatId)) return;
    this.withoutButtons.add(chatId);
    this.log.warn({ chatId }, `wecom cards to this chat arrive as markdown with typed commands: ${channel} carries no buttons`);
  }

  /** An image or a file a report carried through the smart robot: downloaded from its URL and decrypted. */
  async fetchAttachment(_ref: MessageRef, attachment: Attachment, maxBytes: number): Promise<{ data: Buffer; mime?: string }> {
    const [url = '', aesKey] = attachment.key.split('#');
    if (this.link.ws) {
      const { buffer } = await this.link.ws.downloadFile(url, aesKey);
      if (buffer.length > maxBytes) throw new PermanentSendError(`file larger than ${maxBytes} bytes`);
      return { data: buffer };
    }
    if (!this.robotCrypto) throw new PermanentSendError('no robot key to decrypt the file with');
    const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    if (!res.ok) throw new Error(`file download failed: HTTP ${res.status}`);
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > maxBytes + 32) throw new PermanentSendError(`file larger than ${maxBytes} bytes`);
    const data = this.robotCrypto.decryptFile(Buffer.from(await res.arrayBuffer()));
    if (data.length > maxBytes) throw new PermanentSendError(`file larger than ${maxBytes} bytes`);
    return { data };
  }

  /**
   * Application cards are updated for every recipient with the newest response code (from the
   * send or from a click; single use). A robot's card can only change in a click's answer.
   */
  async update(ref: MessageRef, message: OutgoingMessage): Promise<void> {
    if (message.type !== 'card') return;
    const key = `wecom:rc:${ref.messageId}`;
    const code = ref.chatId.startsWith('user:') ? await this.state.get(key) : undefined;
    if (!code) {
      this.log.debug({ messageId: ref.messageId }, 'wecom card not updatable now');
      return;
    }
    await this.api.updateTemplateCard(code, templateCard(message.card, ref.messageId, this.opts.botName, APP_CARD));
    // Single use: forgotten only once it has been used, so a retried update still has it.
    if ((await this.state.get(key)) === code) await this.state.delete(key);
  }
}
