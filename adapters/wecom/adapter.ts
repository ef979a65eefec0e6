import { randomBytes } from 'node:crypto';
import type { WSClient } from '@wecom/aibot-node-sdk';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Attachment, EventSink, MessageRef, OutgoingMessage } from '../../bot/chat/model.js';
import { PermanentSendError, RetryableSendError, type ChatAdapter, type PlatformState } from '../../bot/chat/ports.js';
import type { DirectoryListing, DirectoryUser } from '../../bot/chat/ports.js';
import { MemoryPlatformState } from '../shared/memory-state.js';
import { DeliverAgain, sinkWithRedelivery } from '../shared/redeliver.js';
import { failureOf, WeComApi } from './api.js';
import { appEventOf, checkCallback, encryptedOfXml, robotEventOf } from './callback.js';
import { WeComCrypto } from './crypto.js';
import { WeComDirectory } from './directory.js';
import { escapeWecomMarkdown } from './escape.js';
import { cardMarkdown, markdownText, templateCard } from './render.js';

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
  /** Injectable for tests with fake time (the webhooks' 20-a-minute limit counts with it). */
  now?: () => number;
  /** Where card response codes and reply URLs are kept (the database, so every instance has them). */
  state?: PlatformState;
}

const MAX_SKEW_MS = 5 * 60_000;
const RESPONSE_URL_MS = 55 * 60_000;
const CODE_MS = 72 * 60 * 60_000;
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

/** The reason a 5xx gives WeCom when a message was not stored. */
const RETRY = new DeliverAgain().message;

/**
 * WeCom through its official channels: the smart robot (intake: group messages that @-mention it,
 * its cards' clicks), the self-built application (direct cards and texts, card updates by
 * response code), and group webhooks (pushes). Chats are addressed as `user:<userid>` (the
 * application), `webhook:<key>` (a webhook) or the robot's group chat id.
 */
export class WeComAdapter implements ChatAdapter {
  readonly platform = 'wecom' as const;
  readonly api: WeComApi;
  private readonly directory: WeComDirectory;
  private readonly log: FastifyBaseLogger;
  private readonly appCrypto?: WeComCrypto;
  private readonly robotCrypto?: WeComCrypto;
  private ws: WSClient | undefined;
  private sink: EventSink | undefined;
  /** Response codes of application cards (`rc:<task id>`, single use, 72 h) and the newest reply URL per robot chat (`url:<chat>`). */
  private readonly state: PlatformState;

  constructor(private readonly opts: WeComOptions) {
    this.log = opts.log.child({ platform: 'wecom' });
    this.state = opts.state ?? new MemoryPlatformState();
    this.api = new WeComApi({
      base: opts.base,
      corpId: opts.corpId,
      secret: opts.secret,
      agentId: opts.agentId,
      log: this.log,
      timeoutMs: opts.timeoutMs,
      now: opts.now,
    });
    this.directory = new WeComDirectory(this.api, this.log, opts.now);
    if (opts.appToken && opts.appAesKey) this.appCrypto = new WeComCrypto(opts.appToken, opts.appAesKey);
    if (opts.robot.mode === 'http' && opts.robot.token && opts.robot.aesKey) this.robotCrypto = new WeComCrypto(opts.robot.token, opts.robot.aesKey);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  routes(app: FastifyInstance, sink: EventSink): void {
    this.sink = sink;
    const appCrypto = this.appCrypto;
    if (appCrypto && this.opts.corpId) {
      const corpId = this.opts.corpId;
      app.get<{ Querystring: Record<string, string> }>('/wecom/callback', async (req, reply) => {
        // URL verification only echoes, so its timestamp is not checked.
        const checked = checkCallback(appCrypto, req.query, req.query.echostr, corpId, { now: this.now(), maxSkewMs: MAX_SKEW_MS, checkTime: false });
        if (!checked.ok) return reply.code(checked.status).send({ error: checked.reason });
        return reply.type('text/plain').send(checked.plain);
      });
      app.register(async (scope) => {
        scope.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
        scope.post<{ Querystring: Record<string, string> }>('/wecom/callback', async (req, reply) => {
          const body = typeof req.body === 'string' ? req.body : '';
          const checked = checkCallback(appCrypto, req.query, encryptedOfXml(body), corpId, { now: this.now(), maxSkewMs: MAX_SKEW_MS, checkTime: true });
          if (!checked.ok) {
            this.log.warn({ reason: checked.reason }, 'wecom callback refused');
            return reply.code(checked.status).send({ error: checked.reason });
          }
          const parsed = appEventOf(checked.plain);
          if (parsed) {
            if (parsed.responseCode && parsed.event.replyTo) await this.state.set(`wecom:rc:${parsed.event.replyTo.messageId}`, parsed.responseCode, CODE_MS);
            const result = await sink(parsed.event);
            // Not stored: a 5xx makes WeCom deliver it again.
            if (result.outcome === 'retry' && parsed.event.kind === 'message') return reply.code(503).send({ error: RETRY });
          }
          return reply.type('text/plain').send('');
        });
      });
    }
    const robotCrypto = this.robotCrypto;
    if (robotCrypto) {
      // Saving the robot's callback URL: WeCom checks it with a GET carrying echostr (receive id "").
      app.get<{ Querystring: Record<string, string> }>('/wecom/robot', async (req, reply) => {
        const checked = checkCallback(robotCrypto, req.query, req.query.echostr, '', { now: this.now(), maxSkewMs: MAX_SKEW_MS, checkTime: false });
        if (!checked.ok) return reply.code(checked.status).send({ error: checked.reason });
        return reply.type('text/plain').send(checked.plain);
      });
      app.post<{ Querystring: Record<string, string>; Body: { encrypt?: string } }>('/wecom/robot', async (req, reply) => {
        const checked = checkCallback(robotCrypto, req.query, req.body?.encrypt, '', { now: this.now(), maxSkewMs: MAX_SKEW_MS, checkTime: true });
        if (!checked.ok) {
          this.log.warn({ reason: checked.reason }, 'wecom robot callback refused');
          return reply.code(checked.status).send({ error: checked.reason });
        }
        let payload: unknown;
        try {
          payload = JSON.parse(checked.plain);
        } catch {
          return reply.code(400).send({ error: 'the decrypted payload is not JSON' });
        }
        const parsed = robotEventOf(payload, this.opts.botName);
        if (!parsed) return reply.send('');
        if (parsed.responseUrl) await this.state.set(`wecom:url:${parsed.event.chat.id}`, parsed.responseUrl, RESPONSE_URL_MS);
        const result = await sink(parsed.event);
        if (result.outcome === 'retry' && parsed.event.kind === 'message') return reply.code(503).send({ error: RETRY });
        // A click is answered within WeCom's 5 s with the card as it now stands.
        if (parsed.event.kind === 'action') {
          const answer = result.card
            ? {
                response_type: 'update_template_card',
                template_card: templateCard(result.card, parsed.event.replyTo?.messageId ?? this.taskId(), this.opts.botName),
              }
            : result.toast
              ? { msgtype: 'markdown', markdown: { content: escapeWecomMarkdown(result.toast.text) } }
              : undefined;
          if (answer) return this.encryptedReply(robotCrypto, JSON.stringify(answer));
        }
        return reply.send('');
      });
    }
  }

  private encryptedReply(crypto: WeComCrypto, plain: string) {
    const encrypt = crypto.encrypt(plain, '');
    const timestamp = String(Math.floor(this.now() / 1000));
    const nonce = randomBytes(8).toString('hex');
    return { encrypt, msgsignature: crypto.signature(timestamp, nonce, encrypt), timestamp: Number(timestamp), nonce };
  }

  async start(sink: EventSink): Promise<void> {
    const { robot } = this.opts;
    // Over the long connection the bot itself tries again a message it could not store.
    this.sink = robot.mode === 'ws' ? sinkWithRedelivery(sink, this.log) : sink;
    if (robot.mode !== 'ws' || !robot.botId || !robot.secret) return;
    // The long-connection SDK is loaded only when the robot uses it.
    const { WSClient } = await import('@wecom/aibot-node-sdk');
    const ws = new WSClient({ botId: robot.botId, secret: robot.secret, wsUrl: robot.wsUrl, logger: this.sdkLogger() });
    const deliver = async (frame: { body?: unknown } & Record<string, unknown>) => {
      const parsed = robotEventOf(frame.body, this.opts.botName);
      if (!parsed || !this.sink) return;
      const result = await this.sink(parsed.event);
      if (parsed.event.kind === 'action' && result.card) {
        await ws.updateTemplateCard(frame as never, templateCard(result.card, parsed.event.replyTo?.messageId ?? this.taskId(), this.opts.botName) as never);
      } else if (parsed.event.kind === 'action' && result.toast) {
        await ws.reply(frame as never, { msgtype: 'markdown', markdown: { content: escapeWecomMarkdown(result.toast.text) } });
      }
    };
    ws.on('message', (frame) => void deliver(frame as never).catch((err) => this.log.error({ err }, 'wecom robot message failed')));
    ws.on('event.template_card_event', (frame) => void deliver(frame as never).catch((err) => this.log.error({ err }, 'wecom robot click failed')));
    ws.connect();
    this.ws = ws;
  }

  async stop(): Promise<void> {
    this.ws?.disconnect();
  }

  private taskId(): string {
    return `t${Date.now().toString(36)}${randomBytes(6).toString('hex')}`;
  }

  async send(chatId: string, message: OutgoingMessage): Promise<{ messageId: string }> {
    // A card nobody clicks (roster, digest, notices) reads in full as markdown; template cards cut text at 112 characters.
    const interactive = message.type === 'card' && (message.card.buttons.length > 0 || !!message.card.form) ? message.card : undefined;
    const content = message.type === 'card' ? cardMarkdown(message.card) : markdownText(message);
    if (chatId.startsWith('user:')) {
      const userid = chatId.slice('user:'.length);
      if (interactive) {
        const taskId = this.taskId();
        const { responseCode } = await this.api.send(userid, {
          msgtype: 'template_card',
          template_card: templateCard(interactive, taskId, this.opts.botName),
        });
        if (responseCode) await this.state.set(`wecom:rc:${taskId}`, responseCode, CODE_MS);
        return { messageId: taskId };
      }
      const { msgid } = await this.api.send(userid, { msgtype: 'markdown', markdown: { content } });
      return { messageId: msgid ?? this.taskId() };
    }
    if (chatId.startsWith('webhook:')) {
      await this.api.webhook(chatId.slice('webhook:'.length), { msgtype: 'markdown', markdown: { content } });
      return { messageId: this.taskId() };
    }
    const taskId = this.taskId();
    const body = interactive
      ? { msgtype: 'template_card', template_card: templateCard(interactive, taskId, this.opts.botName) }
      : { msgtype: 'markdown', markdown: { content } };
    if (this.ws?.isConnected) {
      await this.ws.sendMessage(chatId, body as never).catch((err: unknown) => {
        throw longConnectionFailure(err);
      });
      return { messageId: taskId };
    }
    const url = await this.state.get(`wecom:url:${chatId}`);
    if (url) {
      await this.api.respond(url, body);
      return { messageId: taskId };
    }
    throw new PermanentSendError(`no way to reach WeCom group ${chatId}: the robot has no connection and no recent message there`);
  }

  /** A member of the address book (the self-built application's user/get), with their departments' names. */
  lookupUser(userid: string): Promise<DirectoryUser | undefined> {
    return this.directory.lookupUser(userid);
  }

  readDirectory(): Promise<DirectoryListing> {
    return this.directory.readDirectory();
  }

  /** An image a report carried through the smart robot: downloaded from its URL and decrypted. */
  async fetchAttachment(_ref: MessageRef, attachment: Attachment, maxBytes: number): Promise<{ data: Buffer; mime?: string }> {
    const [url = '', aesKey] = attachment.key.split('#');
    if (this.ws) {
      const { buffer } = await this.ws.downloadFile(url, aesKey);
      if (buffer.length > maxBytes) throw new PermanentSendError(`image larger than ${maxBytes} bytes`);
      return { data: buffer };
    }
    if (!this.robotCrypto) throw new PermanentSendError('no robot key to decrypt the image with');
    const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    if (!res.ok) throw new Error(`image download failed: HTTP ${res.status}`);
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > maxBytes + 32) throw new PermanentSendError(`image larger than ${maxBytes} bytes`);
    const data = this.robotCrypto.decryptFile(Buffer.from(await res.arrayBuffer()));
    if (data.length > maxBytes) throw new PermanentSendError(`image larger than ${maxBytes} bytes`);
    return { data };
  }

  /**
   * Application cards are updated for every recipient with the newest response code (from the
   * send or from a click; single use). A robot's group card can only change in a click's answer.
   */
  async update(ref: MessageRef, message: OutgoingMessage): Promise<void> {
    if (message.type !== 'card') return;
    const key = `wecom:rc:${ref.messageId}`;
    const code = ref.chatId.startsWith('user:') ? await this.state.get(key) : undefined;
    if (!code) {
      this.log.debug({ messageId: ref.messageId }, 'wecom card not updatable now');
      return;
    }
    await this.api.updateTemplateCard(code, templateCard(message.card, ref.messageId, this.opts.botName));
    // Single use: forgotten only once it has been used, so a retried update still has it.
    if ((await this.state.get(key)) === code) await this.state.delete(key);
  }

  private sdkLogger() {
    const log = this.log.child({ component: 'aibot-sdk' });
    return {
      debug: (...args: unknown[]) => log.debug({ sdk: args }, 'aibot'),
      info: (...args: unknown[]) => log.debug({ sdk: args }, 'aibot'),
      warn: (...args: unknown[]) => log.warn({ sdk: args }, 'aibot'),
      error: (...args: unknown[]) => log.error({ sdk: args }, 'aibot'),
    };
  }
}
