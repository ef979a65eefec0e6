import Fastify, { type FastifyInstance } from 'fastify';

type Failure = { errcode: number } | { status: number };

/** A local server posing as the WeCom API: gettoken, message/send, update_template_card, webhooks, response_url. */
export class WeComApiStandIn {
  readonly app: FastifyInstance = Fastify({ logger: false });
  url = '';
  readonly sent: { touser: string; msgtype: string; body: any; at: number }[] = [];
  readonly updates: { response_code: string; template_card: any }[] = [];
  readonly webhooks: { key: string; body: any; at: number }[] = [];
  readonly responses: { id: string; body: any }[] = [];
  tokenRequests = 0;
  private tokens = new Set<string>();
  private readonly failures: Failure[] = [];
  private seq = 0;
  /** Time as the server sees it (tests with fake time set it). */
  clock: () => number = Date.now;

  constructor() {
    const app = this.app;
    app.get('/cgi-bin/gettoken', async (req) => {
      const q = req.query as { corpid?: string; corpsecret?: string };
      this.tokenRequests++;
      if (!q.corpid || !q.corpsecret) return { errcode: 41002, errmsg: 'corpid missing' };
      const token = `tok-${++this.seq}`;
      this.tokens.add(token);
      return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 };
    });
    const guarded = (handle: (body: any) => unknown) => async (req: { query: unknown; body: unknown }, reply: { code(n: number): { send(b: unknown): unknown } }) => {
      const failure = this.failures.shift();
      if (failure && 'status' in failure) return reply.code(failure.status).send({});
      if (failure) return failure.errcode === 42001 ? (this.tokens.clear(), { errcode: 42001, errmsg: 'access_token expired' }) : { errcode: failure.errcode, errmsg: 'injected' };
      if (!this.tokens.has((req.query as { access_token?: string }).access_token ?? '')) return { errcode: 40014, errmsg: 'invalid access_token' };
      return handle(req.body);
    };
    app.post('/cgi-bin/message/send', guarded((body) => {
      this.sent.push({ touser: body.touser, msgtype: body.msgtype, body, at: this.clock() });
      return { errcode: 0, errmsg: 'ok', msgid: `msg-${++this.seq}`, ...(body.msgtype === 'template_card' ? { response_code: `rc-send-${this.seq}` } : {}) };
    }));
    app.post('/cgi-bin/message/update_template_card', guarded((body) => {
      this.updates.push({ response_code: body.response_code, template_card: body.template_card });
      return { errcode: 0, errmsg: 'ok' };
    }));
    app.post('/cgi-bin/webhook/send', async (req) => {
      const failure = this.failures.shift();
      if (failure && 'errcode' in failure) return { errcode: failure.errcode, errmsg: 'injected' };
      this.webhooks.push({ key: (req.query as { key: string }).key, body: req.body, at: this.clock() });
      return { errcode: 0, errmsg: 'ok' };
    });
    app.post<{ Params: { id: string } }>('/response/:id', async (req) => {
      this.responses.push({ id: req.params.id, body: req.body });
      return { errcode: 0, errmsg: 'ok' };
    });
  }

  async start(): Promise<string> {
    this.url = await this.app.listen({ port: 0, host: '127.0.0.1' });
    return this.url;
  }

  async close(): Promise<void> {
    await this.app.close();
  }

  fail(...failures: Failure[]): void {
    this.failures.push(...failures);
  }
}
