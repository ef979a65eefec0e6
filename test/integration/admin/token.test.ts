import { afterEach, describe, expect, it } from 'vitest';
import { t as text } from '../../../bot/i18n/zh.js';
import { admin } from '../../helpers/admin.js';
import { createTestBot, type TestBot } from '../../helpers/bot.js';

describe('helpdesk token', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const api = (url: string, token: string) => t.bot.app.inject({ url, headers: { authorization: `Bearer ${token}` } });

  it('creates a token shown once that the running bot takes for its scope, lists it without the token, and revokes it', async () => {
    t = await createTestBot();
    const env = { DATABASE_URL: t.url, USER: 'night-duty' };
    const made = await admin(['token', 'create', '质控科报表', '--scope', 'read'], env);
    expect(made.code).toBe(0);
    expect(made.out[0]).toContain('质控科报表');
    const token = made.out[1]!;
    expect(token).toMatch(/^hd_[A-Za-z0-9_-]{40,}$/);
    expect(made.err).toEqual([text('admin.token.create.once')]);
    // Only its hash is stored.
    expect(JSON.stringify(await t.bot.db.apiToken.findMany())).not.toContain(token);

    expect((await api('/api/tickets', token)).statusCode).toBe(200);
    expect((await api('/api/reports/fault-register.xlsx?month=2026-11', token)).statusCode).toBe(403);

    const listed = await admin(['token', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.out).toHaveLength(1);
    expect(listed.out[0]).toContain(token.slice(0, 11));
    expect(listed.out[0]).toContain('质控科报表');
    expect(listed.out[0]).toContain('night-duty');
    expect(listed.out.join('\n')).not.toContain(token);

    const revoked = await admin(['token', 'revoke', '质控科报表'], env);
    expect(revoked.code).toBe(0);
    expect((await api('/api/tickets', token)).statusCode).toBe(401);
    expect((await admin(['token', 'list'], env)).out).toEqual([text('admin.token.list.none')]);
    expect((await admin(['token', 'list', '--all'], env)).out[0]).toContain('吊销');
  });

  it('creates an alerts token for a monitoring sender: it posts alerts and reads nothing, as its help says', async () => {
    t = await createTestBot();
    const env = { DATABASE_URL: t.url };
    const help = await admin(['token', 'create', '--help'], env);
    expect(help.out.join('\n')).toContain('--scope read|export|admin|alerts');
    expect((await admin(['token', '--help'], env)).out.join('\n')).toContain('alerts 只能推送监控告警');
    const made = await admin(['token', 'create', 'Zabbix 告警', '--scope', 'alerts'], env);
    expect(made.code).toBe(0);
    expect(made.out[0]).toContain(text('admin.token.scope.alerts'));
    const token = made.out[1]!;
    const posted = await t.bot.app.inject({
      method: 'POST',
      url: '/api/alerts/generic',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: {
        fingerprint: 'his-db',
        status: 'firing',
        system: 'HIS',
        severity: 'critical',
        summary: 'HIS 数据库响应慢',
        startsAt: '2026-03-10T09:15:02+08:00',
      },
    });
    expect(posted.statusCode, posted.body).toBe(200);
    expect((await api('/api/tickets', token)).statusCode).toBe(403);
    expect((await admin(['token', 'list'], env)).out[0]).toContain(text('admin.token.scope.alerts'));
  });

  it('refuses a wrong scope, a name in use and an unknown token in Chinese, changing nothing', async () => {
    t = await createTestBot();
    const env = { DATABASE_URL: t.url };
    const wrongScope = await admin(['token', 'create', '监控', '--scope', 'write'], env);
    expect(wrongScope.code).toBe(1);
    expect(wrongScope.err.join('\n')).toContain(text('admin.token.error.bad_scope'));
    const noScope = await admin(['token', 'create', '监控'], env);
    expect(noScope.code).toBe(1);
    expect(noScope.err.join('\n')).toContain(text('admin.token.create.noScope'));
    expect(await t.bot.db.apiToken.count()).toBe(0);

    expect((await admin(['token', 'create', '监控', '--scope', 'read'], env)).code).toBe(0);
    const again = await admin(['token', 'create', '监控', '--scope', 'admin'], env);
    expect(again.code).toBe(1);
    expect(again.err.join('\n')).toContain(text('admin.token.error.name_taken'));
    expect(await t.bot.db.apiToken.count()).toBe(1);

    const unknown = await admin(['token', 'revoke', 'hd_nothing'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.err.join('\n')).toContain(text('admin.token.error.not_found'));
    expect(await t.bot.db.apiToken.count({ where: { revokedAt: null } })).toBe(1);
  });
});
