import type { FastifyReply, FastifyRequest } from 'fastify';
import { userMessages, userThreads } from './feishu-events.js';
import { serveContacts, type ContactDepartment, type ContactUser } from './feishu-contacts.js';
import { FailureInjection } from './failure-injection.js';
import type { WebSocketStandIn } from './websocket.js';

export type { ContactDepartment, ContactUser };
import { isRefusal, messageRefusal, patchRefusal, type Refusal } from './feishu-rules.js';

/** One message the bot sent, as the stand-in recorded it. */
export interface SentMessage {
  id: string;
  chatId: string;
  msgType: string;
  content: any;
  at: number;
  replyTo?: string;
  /** The request body's size in bytes, as it arrived. */
  bodyBytes: number;
  /** `reply_in_thread` as the reply asked for it. */
  replyInThread?: boolean;
  /** The thread (话题) the message is in, if any. */
  threadId?: string;
}

export type Failure =
  /** HTTP 429 (or `status`) with code 99991400 and `x-ogw-ratelimit-reset`. */
  | { kind: 'rate-limit'; resetSeconds: number; status?: number }
  | { kind: 'server-error'; status?: number }
  /** No answer for `ms` (then 504); with `handled`, the call takes effect first and only its answer is late. */
  | { kind: 'hang'; ms: number; handled?: boolean }
  /** Every token issued so far stops working; the call is refused with `code` (99991663 unless told). */
  | { kind: 'token-expired'; code?: number }
  /** A request Feishu refuses for good (HTTP 400, e.g. 230002 "bot not in the chat"). */
  | { kind: 'bad-request'; code: number; msg?: string }
  /** The connection cut without an answer (a network failure between the bot and Feishu). */
  | { kind: 'drop' }
  /** The request taken and never answered, the connection held open for `ms` (then cut). */
  | { kind: 'stall'; ms: number };

/** One API call (not a token request) as the stand-in saw it. */
export interface ApiRequest {
  method: string;
  path: string;
  at: number;
  /** The chat a message was sent to (`receive_id`), for sends. */
  chatId?: string;
  /** The query string, without the `?`. */
  query: string;
  /** The failure injected into it, or 'ok'. */
  outcome: Failure['kind'] | 'ok';
}

/**
 * A local server posing as the Feishu Open API (the platform boundary): tenant token, bot info,
 * send, reply, patch, message resources and contacts (contact v3: users, departments, their children
 * and members, paged like Feishu's), with failures that tests can inject. It refuses what Feishu
 * refuses, with the documented codes (feishu-rules.ts): bodies over the size limits, cards that are
 * not valid card JSON 2.0, fields of the wrong type, a patch of a message that is not the app's own
 * card, a reply in a thread where the chat has no threads.
 */
export class FeishuOpenApi extends FailureInjection<Failure> {
  readonly sent: SentMessage[] = [];
  readonly patches: { messageId: string; content: any; at: number; bodyBytes: number }[] = [];
  /** Every refusal by the rules, in order (a test of a limit looks here). */
  readonly refused: (Refusal & { path: string })[] = [];
  /** Chats whose settings allow no threads: a reply asking for one is refused with 230071. */
  readonly threadless = new Set<string>();
  readonly tokenRequests: number[] = [];
  /** Every API call, failed or not, in arrival order. */
  readonly requests: ApiRequest[] = [];
  readonly resources = new Map<string, Buffer>();
  /** Only the mobile and email of a sender (the FEISHU_USER_MATCH tests), without a name. */
  readonly contacts = new Map<string, { mobile?: string; email?: string }>();
  /** The address book: people by open_id, departments by open_department_id. */
  readonly users = new Map<string, ContactUser>();
  readonly departments = new Map<string, ContactDepartment>();
  /** Where the long connection's endpoint sends the bot (FEISHU_MODE=ws), when set. */
  longConnection: WebSocketStandIn | undefined;
  /** At most this many items a page, whatever page_size asks (Feishu's own limit is 50), so tests see paging. */
  pageLimit = 50;
  private validTokens = new Set<string>();
  private seq = 0;

  constructor(readonly botOpenId = 'ou_bot_helpdesk') {
    super();
    const app = this.app;
    // The body's bytes as they arrived, for the size limits.
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body: Buffer, done) => {
      (req as { bodyBytes?: number }).bodyBytes = body.length;
      try {
        done(null, body.length > 0 ? JSON.parse(body.toString('utf8')) : {});
      } catch (err) {
        done(err as Error, undefined);
      }
    });
    app.post('/open-apis/auth/v3/tenant_access_token/internal', async (req) => {
      const body = req.body as { app_id?: string; app_secret?: string };
      this.tokenRequests.push(this.clock());
      if (!body.app_id || !body.app_secret) return { code: 10003, msg: 'invalid param' };
      const token = `t-${++this.seq}`;
      this.validTokens.add(token);
      return { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 };
    });
    // The long connection's endpoint (WSClient asks it for the address to connect to), when a test serves one.
    app.post('/callback/ws/endpoint', async (_req, reply) => {
      if (!this.longConnection) return reply.code(404).send({ code: 404, msg: 'not found' });
      return {
        code: 0,
        msg: 'ok',
        data: {
          URL: `${this.longConnection.url}/ws?device_id=helpdesk-test&service_id=1`,
          ClientConfig: { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 },
        },
      };
    });
    app.get('/open-apis/bot/v3/info', async (req, reply) =>
      this.guard(req, reply, () => ({ code: 0, msg: 'ok', bot: { open_id: this.botOpenId, app_name: '信息科助手', activate_status: 2 } })),
    );
    app.post('/open-apis/im/v1/messages', async (req, reply) =>
      this.guard(req, reply, () => {
        const query = req.query as { receive_id_type?: string };
        const body = req.body as { receive_id: string; msg_type: string; content: string; uuid?: string };
        if (query.receive_id_type !== 'chat_id' && query.receive_id_type !== 'open_id')
          return reply.code(400).send({ code: 99992402, msg: 'field validation failed' });
        const checked = messageRefusal(body, bytesOf(req), false);
        if (isRefusal(checked)) return this.refuse(req, reply, checked);
        const repeat = this.repeated(body.uuid);
        if (repeat) return { code: 0, msg: 'success', data: { message_id: repeat, chat_id: body.receive_id, msg_type: body.msg_type } };
        const id = this.remember(body.uuid, `om_${++this.seq}`);
        const chatId = query.receive_id_type === 'open_id' ? `user:${body.receive_id}` : body.receive_id;
        this.sent.push({ id, chatId, msgType: body.msg_type, content: checked.content, at: this.clock(), bodyBytes: bytesOf(req) });
        return { code: 0, msg: 'success', data: { message_id: id, chat_id: body.receive_id, msg_type: body.msg_type } };
      }),
    );
    app.post<{ Params: { id: string } }>('/open-apis/im/v1/messages/:id/reply', async (req, reply) =>
      this.guard(req, reply, () => {
        const known = userMessages.get(req.params.id);
        const parent = this.sent.find((m) => m.id === req.params.id) ?? (known ? { chatId: known } : undefined);
        if (!parent) return reply.code(400).send({ code: 230001, msg: 'message not found' });
        const body = req.body as { msg_type: string; content: string; uuid?: string; reply_in_thread?: boolean };
        const checked = messageRefusal(body, bytesOf(req), true);
        if (isRefusal(checked)) return this.refuse(req, reply, checked);
        if (body.reply_in_thread === true && this.threadless.has(parent.chatId)) {
          return this.refuse(req, reply, { status: 400, code: 230071, msg: 'The group to which the message belongs does not support reply in thread.' });
        }
        const repeat = this.repeated(body.uuid);
        if (repeat) return { code: 0, msg: 'success', data: { message_id: repeat, parent_id: req.params.id } };
        const id = this.remember(body.uuid, `om_${++this.seq}`);
        // A reply to a message in a thread goes into that thread (Feishu's default); `reply_in_thread` opens one otherwise.
        const parentThread = userThreads.get(req.params.id) ?? this.sent.find((m) => m.id === req.params.id)?.threadId;
        const threadId = parentThread ?? (body.reply_in_thread ? `omt_${++this.seq}` : undefined);
        this.sent.push({
          id,
          chatId: parent.chatId,
          msgType: body.msg_type,
          content: checked.content,
          at: this.clock(),
          replyTo: req.params.id,
          bodyBytes: bytesOf(req),
          ...(body.reply_in_thread !== undefined ? { replyInThread: body.reply_in_thread } : {}),
          ...(threadId ? { threadId } : {}),
        });
        return { code: 0, msg: 'success', data: { message_id: id, parent_id: req.params.id, ...(threadId ? { thread_id: threadId } : {}) } };
      }),
    );
    app.patch<{ Params: { id: string } }>('/open-apis/im/v1/messages/:id', async (req, reply) =>
      this.guard(req, reply, () => {
        const own = this.sent.find((m) => m.id === req.params.id);
        const target = own
          ? { byApp: true, msgType: own.msgType, content: this.latest(own) }
          : userMessages.has(req.params.id)
            ? { byApp: false, msgType: 'text', content: {} }
            : undefined;
        const checked = patchRefusal(req.body as Record<string, unknown>, bytesOf(req), target);
        if (isRefusal(checked)) return this.refuse(req, reply, checked);
        this.patches.push({ messageId: req.params.id, content: checked.content, at: this.clock(), bodyBytes: bytesOf(req) });
        return { code: 0, msg: 'success' };
      }),
    );
    app.get<{ Params: { id: string; key: string } }>('/open-apis/im/v1/messages/:id/resources/:key', async (req, reply) =>
      this.guard(req, reply, () => {
        const data = this.resources.get(req.params.key);
        if (!data) return reply.code(400).send({ code: 234003, msg: 'file not found' });
        return reply.type('image/png').send(data);
      }),
    );
    serveContacts(app, this, (req, reply, handle) => this.guard(req, reply, handle));
  }

  /** The API calls to one path (a lookup of one person: `/open-apis/contact/v3/users/ou_x`). */
  callsTo(path: string): ApiRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Every token issued so far stops working (as after expiry); the next call answers 99991663. */
  expireTokens(): void {
    this.validTokens = new Set();
  }

  /** Feishu's `uuid` de-duplication: a send repeating a uuid within an hour gets the first message's id and sends nothing. */
  private readonly uuids = new Map<string, { id: string; at: number }>();
  private repeated(uuid: string | undefined): string | undefined {
    const seen = uuid ? this.uuids.get(uuid) : undefined;
    return seen && this.clock() - seen.at < 3600_000 ? seen.id : undefined;
  }
  private remember(uuid: string | undefined, id: string): string {
    if (uuid) this.uuids.set(uuid, { id, at: this.clock() });
    return id;
  }

  /** A sent card as it now stands: its last patch, or as sent. */
  private latest(message: SentMessage): any {
    return this.patches.findLast((p) => p.messageId === message.id)?.content ?? message.content;
  }

  private refuse(req: FastifyRequest, reply: FastifyReply, refusal: Refusal) {
    this.refused.push({ ...refusal, path: req.url.split('?')[0]! });
    return reply.code(refusal.status).send({ code: refusal.code, msg: refusal.msg, error: { log_id: `log-${refusal.code}` } });
  }

  cardsIn(chatId: string) {
    return this.sent.filter((m) => m.chatId === chatId && m.msgType === 'interactive');
  }

  private async guard(req: FastifyRequest, reply: FastifyReply, handle: () => unknown) {
    const failure = this.nextFailure();
    const chatId = (req.body as { receive_id?: string } | undefined)?.receive_id;
    const [path = '', query = ''] = req.url.split('?');
    this.requests.push({ method: req.method, path, query, at: this.clock(), chatId, outcome: failure?.kind ?? 'ok' });
    if (failure?.kind === 'drop' || failure?.kind === 'stall') {
      reply.hijack();
      if (failure.kind === 'stall') await this.hold(failure.ms);
      req.raw.socket.destroy();
      return reply;
    }
    if (failure?.kind === 'hang') {
      const answer = failure.handled ? this.authorized(req, reply, handle) : reply.code(504).send({});
      await this.hold(failure.ms);
      return answer;
    }
    if (failure?.kind === 'rate-limit') {
      return reply
        .code(failure.status ?? 429)
        .header('x-ogw-ratelimit-reset', String(failure.resetSeconds))
        .send({ code: 99991400, msg: 'request trigger frequency limit', error: { log_id: 'log-429' } });
    }
    if (failure?.kind === 'server-error') return reply.code(failure.status ?? 500).send({ code: 1500, msg: 'internal error', error: { log_id: 'log-500' } });
    if (failure?.kind === 'bad-request') return reply.code(400).send({ code: failure.code, msg: failure.msg ?? 'bad request', error: { log_id: 'log-400' } });
    if (failure?.kind === 'token-expired') {
      this.expireTokens();
      return this.authorized(req, reply, handle, failure.code);
    }
    return this.authorized(req, reply, handle);
  }

  private authorized(req: FastifyRequest, reply: FastifyReply, handle: () => unknown, code = 99991663) {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!this.validTokens.has(token)) {
      return reply.code(400).send({ code, msg: 'Invalid access token for authorization.', error: { log_id: 'log-token' } });
    }
    return handle();
  }
}

const bytesOf = (req: FastifyRequest) => (req as { bodyBytes?: number }).bodyBytes ?? 0;
