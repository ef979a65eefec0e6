import Fastify from 'fastify';

/**
 * A lean stand-in for the Feishu Open API: the calls the outbox makes, answered at once, so the
 * bot really sends over HTTP. It keeps counts, not messages, so it stays cheap under load.
 */
export class BenchOpenApi {
  readonly app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  readonly botOpenId = 'ou_bench_bot';
  url = '';
  sends = 0;
  replies = 0;
  patches = 0;
  private seq = 0;

  constructor() {
    const ok = (data: object = {}) => ({ code: 0, msg: 'success', data });
    this.app.post('/open-apis/auth/v3/tenant_access_token/internal', async () => ({ code: 0, msg: 'ok', tenant_access_token: 't-bench', expire: 7200 }));
    this.app.get('/open-apis/bot/v3/info', async () => ({ code: 0, msg: 'ok', bot: { open_id: this.botOpenId, app_name: '信息科助手', activate_status: 2 } }));
    this.app.post('/open-apis/im/v1/messages', async () => {
      this.sends++;
      return ok({ message_id: `om_sent_${++this.seq}` });
    });
    this.app.post('/open-apis/im/v1/messages/:id/reply', async () => {
      this.replies++;
      return ok({ message_id: `om_sent_${++this.seq}` });
    });
    this.app.patch('/open-apis/im/v1/messages/:id', async () => {
      this.patches++;
      return ok();
    });
  }

  get calls(): number {
    return this.sends + this.replies + this.patches;
  }

  async start(): Promise<string> {
    this.url = await this.app.listen({ port: 0, host: '127.0.0.1' });
    return this.url;
  }

  close(): Promise<void> {
    return this.app.close();
  }
}
