import { afterEach, describe, expect, it } from 'vitest';
import { API_TOKEN, buttonOf, createTestBot, reportEach, type TestBot } from '../helpers/bot.js';

const at = (local: string) => new Date(`${local}+08:00`);

/** The HIS outage, the first report giving a patient's name and the reporter's mobile. */
const OUTAGE = [
  ['zhang-li', 'HIS打不开了，患者王建国挂不上号，回电13812345678'],
  ['li-na', 'HIS登不上了'],
  ['liu-yang', 'HIS报错了'],
] as const;

describe('incidents in the REST API', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const get = (url: string) => t.bot.app.inject({ url, headers: { authorization: `Bearer ${API_TOKEN}` } });

  /** Four departments report the outage (HR from a direct chat); 罗欣 claims it, and resolves it half an hour later. */
  async function outage() {
    await reportEach(t, OUTAGE);
    await t.say('song-jia', 'user:song-jia', '人事科HIS也登不上了');
    const incident = await t.bot.db.incident.findFirstOrThrow();
    await t.advance(5);
    const card = (await t.transcript('engineers')).find((m) => m.card?.title.includes('🚨'))!;
    await t.click(card.id, 'luo-xin', 'incident.claim', buttonOf(card, '认领').value);
    await t.advance(30);
    await t.say('luo-xin', 'engineers', `进展 ${incident.number} 数据库连接池耗尽，患者王建国的挂号稍后补录`);
    await t.say('luo-xin', 'engineers', `解决 ${incident.number} 数据库连接池耗尽，已扩容。`);
    return incident.number;
  }

  it('lists the outage with its reports and departments, and shows it whole: reports, masked reporters, departments, timeline, durations', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    const number = await outage();

    const list = await get('/api/incidents');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({
      total: 1,
      incidents: [{ number, status: 'resolved', system: 'HIS', systemId: 'his', reports: 4, departmentCount: 4, assignee: { id: 'luo-xin', name: '罗欣' } }],
    });
    expect(list.json().incidents[0].departments.map((d: any) => d.name)).toEqual(['门诊部', '急诊科', '心内科', '人事科']);

    const res = await get(`/api/incidents/${number.toLowerCase()}`);
    expect(res.statusCode).toBe(200);
    const detail = res.json();
    expect(detail).toMatchObject({ number, status: 'resolved', reports: 4 });
    expect(detail.tickets).toHaveLength(4);
    expect(detail.tickets.every((x: any) => x.status === 'resolved')).toBe(true);
    expect(detail.reporters.map((r: any) => [r.name, r.department?.name, r.reports])).toEqual([
      ['张丽', '门诊部', 1],
      ['李娜', '急诊科', 1],
      ['刘洋', '心内科', 1],
      ['宋佳', '人事科', 1],
    ]);
    expect(detail.departments.map((d: any) => [d.name, d.reports])).toEqual([
      ['门诊部', 1],
      ['急诊科', 1],
      ['心内科', 1],
      ['人事科', 1],
    ]);
    // The patient's name and the mobile number appear nowhere, in the reports or in the timeline.
    expect(detail.tickets[0].description).toContain('患者王*');
    expect(res.body).not.toContain('13812345678');
    expect(res.body).not.toContain('王建国');
    expect(res.body).toContain('138****5678');

    // The timeline: in time order; the three reports, then the incident they opened, then their joining it; claimed before resolved.
    const steps: { at: string; source: string; ticket: string | null; type: string }[] = detail.timeline;
    const times = steps.map((s) => Date.parse(s.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const index = (source: string, type: string, ticket: string | null = null) =>
      steps.findIndex((s) => s.source === source && s.type === type && (ticket === null || s.ticket === ticket));
    const [first, , third] = detail.tickets.map((x: any) => x.number);
    expect(index('ticket', 'created', first)).toBe(0);
    expect(index('incident', 'open')).toBeGreaterThan(index('ticket', 'created', third));
    expect(index('ticket', 'joined_incident', first)).toBeGreaterThan(index('incident', 'open'));
    expect(index('incident', 'claim')).toBeGreaterThan(index('incident', 'open'));
    expect(index('incident', 'progress')).toBeGreaterThan(index('incident', 'claim'));
    expect(index('incident', 'resolve')).toBeGreaterThan(index('incident', 'progress'));
    expect(steps.find((s) => s.type === 'claim')).toMatchObject({ actor: { id: 'luo-xin', name: '罗欣' } });

    // Durations from the first report: claimed after about five minutes, resolved after about 35, open as long.
    const { durations } = detail;
    expect(durations.toFirstClaimMinutes).toBeGreaterThanOrEqual(5);
    expect(durations.toFirstClaimMinutes).toBeLessThan(6);
    expect(durations.toResolutionMinutes).toBeGreaterThanOrEqual(35);
    expect(durations.toResolutionMinutes).toBeLessThan(36);
    expect(durations.openMinutes).toBe(durations.toResolutionMinutes);
  });

  it('filters by status, system and period, and refuses bad queries and unknown numbers with the reason', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await reportEach(t);
    const number = (await t.bot.db.incident.findFirstOrThrow()).number;
    const totals = async (query: string) => {
      const res = await get(`/api/incidents?${query}`);
      expect(res.statusCode, query).toBe(200);
      return res.json().total;
    };
    expect(await totals('status=open')).toBe(1);
    expect(await totals('status=resolved')).toBe(0);
    expect(await totals('system=HIS')).toBe(1);
    expect(await totals('system=his')).toBe(1);
    expect(await totals('system=PACS')).toBe(0);
    expect(await totals('from=2026-11-23&to=2026-11-24')).toBe(1);
    expect(await totals('from=2026-11-24')).toBe(0);
    expect(await totals('to=2026-11-23T09:00:00%2B08:00')).toBe(0);
    expect(await totals('status=open&system=HIS&from=2026-11-23T08:00:00%2B08:00&limit=1')).toBe(1);
    const open = await get('/api/incidents?status=open');
    expect(open.json().incidents[0]).toMatchObject({ number, status: 'open', durations: { toFirstClaimMinutes: null, toResolutionMinutes: null } });

    const refused: [string, RegExp][] = [
      ['status=broken', /^status: /],
      ['from=2026-02-30', /^from: a date like 2026-11-23/],
      ['from=yesterday', /^from: /],
      ['from=2026-11-24&to=2026-11-23', /^to must be after from/],
      ['limit=0', /^limit: /],
      ['limit=501', /^limit: /],
      ['offset=-1', /^offset: /],
    ];
    for (const [query, reason] of refused) {
      const res = await get(`/api/incidents?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error, query).toMatch(reason);
    }

    const unknown = await get('/api/incidents/INC-20261123-99');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'incident INC-20261123-99 not found' });
    const malformed = await get('/api/incidents/IT-20261123-0001');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toEqual({ error: 'an incident number looks like INC-20261123-01' });
  });
});
