import type { FastifyReply, FastifyRequest } from 'fastify';
import { userMessages } from './feishu-events.js';
import { FailureInjection } from './failure-injection.js';

/** One message the bot sent, as the stand-in recorded it. */
export interface SentMessage {
  id: string;
  chatId: string;
  msgType: string;
  content: any;
  at: number;
  replyTo?: string;
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
  | { kind: 'bad-request'; code: number; msg?: string };

/** One API call (not a token request) as the stand-in saw it. */
export interface ApiRequest {
  method: string;
  path: string;
  at: number;
  /** The chat a message was sent to (`receive_id`), for sends. */
  chatId?: string;
  /** The failure injected into it, or 'ok'. */
  outcome: Failure['kind'] | 'ok';
}

/**
 * A local server posing as the Feishu Open API (the platform boundary): tenant token, bot info,
 * send, patch, message resources and contacts, with failures that tests can inject.
 */
export class FeishuOpenApi extends FailureInjection<Failure> {
  readonly sent: SentMessage[] = [];
  readonly patches: { messageId: string; content: any; at: number }[] = [];
  readonly tokenRequests: number[] = [];
  /** Every API call, failed or not, in arrival order. */
  readonly requests: ApiRequest[] = [];
  readonly resources = new Map<string, Buffer>();
  readonly contacts = new Map<string, { mobile?: string; email?: string }>();
  private validTokens = new Set<string>();
  private seq = 0;

  constructor(readonly botOpenId = 'ou_bot_helpdesk') {
    super();
    const app = this.app;
    app.post('/open-apis/auth/v3/tenant_access_token/internal', async (req) => {
      const body = req.body as { app_id?: string; app_secret?: string };
      this.tokenRequests.push(this.clock());
      if (!body.app_id || !body.app_secret) return { code: 10003, msg: 'invalid param' };
      const token = `t-${++this.seq}`;
      this.validTokens.add(token);
      return { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 };
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
        const repeat = this.repeated(body.uuid);
        if (repeat) return { code: 0, msg: 'success', data: { message_id: repeat, chat_id: body.receive_id, msg_type: body.msg_type } };
        const id = this.remember(body.uuid, `om_${++this.seq}`);
        const chatId = query.receive_id_type === 'open_id' ? `user:${body.receive_id}` : body.receive_id;
        this.sent.push({ id, chatId, msgType: body.msg_type, content: JSON.parse(body.content), at: this.clock() });
        return { code: 0, msg: 'success', data: { message_id: id, chat_id: body.receive_id, msg_type: body.msg_type } };
      }),
    );
    app.post<{ Params: { id: string } }>('/open-apis/im/v1/messages/:id/reply', async (req, reply) =>
      this.guard(req, reply, () => {
        const known = userMessages.get(req.params.id);
        const parent = this.sent.find((m) => m.id === req.params.id) ?? (known ? { chatId: known } : undefined);
        if (!parent) return reply.code(400).send({ code: 230001, msg: 'message not found' });
        const body = req.body as { msg_type: string; content: string; uuid?: string };
        const repeat = this.repeated(body.uuid);
        if (repeat) return { code: 0, msg: 'success', data: { message_id: repeat, parent_id: req.params.id } };
        const id = this.remember(body.uuid, `om_${++this.seq}`);
        this.sent.push({ id, chatId: parent.chatId, msgType: body.msg_type, content: JSON.parse(body.content), at: this.clock(), replyTo: req.params.id });
        return { code: 0, msg: 'success', data: { message_id: id, parent_id: req.params.id } };
      }),
    );
    app.patch<{ Params: { id: string } }>('/open-apis/im/v1/messages/:id', async (req, reply) =>
      this.guard(req, reply, () => {
        if (!this.sent.some((m) => m.id === req.params.id)) return reply.code(400).send({ code: 230001, msg: 'message not found' });
        this.patches.push({ messageId: req.params.id, content: JSON.parse((req.body as { content: string }).content), at: this.clock() });
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
    app.get<{ Params: { id: string } }>('/open-apis/contact/v3/users/:id', async (req, reply) =>
      this.guard(req, reply, () => ({ code: 0, msg: 'success', data: { user: { open_id: req.params.id, ...(this.contacts.get(req.params.id) ?? {}) } } })),
    );
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

  cardsIn(chatId: string) {
    return this.sent.filter((m) => m.chatId === chatId && m.msgType === 'interactive');
  }

  private async guard(req: FastifyRequest, reply: FastifyReply, handle: () => unknown) {
    const failure = this.nextFailure();
    const chatId = (req.body as { receive_id?: string } | undefined)?.receive_id;
    this.requests.push({ method: req.method, path: req.url.split('?')[0]!, at: this.clock(), chatId, outcome: failure?.kind ?? 'ok' });
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
