import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/config.js';
import { loggerOptions, maskUrl, REDACTED, redactSecrets } from '../../../bot/logging.js';

const SECRETS = {
  FEISHU_APP_ID: 'cli_0123456789abcdef',
  FEISHU_APP_SECRET: 'feishu-app-secret-value',
  FEISHU_ENCRYPT_KEY: 'feishu-encrypt-key-value',
  FEISHU_VERIFICATION_TOKEN: 'feishu-verification-value',
  WECOM_CORP_ID: 'ww-corp',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'wecom-app-secret-value',
  WECOM_TOKEN: 'wecom-callback-token-value',
  WECOM_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  WECOM_BOT_ID: 'robot',
  WECOM_BOT_SECRET: 'wecom-robot-secret-value',
  API_TOKEN: 'api-token-value-0123456789',
  METRICS_TOKEN: 'metrics-token-value-0123456789',
  DATABASE_URL: 'postgresql://helpdesk:db-password-value@db.hospital.local:5432/helpdesk?sslmode=require',
};

/** A Fastify app with the bot's logger options, writing its lines here. */
function loggedApp() {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const app = Fastify({ logger: { ...loggerOptions({ LOG_LEVEL: 'info' }), stream } });
  return { app, lines, text: () => JSON.stringify(lines) };
}

describe('the logger', () => {
  it('shows [Redacted] for every secret of a logged configuration, and the password of DATABASE_URL', () => {
    const { app, lines, text } = loggedApp();
    app.log.info({ config: loadConfig(SECRETS) }, 'configuration');
    for (const [name, value] of Object.entries(SECRETS)) {
      if (name.endsWith('_ID')) continue;
      if (name === 'DATABASE_URL') continue;
      expect(text(), name).not.toContain(value);
      expect(lines[0]!.config[name], name).toBe(REDACTED);
    }
    expect(text()).not.toContain('db-password-value');
    expect(lines[0]!.config.DATABASE_URL).toBe(`postgresql://helpdesk:${REDACTED}@db.hospital.local:5432/helpdesk?sslmode=require`);
    // What is no secret stays readable.
    expect(lines[0]!.config.FEISHU_APP_ID).toBe('cli_0123456789abcdef');
    expect(lines[0]!.config.PORT).toBe(3000);
  });

  it('shows [Redacted] for a request’s credentials and a callback body’s encrypted field', () => {
    const { app, lines, text } = loggedApp();
    const headers = {
      authorization: 'Bearer api-token-value-0123456789',
      cookie: 'session=cookie-value',
      'x-api-token': 'header-token-value',
      host: 'helpdesk',
    };
    app.log.warn(
      { req: { headers }, headers, body: { encrypt: 'encrypted-event-value', type: 'event_callback' }, xml: { Encrypt: 'wecom-encrypted-value' } },
      'request',
    );
    for (const value of ['api-token-value', 'cookie-value', 'header-token-value', 'encrypted-event-value', 'wecom-encrypted-value'])
      expect(text()).not.toContain(value);
    expect(lines[0]!.headers).toEqual({ authorization: REDACTED, cookie: REDACTED, 'x-api-token': REDACTED, host: 'helpdesk' });
    expect(lines[0]!.body).toEqual({ encrypt: REDACTED, type: 'event_callback' });
  });

  it('shows [Redacted] inside an error’s request, a JSON body, a URL and a webhook’s chat id', () => {
    const { app, lines, text } = loggedApp();
    const err = Object.assign(new TypeError('request failed'), {
      config: {
        url: 'https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww-corp&corpsecret=wecom-app-secret-value',
        headers: { Authorization: 'Bearer t-tenant-token-value' },
        data: '{"app_id":"cli_a","app_secret":"feishu-app-secret-value"}',
      },
    });
    app.log.error({ err, chatId: 'webhook:webhook-key-value', target: { chatId: 'oc_intake' } }, 'send failed');
    for (const value of ['wecom-app-secret-value', 't-tenant-token-value', 'feishu-app-secret-value', 'webhook-key-value']) expect(text()).not.toContain(value);
    expect(lines[0]!.err).toMatchObject({ type: 'TypeError', message: 'request failed', config: { data: `{"app_id":"cli_a","app_secret":"${REDACTED}"}` } });
    expect(lines[0]!.chatId).toBe(`webhook:${REDACTED}`);
    expect(lines[0]!.target.chatId).toBe('oc_intake');
    // The error logged is left as it was.
    expect(err.config.headers.Authorization).toBe('Bearer t-tenant-token-value');
  });

  it('leaves an ordinary line as it is', () => {
    const fields = { eventId: 'om_1', platform: 'feishu', kind: 'message', outcome: 'handled', ms: 3, nested: { list: [1, 'two'] } };
    expect(redactSecrets(fields)).toBe(fields);
    expect(maskUrl('https://open.feishu.cn/open-apis/im/v1/messages?receive_id_type=chat_id')).toBe(
      'https://open.feishu.cn/open-apis/im/v1/messages?receive_id_type=chat_id',
    );
  });
});
