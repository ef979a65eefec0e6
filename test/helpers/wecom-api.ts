import { FailureInjection } from './failure-injection.js';

/**
 * An injected failure: an errcode in the JSON answer (40014 / 42001 also make every token issued so
 * far invalid), an HTTP status, or no answer for `hang` ms.
 */
export type Failure = { errcode: number } | { status: number } | { hang: number };

/** A member of the stand-in's address book (user/get, user/list). */
export interface WeComMember {
  userid: string;
  name: string;
  department: number[];
  mobile?: string;
  email?: string;
  /** 1 active (the default), 2 disabled, 4 not activated, 5 left. */
  status?: number;
}

/**
 * A local server posing as the WeCom API: gettoken, message/send, update_template_card, webhooks,
 * response_url, and the address book (user/get, department/list, department/get, user/list).
 */
export class WeComApiStandIn extends FailureInjection<Failure> {
  /** The address book: members by userid, departments by id (parentid 0: the top). */
  readonly members = new Map<string, WeComMember>();
  readonly departments = new Map<number, { id: number; name: string; parentid: number }>();
  readonly sent: { touser: string; msgtype: string; body: any; at: number }[] = [];
  readonly updates: { response_code: string; template_card: any }[] = [];
  readonly webhooks: { key: string; body: any; at: number }[] = [];
  readonly responses: { id: string; body: any }[] = [];
  /** Every API call (not gettoken), failed or not, in arrival order. */
  readonly requests: { path: string; at: number; outcome: string }[] = [];
  tokenRequests = 0;
  /** Error codes the next gettoken calls answer, one each (-1 system busy, 40001 a wrong secret). */
  readonly tokenFailures: number[] = [];
  private tokens = new Set<string>();
  private seq = 0;

  constructor() {
    super();
    const app = this.app;
    app.get('/cgi-bin/gettoken', async (req) => {
      const q = req.query as { corpid?: string; corpsecret?: string };
      this.tokenRequests++;
      if (!q.corpid || !q.corpsecret) return { errcode: 41002, errmsg: 'corpid missing' };
      const failure = this.tokenFailures.shift();
      if (failure !== undefined) return { errcode: failure, errmsg: failure === -1 ? 'system busy' : 'invalid credential' };
      const token = `tok-${++this.seq}`;
      this.tokens.add(token);
      return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 };
    });
    const guarded =
      (handle: (body: any, query: any) => unknown, tokens = true) =>
      async (req: { url: string; query: unknown; body: unknown }, reply: { code(n: number): { send(b: unknown): unknown } }) => {
        const failure = this.nextFailure();
        this.requests.push({ path: req.url.split('?')[0]!, at: this.clock(), outcome: failure ? JSON.stringify(failure) : 'ok' });
        if (failure && 'hang' in failure) {
          await this.hold(failure.hang);
          return reply.code(504).send({});
        }
        if (failure && 'status' in failure) return reply.code(failure.status).send({});
        if (failure) {
          if (failure.errcode === 42001 || failure.errcode === 40014) this.tokens.clear();
          return { errcode: failure.errcode, errmsg: failure.errcode === 42001 ? 'access_token expired' : 'injected' };
        }
        if (tokens && !this.tokens.has((req.query as { access_token?: string }).access_token ?? '')) return { errcode: 40014, errmsg: 'invalid access_token' };
        return handle(req.body, req.query);
      };
    app.post(
      '/cgi-bin/message/send',
      guarded((body) => {
        this.sent.push({ touser: body.touser, msgtype: body.msgtype, body, at: this.clock() });
        return { errcode: 0, errmsg: 'ok', msgid: `msg-${++this.seq}`, ...(body.msgtype === 'template_card' ? { response_code: `rc-send-${this.seq}` } : {}) };
      }),
    );
    app.post(
      '/cgi-bin/message/update_template_card',
      guarded((body) => {
        this.updates.push({ response_code: body.response_code, template_card: body.template_card });
        return { errcode: 0, errmsg: 'ok' };
      }),
    );
    app.post('/cgi-bin/webhook/send', async (req, reply) =>
      guarded((body) => {
        this.webhooks.push({ key: (req.query as { key: string }).key, body, at: this.clock() });
        return { errcode: 0, errmsg: 'ok' };
      }, false)(req, reply),
    );
    app.get(
      '/cgi-bin/user/get',
      guarded((_body, query) => {
        const member = this.members.get(String(query.userid ?? ''));
        if (!member || member.status === 5) return { errcode: 60111, errmsg: 'userid not found' };
        return { errcode: 0, errmsg: 'ok', status: 1, ...member };
      }),
    );
    app.get(
      '/cgi-bin/department/list',
      guarded(() => ({ errcode: 0, errmsg: 'ok', department: [...this.departments.values()] })),
    );
    app.get(
      '/cgi-bin/department/get',
      guarded((_body, query) => {
        const department = this.departments.get(Number(query.id));
        return department ? { errcode: 0, errmsg: 'ok', department } : { errcode: 60123, errmsg: 'invalid party id' };
      }),
    );
    app.get(
      '/cgi-bin/user/list',
      guarded((_body, query) => {
        const id = Number(query.department_id);
        if (!this.departments.has(id)) return { errcode: 60123, errmsg: 'invalid party id' };
        const userlist = [...this.members.values()].filter((m) => m.department.includes(id) && m.status !== 5).map((m) => ({ status: 1, ...m }));
        return { errcode: 0, errmsg: 'ok', userlist };
      }),
    );
    app.post<{ Params: { id: string } }>('/response/:id', async (req) => {
      this.responses.push({ id: req.params.id, body: req.body });
      return { errcode: 0, errmsg: 'ok' };
    });
  }
}
