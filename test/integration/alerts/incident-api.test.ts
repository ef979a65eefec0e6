import { afterEach, describe, expect, it } from 'vitest';
import { after, monitoredBot, START, type MonitoredBot } from '../../helpers/alert-incidents.js';
import { API_TOKEN } from '../../helpers/bot.js';

describe('an incident’s monitoring alerts in GET /api/incidents/:number', () => {
  let t: MonitoredBot;
  afterEach(async () => t?.close());

  const get = (url: string) => t.bot.app.inject({ url, headers: { authorization: `Bearer ${API_TOKEN}` } });

  it('lists each alert by its start with its status, state, flaps and masked summary, and tells their firing and resolving in the timeline', async () => {
    t = await monitoredBot();
    // The database alert opens the incident; the web check's alert joins it five minutes later (its start).
    await t.alert({ fingerprint: 'his-db', startsAt: -10, summary: 'HIS 数据库响应缓慢，值班电话13812345678' });
    await t.alert({ fingerprint: 'his-web', startsAt: -5, severity: 'warning', summary: 'HIS 门诊挂号页面超时' });
    // The database alert resolves, fires again within the flap window, and the web check recovers.
    await t.advance(2);
    await t.alert({ fingerprint: 'his-db', status: 'resolved', startsAt: -10, endsAt: 2, summary: 'HIS 数据库响应缓慢，值班电话13812345678' });
    await t.advance(3);
    await t.alert({ fingerprint: 'his-db', startsAt: 5, summary: 'HIS 数据库响应缓慢，值班电话13812345678' });
    await t.advance(1);
    await t.alert({ fingerprint: 'his-web', status: 'resolved', startsAt: -5, endsAt: 6, severity: 'warning', summary: 'HIS 门诊挂号页面超时' });

    const incident = await t.bot.db.incident.findFirstOrThrow();
    const res = await get(`/api/incidents/${incident.number}`);
    expect(res.statusCode).toBe(200);
    const detail = res.json();
    // The fields the detail had stay as they were.
    expect(detail).toMatchObject({ number: incident.number, origin: 'monitoring', reports: 0, alerts: { count: 2, firing: 1 }, tickets: [] });
    expect(detail.alertList).toEqual([
      {
        id: expect.any(Number),
        source: 'generic',
        fingerprint: 'his-db',
        status: 'firing',
        state: 'paged',
        severity: 'critical',
        priority: 'P1',
        summary: 'HIS 数据库响应缓慢，值班电话138****5678',
        link: null,
        startsAt: after(-10),
        firedAt: after(5),
        endsAt: null,
        flaps: 1,
      },
      expect.objectContaining({
        fingerprint: 'his-web',
        status: 'resolved',
        state: 'paged',
        severity: 'warning',
        startsAt: after(-5),
        firedAt: after(-5),
        endsAt: after(6),
        flaps: 0,
      }),
    ]);
    expect(res.body).not.toContain('13812345678');

    // The alerts' steps in the order the bot heard of them: the first alert comes before the incident it opened.
    const steps: { source: string; type: string; data: { fingerprint: string } }[] = detail.timeline;
    const alertSteps = steps.filter((s) => s.source === 'alert').map((s) => [s.type, s.data.fingerprint]);
    expect(alertSteps).toEqual([
      ['opened', 'his-db'],
      ['opened', 'his-web'],
      ['resolved', 'his-db'],
      ['refired', 'his-db'],
      ['resolved', 'his-web'],
    ]);
    const index = (source: string, type: string) => steps.findIndex((s) => s.source === source && s.type === type);
    expect(index('alert', 'opened')).toBeLessThan(index('incident', 'open'));
    const times = steps.map((s: any) => Date.parse(s.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThanOrEqual(START.getTime());
  });
});
