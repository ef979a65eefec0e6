import { afterEach, describe, expect, it } from 'vitest';
import { t as text } from '../../../bot/i18n/zh.js';
import { monitoredBot, type MonitoredBot } from '../../helpers/alert-incidents.js';
import { API_TOKEN, reportEach } from '../../helpers/bot.js';

/** Three departments report LIS down: enough for people to open an incident. */
const LIS_OUTAGE = [
  ['zhou-min', 'LIS打不开了'],
  ['zheng-hao', '检验系统登不上，看不到检验报告'],
  ['he-ping', 'LIS报错了'],
] as const;

describe('who saw an outage first, counted', () => {
  let t: MonitoredBot;
  afterEach(async () => t?.close());

  /** HIS: monitoring fired ten minutes before the first report. LIS: people reported it, an alert came later. */
  async function twoOutages() {
    t = await monitoredBot();
    await t.alert({ fingerprint: 'his-db', startsAt: -10 });
    await t.say('zhang-li', 'intake', 'HIS打不开了');
    await reportEach(t, LIS_OUTAGE);
    await t.advance(1);
    await t.alert({ fingerprint: 'lis-if', system: 'LIS', startsAt: 1, severity: 'warning', summary: 'LIS interface errors' });
    const incidents = await t.bot.db.incident.findMany({ orderBy: { id: 'asc' } });
    expect(incidents.map((i) => [i.system, i.origin, i.alertCount, i.reportCount])).toEqual([
      ['HIS', 'monitoring', 1, 1],
      ['LIS', 'people', 1, 3],
    ]);
    return incidents;
  }

  it('counts incidents by origin in /metrics, and how far ahead monitoring was of the first report', async () => {
    await twoOutages();
    const body = (await t.bot.metrics.text()).body;
    expect(body).toContain('helpdesk_incidents_total{origin="monitoring"} 1');
    expect(body).toContain('helpdesk_incidents_total{origin="people"} 1');
    // Ten minutes (and the few milliseconds the test took): between the 600 s and 900 s buckets.
    expect(body).toContain('helpdesk_incident_alert_lead_seconds_bucket{le="600"} 0');
    expect(body).toContain('helpdesk_incident_alert_lead_seconds_bucket{le="900"} 1');
    expect(body).toContain('helpdesk_incident_alert_lead_seconds_count 1');

    // Read again at each scrape, from the database: new outages monitoring saw first count at once.
    await t.alert({ fingerprint: 'net-core', system: 'network', startsAt: 0, summary: 'core switch down' });
    await t.alert({ fingerprint: 'pacs', system: 'PACS', startsAt: 0, summary: 'PACS storage offline' });
    expect((await t.bot.metrics.text()).body).toContain('helpdesk_incidents_total{origin="monitoring"} 3');
  });

  it('says in the leadership digest how many outages monitoring saw first, and by how long on average', async () => {
    await twoOutages();
    await t.say('huang-jun', 'leadership', '日报');
    const digest = (await t.transcript('leadership')).filter((m) => m.card?.title.includes('信息科日报')).at(-1)!;
    const lead = text('digest.monitoring.lead', { lead: '10 分钟' });
    expect(digest.card!.markdown).toContain(text('digest.line.monitoring', { total: 2, first: 1, lead }));

    // The API shows each incident's origin and alerts.
    const api = await t.bot.app.inject({ url: '/api/incidents', headers: { authorization: `Bearer ${API_TOKEN}` } });
    const listed = api.json().incidents as { system: string; origin: string; alerts: { count: number; firing: number } }[];
    expect(listed.map((i) => [i.system, i.origin, i.alerts.count, i.alerts.firing])).toEqual([
      ['LIS', 'people', 1, 1],
      ['HIS', 'monitoring', 1, 1],
    ]);
  });

  it('leaves the digest’s monitoring line out where monitoring saw nothing', async () => {
    t = await monitoredBot();
    await reportEach(t, LIS_OUTAGE);
    await t.say('huang-jun', 'leadership', '日报');
    const digest = (await t.transcript('leadership')).filter((m) => m.card?.title.includes('信息科日报')).at(-1)!;
    expect(digest.card!.markdown).toContain('**故障**');
    expect(digest.card!.markdown).not.toContain('**监控**');
  });
});
