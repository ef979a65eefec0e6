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
  /** The query string, without the `?`. */
  query: string;
  /** The failure injected into it, or 'ok'. */
  outcome: Failure['kind'] | 'ok';
}

/** A person of the stand-in's address book (contact v3), as find_by_department and users/:id give them. */
export interface ContactUser {
  open_id: string;
  name: string;
  mobile?: string;
  email?: string;
  /** open_department_ids; none: directly under the root department "0". */
  department_ids: string[];
}

/** A department of the stand-in's address book; `parent_department_id` "0" is the root. */
export interface ContactDepartment {
  open_department_id: string;
  name: string;
  parent_department_id: string;
}

const ID_TYPES = { user: ['open_id', 'user_id', 'union_id'], department: ['department_id', 'open_department_id'] };

/**
 * A local server posing as the Feishu Open API (the platform boundary): tenant token, bot info,
 * send, patch, message resources and contacts (contact v3: users, departments, their children and
 * members, paged like Feishu's), with failures that tests can inject.
 */
export class FeishuOpenApi extends FailureInjection<Failure> {
  readonly sent: SentMessage[] = [];
  readonly patches: { messageId: string; content: any; at: number }[] = [];
  readonly tokenRequests: number[] = [];
  /** Every API call, failed or not, in arrival order. */
  readonly requests: ApiRequest[] = [];
  readonly resources = new Map<string, Buffer>();
  /** Only the mobile and email of a sender (the FEISHU_USER_MATCH tests), without a name. */
  readonly contacts = new Map<string, { mobile?: string; email?: string }>();
  /** The address book: people by open_id, departments by open_department_id. */
  readonly users = new Map<string, ContactUser>();
  readonly departments = new Map<string, ContactDepartment>();
  /** At most this many items a page, whatever page_size asks (Feishu's own limit is 50), so tests see paging. */
  pageLimit = 50;
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
    this.serveContacts();
  }

  /** contact v3 as the bot calls it: one user, one department, a department's children, a department's members. */
  private serveContacts(): void {
    const app = this.app;
    type Query = Record<string, string | undefined>;
    const badIdType = (q: Query) =>
      (q.user_id_type && !ID_TYPES.user.includes(q.user_id_type)) || (q.department_id_type && !ID_TYPES.department.includes(q.department_id_type));
    const invalid = (reply: FastifyReply, code: number, msg: string) => reply.code(400).send({ code, msg, error: { log_id: `log-${code}` } });
    /** One page of `items` after `page_token`, with has_more and the next token. */
    const page = <T>(items: T[], q: Query, reply: FastifyReply) => {
      const size = Number(q.page_size ?? 50);
      if (!Number.isInteger(size) || size < 1 || size > 50) return invalid(reply, 40011, 'page size is invalid');
      const start = q.page_token ? Number(/^pt-(\d+)$/.exec(q.page_token)?.[1] ?? NaN) : 0;
      if (!Number.isInteger(start) || start > items.length) return invalid(reply, 40012, 'page token is invalid error');
      const end = start + Math.min(size, this.pageLimit);
      const more = end < items.length;
      return { code: 0, msg: 'success', data: { items: items.slice(start, end), has_more: more, ...(more ? { page_token: `pt-${end}` } : {}) } };
    };
    app.get<{ Querystring: Query }>('/open-apis/contact/v3/users/find_by_department', async (req, reply) =>
      this.guard(req, reply, () => {
        const q = req.query;
        if (badIdType(q) || !q.department_id) return invalid(reply, 99992402, 'field validation failed');
        if (q.department_id !== '0' && !this.departments.has(q.department_id)) return reply.code(403).send({ code: 40004, msg: 'no dept authority error' });
        const members = [...this.users.values()].filter((u) =>
          q.department_id === '0' ? u.department_ids.length === 0 : u.department_ids.includes(q.department_id!),
        );
        return page(
          members.map((u) => ({ ...u, department_ids: u.department_ids.length ? u.department_ids : ['0'] })),
          q,
          reply,
        );
      }),
    );
    app.get<{ Params: { id: string }; Querystring: Query }>('/open-apis/contact/v3/users/:id', async (req, reply) =>
      this.guard(req, reply, () => {
        if (badIdType(req.query)) return invalid(reply, 99992402, 'field validation failed');
        const user = this.users.get(req.params.id);
        if (user) return { code: 0, msg: 'success', data: { user: { ...user, department_ids: user.department_ids.length ? user.department_ids : ['0'] } } };
        const contact = this.contacts.get(req.params.id);
        if (contact) return { code: 0, msg: 'success', data: { user: { open_id: req.params.id, ...contact } } };
        return invalid(reply, 41050, 'no user authority error');
      }),
    );
    app.get<{ Params: { id: string }; Querystring: Query }>('/open-apis/contact/v3/departments/:id/children', async (req, reply) =>
      this.guard(req, reply, () => {
        const q = req.query;
        if (badIdType(q)) return invalid(reply, 99992402, 'field validation failed');
        if (req.params.id !== '0' && !this.departments.has(req.params.id)) return reply.code(403).send({ code: 40004, msg: 'no dept authority error' });
        const under = (parent: string): ContactDepartment[] =>
          [...this.departments.values()]
            .filter((d) => d.parent_department_id === parent)
            .flatMap((d) => (q.fetch_child === 'true' ? [d, ...under(d.open_department_id)] : [d]));
        return page(under(req.params.id), q, reply);
      }),
    );
    app.get<{ Params: { id: string }; Querystring: Query }>('/open-apis/contact/v3/departments/:id', async (req, reply) =>
      this.guard(req, reply, () => {
        if (badIdType(req.query)) return invalid(reply, 99992402, 'field validation failed');
        const department = this.departments.get(req.params.id);
        if (!department) return reply.code(403).send({ code: 40004, msg: 'no dept authority error' });
        return { code: 0, msg: 'success', data: { department } };
      }),
    );
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

  cardsIn(chatId: string) {
    return this.sent.filter((m) => m.chatId === chatId && m.msgType === 'interactive');
  }

  private async guard(req: FastifyRequest, reply: FastifyReply, handle: () => unknown) {
    const failure = this.nextFailure();
    const chatId = (req.body as { receive_id?: string } | undefined)?.receive_id;
    const [path = '', query = ''] = req.url.split('?');
    this.requests.push({ method: req.method, path, query, at: this.clock(), chatId, outcome: failure?.kind ?? 'ok' });
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
