import { afterEach, describe, expect, it } from 'vitest';
import { t as text } from '../../bot/i18n/zh.js';
import { createToken } from '../../bot/tokens/store.js';
import { monitoredBot } from '../helpers/alert-incidents.js';
import { API_TOKEN, createTestBot, reportEach, type TestBot } from '../helpers/bot.js';

const at = (local: string) => new Date(`${local}+08:00`);
const LINK = /\/dashboard\?t=([\w.-]+)/;

/** The HIS outage, the first report giving a patient's name and the reporter's mobile. */
const OUTAGE = [
  ['zhang-li', 'HIS打不开了，患者王建国挂不上号，回电13812345678'],
  ['li-na', 'HIS登不上了'],
  ['liu-yang', 'HIS报错了'],
] as const;

describe('the dashboard’s incidents and audit trail', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.bot.app.inject({ method: 'GET', url, headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  /** The cookie `who` is signed in with after opening the link `看板` sent them. */
  async function cookieOf(who: string): Promise<{ cookie: string }> {
    await t.say(who, `user:${who}`, '看板');
    const said = (await t.transcript(`user:${who}`)).filter((m) => m.from === 'bot').at(-1)?.text ?? '';
    const first = await get(`/dashboard?t=${LINK.exec(said)![1]}`);
    return { cookie: String(first.headers['set-cookie']).split(';')[0]! };
  }
  const reads = () => t.bot.db.auditLog.findMany({ where: { action: 'audit.read' }, orderBy: { id: 'asc' } });

  it('shows the audit trail to the IT director and admin tokens only: 401 without a link, 403 for leaders and read tokens, nothing recorded', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await reportEach(t, OUTAGE);
    for (const url of ['/dashboard/audit', '/dashboard/audit/data']) {
      const none = await get(url);
      expect(none.statusCode, url).toBe(401);
      expect(none.body).toContain(text('dashboard.denied.none'));
    }
    expect((await get('/dashboard/audit/data')).json()).toMatchObject({ reason: 'none' });

    // The president and the vice president for IT read the dashboard, not the trail: no panel, 403 on its page and data.
    for (const leader of ['qin-guo', 'jiang-hua']) {
      const cookie = await cookieOf(leader);
      const dashboard = await get('/dashboard', cookie);
      expect(dashboard.statusCode).toBe(200);
      expect(dashboard.body).not.toContain('data-testid="audit-entry"');
      expect(dashboard.body).not.toContain('/dashboard/audit');
      const page = await get('/dashboard/audit', cookie);
      expect(page.statusCode).toBe(403);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain(text('dashboard.audit.denied'));
      const data = await get('/dashboard/audit/data?entity=ticket', cookie);
      expect(data.statusCode).toBe(403);
      expect(data.json()).toEqual({ error: text('dashboard.audit.denied'), reason: 'not_auditor' });
      // Still signed in to the dashboard: the refusal keeps the cookie.
      expect(data.headers['set-cookie']).toBeUndefined();
    }
    for (const scope of ['read', 'export']) {
      const token = await createToken(t.bot.db, { name: `${scope} dashboard`, scope });
      const refused = await get('/dashboard/audit/data', bearer(token.token));
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error).toMatch(/it needs admin$/);
      expect((await get('/dashboard/audit', bearer(token.token))).statusCode).toBe(403);
      // The same token reads the dashboard's figures, without the audit panel.
      const page = await get('/dashboard', bearer(token.token));
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('data-testid="audit-entry"');
    }
    expect((await get('/dashboard/audit/data', bearer('not-a-token-at-all'))).statusCode).toBe(401);
    expect(await reads()).toEqual([]);

    const director = await cookieOf('huang-jun');
    expect((await get('/dashboard?from=2026-11-01&to=2026-11-30', director)).body).toContain('href="/dashboard/audit?from=2026-11-01&amp;to=2026-11-30"');
    expect((await get('/dashboard/audit/data', director)).statusCode).toBe(200);
    const admin = await createToken(t.bot.db, { name: 'audit office', scope: 'admin' });
    expect((await get('/dashboard/audit/data', bearer(admin.token))).statusCode).toBe(200);
    expect((await get('/dashboard', bearer(admin.token))).body).toContain('data-testid="audit-entry"');
    expect((await reads()).map((r) => r.actorId)).toEqual(['huang-jun', 'audit office']);
  });

  it('gives the IT director the rows of /api/audit, filtered by entity, actor (by name too) and days, paged, each read recorded', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await reportEach(t, OUTAGE);
    const director = await cookieOf('huang-jun');
    const rows = async (query: string) => {
      const res = await get(`/dashboard/audit/data?${query}`, director);
      expect(res.statusCode, query).toBe(200);
      return res.json() as {
        rows: { id: number; action: string; actor: { id: string } | null; entity: { type: string; id: string } }[];
        nextCursor: string | null;
      };
    };
    const api = async (query: string) => (await get(`/api/audit?${query}`, bearer(API_TOKEN))).json();

    const tickets = await rows('entity=ticket&limit=200');
    expect(tickets.rows.length).toBeGreaterThan(3);
    expect(tickets).toEqual(await api('entity=ticket&limit=200'));
    const first = (await t.bot.db.ticket.findFirstOrThrow({ orderBy: { id: 'asc' } })).number;
    const one = await rows(`entity=ticket&id=${first}`);
    expect(one.rows.every((r) => r.entity.id === first)).toBe(true);
    expect((await rows(`id=${first}`)).rows).toEqual(one.rows);
    // 张丽 by her name or her id.
    const byName = await rows('actor=张丽');
    expect(byName.rows.length).toBeGreaterThan(0);
    expect(byName.rows.every((r) => r.actor?.id === 'zhang-li')).toBe(true);
    expect((await rows('actor=zhang-li')).rows).toEqual(byName.rows);
    // Days as on the dashboard, both included; a day after has none.
    expect((await rows('entity=ticket&from=2026-11-23&to=2026-11-23&limit=200')).rows).toEqual(tickets.rows);
    expect((await rows('from=2026-11-24')).rows).toEqual([]);

    // A page at a time by the cursor, every row once.
    const paged: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof rows>> = await rows(`entity=ticket&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(tickets.rows.map((r) => r.id));

    // Masked as the API masks: the patient's name and the mobile number are nowhere on the page.
    const html = await get('/dashboard/audit?entity=ticket', director);
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('data-table="audit"');
    expect(html.body).not.toContain('13812345678');
    expect(html.body).not.toContain('王建国');
    // …and says that this reading is recorded too, and by whom.
    expect(html.body).toContain(`${text('dashboard.audit.footer', { reader: '黄军', at: '@' }).split('@')[0]}2026-11-23 09:`);

    // The director's reads under his id; the API's one read above under the token's name.
    const all = await reads();
    expect(all.filter((r) => r.actorId !== 'huang-jun').map((r) => r.actorId)).toEqual(['API_TOKEN']);
    const recorded = all.filter((r) => r.actorId === 'huang-jun');
    expect(recorded.every((r) => r.entityType === 'audit')).toBe(true);
    expect(recorded[0]).toMatchObject({ entityId: 'ticket', after: { filters: { entity: 'ticket' }, rows: tickets.rows.length } });
    expect(recorded[1]).toMatchObject({ entityId: `ticket:${first}` });
    expect(recorded[2]).toMatchObject({ entityId: `*:${first}` });
    expect(recorded[3]).toMatchObject({ entityId: '*', after: { filters: { actor: 'zhang-li' } } });

    // Bad queries are told in Chinese and change nothing.
    const before = all.length;
    const bad: [string, string][] = [
      ['entity=Ticket', 'dashboard.audit.bad.entity'],
      ['from=2026-13-01', 'dashboard.audit.bad.date'],
      ['from=2026-11-24&to=2026-11-23', 'dashboard.audit.bad.order'],
      ['cursor=abc', 'dashboard.audit.bad.cursor'],
      ['limit=0', 'dashboard.audit.bad.limit'],
      [`actor=${'长'.repeat(101)}`, 'dashboard.audit.bad.text'],
    ];
    for (const [query, key] of bad) {
      const res = await get(`/dashboard/audit/data?${encodeURI(query)}`, director);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error, query).toBe(text(key as Parameters<typeof text>[0]));
      const page = await get(`/dashboard/audit?${encodeURI(query)}`, director);
      expect(page.statusCode, query).toBe(400);
      expect(page.body).toContain(text(key as Parameters<typeof text>[0]));
    }
    expect(await reads()).toHaveLength(before);
  });

  it('gives the period’s incidents with the detail view’s departments, durations and a timeline in words', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await reportEach(t, OUTAGE);
    const number = (await t.bot.db.incident.findFirstOrThrow()).number;
    const data = (await get('/dashboard/data?from=2026-11-01&to=2026-11-30', bearer(API_TOKEN))).json();
    const detail = (await get(`/api/incidents/${number}`, bearer(API_TOKEN))).json();
    expect(data.incidents).toHaveLength(1);
    const [row] = data.incidents;
    expect(row).toMatchObject({
      number,
      origin: 'people',
      originText: '人工先报告',
      status: 'open',
      reports: 3,
      departments: ['门诊部', '急诊科', '心内科'],
      resolutionMinutes: null,
      ongoing: true,
      alerts: [],
    });
    expect(row.durationMinutes).toBe(detail.durations.openMinutes);
    expect(row.timeline[0]).toMatchObject({ type: 'ticket.created', what: '报修', actor: '张丽', tickets: [detail.tickets[0].number] });
    const opened = row.timeline.find((s: { type: string }) => s.type === 'incident.open');
    expect(opened).toMatchObject({ what: '认定为重大故障', actor: null, tickets: [] });
    const joined = row.timeline.filter((s: { type: string }) => s.type === 'ticket.joined_incident');
    expect(joined).toHaveLength(1);
    expect(joined[0].tickets).toEqual(detail.tickets.map((x: { number: string }) => x.number));
    expect(JSON.stringify(data)).not.toContain('13812345678');
    expect(JSON.stringify(data)).not.toContain('王建国');
  });

  it('shows on an incident’s line that monitoring saw it first, and opens to its alerts firing and recovered, masked', async () => {
    const m = await monitoredBot();
    t = m;
    await m.alert({ fingerprint: 'his-db', startsAt: -10, summary: 'HIS 数据库响应缓慢，值班电话13812345678' });
    await m.alert({ fingerprint: 'his-web', startsAt: -5, severity: 'warning', summary: 'HIS 门诊挂号页面超时' });
    await m.advance(6);
    await m.alert({ fingerprint: 'his-web', status: 'resolved', startsAt: -5, endsAt: 6, severity: 'warning', summary: 'HIS 门诊挂号页面超时' });
    await m.say('zhang-li', 'intake', 'HIS打不开了');
    const number = (await t.bot.db.incident.findFirstOrThrow()).number;

    const data = (await get('/dashboard/data?from=2026-11-01&to=2026-11-30', bearer(API_TOKEN))).json();
    const [row] = data.incidents;
    expect(row).toMatchObject({ number, origin: 'monitoring', originText: '监控先发现', reports: 1 });
    expect(
      row.alerts.map((a: { statusText: string; stateText: string; since: string; until: string | null }) => [a.statusText, a.stateText, a.since, a.until]),
    ).toEqual([
      ['告警中', '已通知值班', '11-24 09:50', null],
      ['已恢复', '已通知值班', '11-24 09:55', '11-24 10:06'],
    ]);
    const steps = row.timeline.map((s: { type: string; what: string }) => [s.type, s.what]);
    expect(steps).toContainEqual(['alert.opened', '监控告警']);
    expect(steps).toContainEqual(['alert.resolved', '告警恢复']);
    expect(steps).toContainEqual(['incident.alert_joined', '监控告警并入']);

    // The page: the line says who saw it first; opened, it lists the alerts in words, the mobile masked.
    const page = await get('/dashboard?from=2026-11-01&to=2026-11-30', bearer(API_TOKEN));
    expect(page.statusCode).toBe(200);
    const line = page.body.slice(page.body.indexOf(`data-incident="${number}"`));
    expect(line).toContain('data-origin="monitoring">监控先发现</span>');
    expect(line).toContain('<b>告警中</b> 11-24 09:50 起 · generic · P1 · HIS 数据库响应缓慢，值班电话138****5678 <span class="who">已通知值班</span>');
    expect(line).toContain('<b>已恢复</b> 11-24 09:55–10:06 · generic · P3 · HIS 门诊挂号页面超时');
    expect(page.body).not.toContain('13812345678');
    expect(JSON.stringify(data)).not.toContain('13812345678');
  });
});
