import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { helpSections } from '../../commands/help.js';
import { t as text } from '../../bot/i18n/zh.js';
import { Directory } from '../../bot/org/directory.js';
import { parseOrg } from '../../bot/org/load.js';
import { admin } from '../helpers/admin.js';
import { API_TOKEN, createTestBot, type TestBot } from '../helpers/bot.js';
import { sampleDirectory, sampleOrgFile } from '../helpers/db.js';

const at = (local: string) => new Date(`${local}+08:00`);
const LINK = /\/dashboard\?t=([\w.-]+)/;
const directory = sampleDirectory();

describe('the leaders’ dashboard link (看板)', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const lastText = async (chat: string) => (await t.transcript(chat)).filter((m) => m.from === 'bot' && m.text).at(-1)?.text;
  /** The token of the link `who` is sent when they ask in their direct chat. */
  async function linkOf(who: string): Promise<string> {
    await t.say(who, `user:${who}`, '看板');
    const said = await lastText(`user:${who}`);
    const token = LINK.exec(said ?? '')?.[1];
    if (!token) throw new Error(`no dashboard link in ${JSON.stringify(said)}`);
    return token;
  }
  const get = (url: string, headers: Record<string, string> = {}) => t.bot.app.inject({ method: 'GET', url, headers });
  /** Opens the link as a browser would: the token for a cookie, then the page. */
  async function visit(token: string) {
    const first = await get(`/dashboard?t=${token}&from=2026-11-01&to=2026-11-30`);
    const cookie = String(first.headers['set-cookie'] ?? '').split(';')[0]!;
    return { first, cookie, page: () => get('/dashboard?from=2026-11-01&to=2026-11-30', { cookie }) };
  }

  it('gives a leader a personal link that signs them in for 12 hours, and refuses everyone else', async () => {
    t = await createTestBot({}, undefined, at('2026-11-20T10:00:00'));
    const token = await linkOf('qin-guo');
    expect(await lastText('user:qin-guo')).toBe(text('dashboard.link', { url: `/dashboard?t=${token}`, until: '11-20 22:00' }));
    // The IT director and the vice president for IT get theirs too.
    await linkOf('huang-jun');
    await linkOf('jiang-hua');

    // Asked in a group, the link goes to the person's own chat, never to the group.
    await t.say('xia-lan', 'leadership', '看板');
    expect(await lastText('leadership')).toBe(text('dashboard.sentDirect'));
    expect(await lastText('user:xia-lan')).toMatch(LINK);
    expect((await t.transcript('leadership')).some((m) => LINK.test(m.text ?? ''))).toBe(false);

    // A clinician and an engineer are told who may.
    const refusal = text('error.not_allowed', { who: text('dashboard.readers'), what: text('dashboard.what') });
    for (const [who, chat] of [
      ['zhang-li', 'intake'],
      ['wang-wei', 'user:wang-wei'],
    ] as const) {
      await t.say(who, chat, '看板');
      expect(await lastText(chat)).toBe(refusal);
      expect(await lastText(chat)).not.toMatch(LINK);
    }

    // 看板 takes nothing after it: a ward's display board reported with a space or without one is a report, not a command.
    await t.say('liu-yang', 'intake', '看板 黑屏了，心内科护士站，电话8302');
    await t.say('zhou-min', 'intake', '看板黑屏了，检验科大厅');
    const boards = await t.bot.db.ticket.findMany({ where: { reporterId: { in: ['liu-yang', 'zhou-min'] } }, orderBy: { id: 'asc' } });
    expect(boards.map((x) => [x.reporterId, x.description])).toEqual([
      ['liu-yang', '看板 黑屏了，心内科护士站，电话8302'],
      ['zhou-min', '看板黑屏了，检验科大厅'],
    ]);
    const intakeSaid = (await t.transcript('intake')).filter((m) => m.from === 'bot').map((m) => m.text ?? m.card?.title ?? '');
    expect(intakeSaid.join('\n')).not.toContain(text('dashboard.usage'));
    expect(intakeSaid.join('\n')).toContain(boards[0]!.number);
    // Said with a question mark, 看板 is still the command.
    await t.say('qin-guo', 'user:qin-guo', '看板？');
    expect(await lastText('user:qin-guo')).toMatch(LINK);
    // The help card shows 看板 to those who may use it.
    expect(helpSections(directory, directory.person('qin-guo')!).join()).toContain('`看板`');
    expect(helpSections(directory, directory.person('zhang-li')!).join()).not.toContain('看板');

    const { first, page } = await visit(token);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/dashboard?from=2026-11-01&to=2026-11-30');
    expect(first.headers['set-cookie']).toMatch(/HttpOnly; SameSite=Lax/);
    const maxAge = Number(/Max-Age=(\d+)/.exec(String(first.headers['set-cookie']))![1]);
    expect(maxAge).toBeGreaterThan(12 * 3600 - 60);
    expect(maxAge).toBeLessThanOrEqual(12 * 3600);
    const shown = await page();
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('信息科管理看板');
    expect(shown.body).toContain('2026-11-01 至 2026-11-30');
    expect(shown.headers['cache-control']).toBe('no-store');

    // The page links the period's registers, downloaded with the same sign-in.
    expect(shown.body).toContain('/dashboard/reports/fault-register.xlsx?from=2026-11-01&amp;to=2026-12-01');
    const cookie = { cookie: String(first.headers['set-cookie']).split(';')[0]! };
    const register = await get('/dashboard/reports/fault-register.xlsx?from=2026-11-01&to=2026-12-01', cookie);
    expect(register.statusCode).toBe(200);
    expect(register.headers['content-type']).toContain('spreadsheetml');
    expect((await get('/dashboard/reports/fault-register.xlsx?from=2026-11-01&to=2026-12-01')).statusCode).toBe(401);

    // 11 h 59 min later the cookie still signs in; at 12 h it does not, and says to ask again.
    t.clock.advance(12 * 60 - 1);
    expect((await page()).statusCode).toBe(200);
    t.clock.advance(1);
    const expired = await page();
    expect(expired.statusCode).toBe(401);
    expect(expired.body).toContain(text('dashboard.denied.expired'));
    expect((await get(`/dashboard?t=${token}`)).statusCode).toBe(401);
  });

  it('answers 401 in Chinese without a link, or with a tampered one, and serves the charts’ script from this server', async () => {
    t = await createTestBot({}, undefined, at('2026-11-20T10:00:00'));
    const none = await get('/dashboard');
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toMatch(/^text\/html/);
    expect(none.body).toContain(text('dashboard.denied.none'));
    expect(none.body).toContain('「看板」');

    const token = await linkOf('qin-guo');
    const parts = token.split('.');
    const signature = parts[4]!;
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const forgeries = [
      [...parts.slice(0, 4), flipped].join('.'),
      // Someone else's id under qin-guo's signature, or a later expiry.
      [Buffer.from('huang-jun').toString('base64url'), ...parts.slice(1)].join('.'),
      [parts[0], Number(parts[1]) + 3600, ...parts.slice(2)].join('.'),
      'not-a-token',
    ];
    for (const forged of forgeries) {
      const res = await get(`/dashboard?t=${forged}`);
      expect(res.statusCode, forged).toBe(401);
      expect(res.body).toContain(text('dashboard.denied.invalid'));
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect((await get('/dashboard/data', { cookie: `hd_dashboard=${forgeries[0]}` })).json()).toMatchObject({ reason: 'forged' });

    const script = await get('/dashboard/assets/echarts.min.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.body.length).toBeGreaterThan(500_000);
    expect((await get('/dashboard/assets/..%2F..%2Fconfig.ts')).statusCode).toBe(404);
  });

  it('ends links revoked with the admin tool, for one person or for all, and a link of someone no longer a leader is 403', async () => {
    t = await createTestBot({}, undefined, at('2026-11-20T10:00:00'));
    const qin = await visit(await linkOf('qin-guo'));
    const xia = await visit(await linkOf('xia-lan'));
    expect((await qin.page()).statusCode).toBe(200);

    expect(await admin(['dashboard', 'revoke', 'nobody-here'], { DATABASE_URL: t.url })).toMatchObject({ code: 1 });
    expect(await admin(['dashboard', 'revoke'], { DATABASE_URL: t.url })).toMatchObject({ code: 2 });
    const one = await admin(['dashboard', 'revoke', '秦国'], { DATABASE_URL: t.url });
    expect(one).toMatchObject({ code: 0, out: [text('admin.dashboard.revoke.person', { person: '秦国（qin-guo）', generation: 1 })] });
    const revoked = await qin.page();
    expect(revoked.statusCode).toBe(401);
    expect(revoked.body).toContain(text('dashboard.denied.revoked'));
    // Only his: 夏岚's link still works, and a new link of his works again.
    expect((await xia.page()).statusCode).toBe(200);
    expect((await (await visit(await linkOf('qin-guo'))).page()).statusCode).toBe(200);

    expect(await admin(['dashboard', 'revoke', '--all'], { DATABASE_URL: t.url })).toMatchObject({ code: 0 });
    expect((await xia.page()).statusCode).toBe(401);
    const audit = await t.bot.db.auditLog.findMany({ where: { action: 'dashboard.revoke' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.entityId)).toEqual(['qin-guo', '*']);

    // 夏岚 leaves the leadership group: her fresh link no longer opens the dashboard.
    const fresh = await linkOf('xia-lan');
    const org = readFileSync(sampleOrgFile, 'utf8').replace(
      '{ id: xia-lan, name: 夏岚, department: administration, title: 副院长, roles: [leadership] }',
      '{ id: xia-lan, name: 夏岚, department: administration, title: 副院长, roles: [reporter] }',
    );
    await t.bot.reloadOrganisation(new Directory(parseOrg(org)));
    const forbidden = await get(`/dashboard?t=${fresh}`);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.body).toContain(text('dashboard.denied.forbidden'));
  });

  it('lets a program with a read token read the figures, which are those of /api/stats', async () => {
    t = await createTestBot({}, undefined, at('2026-11-20T10:00:00'));
    await t.say('zhang-li', 'intake', '门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话8123');
    await t.say('li-na', 'intake', '急诊分诊台电脑蓝屏了，电话8201');
    const bearer = { authorization: `Bearer ${API_TOKEN}` };
    const data = await get('/dashboard/data?from=2026-11-01&to=2026-11-30', bearer);
    expect(data.statusCode).toBe(200);
    const stats = await get('/api/stats?from=2026-11-01&to=2026-12-01', bearer);
    expect(data.json().stats).toEqual(stats.json());
    expect(data.json().stats.opened).toBe(2);
    expect(data.json().statsQuery).toEqual({ from: '2026-11-01', to: '2026-12-01' });

    // Narrowed to one department, still the same as /api/stats asked the same.
    const er = await get('/dashboard/data?from=2026-11-01&to=2026-11-30&department=emergency', bearer);
    const erStats = await get('/api/stats?from=2026-11-01&to=2026-12-01&department=emergency', bearer);
    expect(er.json().stats).toEqual(erStats.json());
    expect(er.json().stats.opened).toBe(1);

    expect((await get('/dashboard/data', { authorization: 'Bearer wrong-token-wrong-token' })).statusCode).toBe(401);
    const bad = await get('/dashboard/data?from=2026-11-30&to=2026-11-01', bearer);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe(text('dashboard.bad.order'));
    expect((await get('/dashboard/data?department=nowhere', bearer)).json().error).toBe(text('dashboard.bad.department'));
  });
});
