import { FailureInjection } from './failure-injection.js';

/**
 * An injected failure: an errcode in the JSON answer (40014 / 42001 also make every token issued so
 * far invalid), an HTTP status, or no answer for `hang` ms.
 */
export type Failure = { errcode: number } | { status: number } | { hang: number };

/** A local server posing as the WeCom API: gettoken, message/send, update_template_card, webhooks, response_url. */
export class WeComApiStandIn extends FailureInjection<Failure> {
  readonly sent: { touser: string; msgtype: string; body: any; at: number }[] = [];
  readonly updates: { response_code: string; template_card: any }[] = [];
  readonly webhooks: { key: string; body: any; at: number }[] = [];
  readonly responses: { id: string; body: any }[] = [];
  /** Every message/send, update_template_card and webhook call, failed or not, in arrival order. */
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
      (handle: (body: any) => unknown, tokens = true) =>
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
        return handle(req.body);
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
    app.post<{ Params: { id: string } }>('/response/:id', async (req) => {
      this.responses.push({ id: req.params.id, body: req.body });
      return { errcode: 0, errmsg: 'ok' };
    });
  }
}
