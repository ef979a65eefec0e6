import { afterEach, describe, expect, it } from 'vitest';
import { createTestBot, type TestBot } from '../../helpers/bot.js';
import { alertsToken, fixture, fixtureJson, postAlert, RecordingIncidents } from '../../helpers/alerts.js';

// 10:00 in the hospital, the morning the fixtures' alerts fired.
const START = new Date('2026-03-10T02:00:00Z');
const counts = (received: number, added: number, updated: number, duplicate: number) => ({ received, new: added, updated, duplicate });

describe('monitoring alerts posted to /api/alerts/:source', () => {
  let t: TestBot;
  let incidents: RecordingIncidents;
  let token: string;
  afterEach(async () => t?.close());

  async function start() {
    incidents = new RecordingIncidents();
    t = await createTestBot({}, undefined, START, { alertIncidents: incidents });
    token = await alertsToken(t);
  }
  const post = (source: string, body: string | object) => postAlert(t, source, body, token);

  it('stores the firing alert of each source with its system, priority and link, and opens it on the incident side', async () => {
    await start();
    const cases = [
      [
        'alertmanager',
        'alertmanager-firing.json',
        { fingerprint: '4503fb57510b1e05', severity: 'critical', priority: 'P1', startsAt: new Date('2026-03-10T01:15:02.512Z') },
      ],
      ['grafana', 'grafana-firing.json', { fingerprint: 'b1e4c0a7d9f23b65', severity: 'critical', priority: 'P1', startsAt: new Date('2026-03-10T01:15:00Z') }],
      ['zabbix', 'zabbix-problem.json', { fingerprint: 'zabbix:23517', severity: '4', priority: 'P2', startsAt: new Date(1773105302 * 1000) }],
      ['generic', 'generic-firing.json', { fingerprint: 'his-db-latency', severity: 'critical', priority: 'P1', startsAt: new Date('2026-03-10T01:15:02Z') }],
    ] as const;
    for (const [source, file, expected] of cases) {
      const res = await post(source, fixture(file));
      expect(res.statusCode, `${source}: ${res.body}`).toBe(200);
      expect(res.json()).toEqual(counts(1, 1, 0, 0));
      const row = await t.bot.db.alert.findFirstOrThrow({ where: { source } });
      expect(row).toMatchObject({ ...expected, status: 'firing', system: 'his', state: 'paged', endsAt: null, flaps: 0 });
      expect(row.summary).toMatch(/HIS database/);
      // The generic format has a link only when the sender gives one.
      if (source !== 'generic') expect(row.link).toMatch(/^https?:\/\//);
    }
    // Alertmanager's link keeps its query string as the sender escaped it (\u0026 is &).
    expect((await t.bot.db.alert.findFirstOrThrow({ where: { source: 'alertmanager' } })).link).toContain('&g0.tab=1');
    expect(incidents.calls.map((c) => c.transitions.opened.map((a) => a.source))).toEqual([['alertmanager'], ['grafana'], ['zabbix'], ['generic']]);
    expect(await t.bot.db.auditLog.count({ where: { action: 'alert.opened', actorId: 'api:monitoring-alerts' } })).toBe(4);
  });

  it('changes nothing when the same delivery comes again, answering 200 with it counted as a duplicate', async () => {
    await start();
    for (const [source, file] of [
      ['alertmanager', 'alertmanager-firing.json'],
      ['grafana', 'grafana-firing.json'],
      ['zabbix', 'zabbix-problem.json'],
      ['generic', 'generic-firing.json'],
    ] as const) {
      expect((await post(source, fixture(file))).json()).toEqual(counts(1, 1, 0, 0));
      const again = await post(source, fixture(file));
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(counts(1, 0, 0, 1));
    }
    expect(await t.bot.db.alert.count()).toBe(4);
    expect(incidents.calls).toHaveLength(4);
    // Two Prometheus replicas: Alertmanager keeps the earlier start of an open alert; still the same alert.
    const earlier = fixtureJson('alertmanager-firing.json');
    earlier.alerts[0].startsAt = '2026-03-10T09:14:47.100000000+08:00';
    expect((await post('alertmanager', earlier)).json()).toEqual(counts(1, 0, 0, 1));
    expect(await t.bot.db.alert.count()).toBe(4);
    // An Alertmanager pair (HA) sends the same new group at the same moment: stored once.
    const both = await Promise.all([
      post('alertmanager', fixture('alertmanager-group-update.json')),
      post('alertmanager', fixture('alertmanager-group-update.json')),
    ]);
    expect(both.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(both.map((r) => r.json().new + r.json().updated).sort()).toEqual([0, 2]);
    expect(await t.bot.db.alert.count()).toBe(5);
    const metrics = (await t.bot.metrics.text()).body;
    expect(metrics).toContain('helpdesk_alerts_received_total{source="alertmanager",result="duplicate"} 4');
    expect(metrics).toContain('helpdesk_alerts_received_total{source="zabbix",result="new"} 1');
  });

  it('resolves a firing alert once, whatever is delivered again, for each source', async () => {
    await start();
    const cases = [
      ['alertmanager', 'alertmanager-firing.json', 'alertmanager-resolved.json', new Date('2026-03-10T01:41:17.512Z')],
      ['grafana', 'grafana-firing.json', 'grafana-resolved.json', new Date('2026-03-10T01:41:00Z')],
      ['zabbix', 'zabbix-problem.json', 'zabbix-recovery.json', new Date(1773106877 * 1000)],
      ['generic', 'generic-firing.json', 'generic-resolved.json', new Date('2026-03-10T01:41:17Z')],
    ] as const;
    for (const [source, firing, resolved, endsAt] of cases) {
      await post(source, fixture(firing));
      const done = await post(source, fixture(resolved));
      expect(done.json(), source).toEqual(counts(1, 0, 1, 0));
      expect((await post(source, fixture(resolved))).json(), source).toEqual(counts(1, 0, 0, 1));
      // A firing delivery of the occurrence that resolved is late news: nothing fires again.
      expect((await post(source, fixture(firing))).json(), source).toEqual(counts(1, 0, 0, 1));
      expect(await t.bot.db.alert.findMany({ where: { source } })).toEqual([expect.objectContaining({ status: 'resolved', endsAt })]);
    }
    expect(incidents.ids('resolved')).toHaveLength(4);
    expect(incidents.ids('opened')).toEqual(incidents.ids('resolved'));
    expect(await t.bot.db.auditLog.count({ where: { action: 'alert.resolved' } })).toBe(4);
  });

  it('reads a Zabbix problem update (acknowledged) as no change, and its recovery as the resolve', async () => {
    await start();
    await post('zabbix', fixture('zabbix-problem.json'));
    expect((await post('zabbix', fixture('zabbix-update.json'))).json()).toEqual(counts(1, 0, 0, 1));
    expect((await post('zabbix', fixture('zabbix-recovery.json'))).json()).toEqual(counts(1, 0, 1, 0));
    const row = await t.bot.db.alert.findFirstOrThrow();
    expect(row.labels).toMatchObject({ system: 'HIS', service: 'oracle', host: 'his-db-01', event_id: '48211', trigger_id: '23517' });
  });

  it('takes each alert of an Alertmanager group on its own: one resolves, another is new, the group still firing', async () => {
    await start();
    await post('alertmanager', fixture('alertmanager-firing.json'));
    const group = await post('alertmanager', fixture('alertmanager-group-update.json'));
    expect(group.json()).toEqual(counts(2, 1, 1, 0));
    const rows = await t.bot.db.alert.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.fingerprint, r.status])).toEqual([
      ['4503fb57510b1e05', 'resolved'],
      ['7fd9b01bbe2f5e1c', 'firing'],
    ]);
    expect(incidents.calls[1]!.transitions).toMatchObject({ opened: [{ id: rows[1]!.id }], resolved: [{ id: rows[0]!.id }], refired: [] });
    // The whole group again, as every group_interval: nothing new.
    expect((await post('alertmanager', fixture('alertmanager-group-update.json'))).json()).toEqual(counts(2, 0, 0, 2));
  });

  it('re-opens the same alert when it fires again within flapMinutes of its resolve, and opens a new one later', async () => {
    await start();
    const at = (startsAt: string, status: 'firing' | 'resolved', endsAt?: string) => ({
      ...fixtureJson('generic-firing.json'),
      status,
      startsAt,
      ...(endsAt ? { endsAt } : {}),
    });
    await post('generic', at('2026-03-10T09:15:00+08:00', 'firing'));
    await post('generic', at('2026-03-10T09:15:00+08:00', 'resolved', '2026-03-10T09:20:00+08:00'));
    const refire = await post('generic', at('2026-03-10T09:28:00+08:00', 'firing'));
    expect(refire.json()).toEqual(counts(1, 0, 1, 0));
    const [row] = await t.bot.db.alert.findMany();
    expect(row).toMatchObject({
      status: 'firing',
      flaps: 1,
      endsAt: null,
      startsAt: new Date('2026-03-10T01:15:00Z'),
      firedAt: new Date('2026-03-10T01:28:00Z'),
    });
    expect(incidents.ids('refired')).toEqual([row!.id]);
    // The first resolve delivered late again: it is over already, the re-fire still fires.
    expect((await post('generic', at('2026-03-10T09:15:00+08:00', 'resolved', '2026-03-10T09:20:00+08:00'))).json()).toEqual(counts(1, 0, 0, 1));
    expect(await t.bot.db.alert.findFirstOrThrow()).toMatchObject({ status: 'firing' });
    // The re-fire resolves (its own start), once.
    expect((await post('generic', at('2026-03-10T09:28:00+08:00', 'resolved', '2026-03-10T09:31:00+08:00'))).json()).toEqual(counts(1, 0, 1, 0));
    expect((await post('generic', at('2026-03-10T09:28:00+08:00', 'resolved', '2026-03-10T09:31:00+08:00'))).json()).toEqual(counts(1, 0, 0, 1));
    // Fired again 20 minutes after: a new alert, not a flap.
    expect((await post('generic', at('2026-03-10T09:51:00+08:00', 'firing'))).json()).toEqual(counts(1, 1, 0, 0));
    const rows = await t.bot.db.alert.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.status, r.flaps])).toEqual([
      ['resolved', 1],
      ['firing', 0],
    ]);
    expect(incidents.ids('opened')).toEqual([rows[0]!.id, rows[1]!.id]);
  });

  it('hands the incident side the transitions in the delivery’s own transaction: what it fails stores nothing', async () => {
    await start();
    await post('alertmanager', fixture('alertmanager-firing.json'));
    const [call] = incidents.calls;
    // The rows it was given are there for it, through the transaction it was given, before the commit.
    expect(call!.rowsInTx.map((r) => r.id)).toEqual(call!.transitions.opened.map((r) => r.id));
    expect(call!.tx).not.toBe(t.bot.db);

    incidents.fail = true;
    const failed = await post('grafana', fixture('grafana-firing.json'));
    expect(failed.statusCode).toBe(503);
    expect(failed.json().error).toMatch(/try again/);
    expect(await t.bot.db.alert.count({ where: { source: 'grafana' } })).toBe(0);
    expect(await t.bot.db.auditLog.count({ where: { action: 'alert.opened', entityId: { not: String(call!.transitions.opened[0]!.id) } } })).toBe(0);
    // The sender's retry goes through.
    expect((await post('grafana', fixture('grafana-firing.json'))).json()).toEqual(counts(1, 1, 0, 0));
    expect((await t.bot.metrics.text()).body).toContain('helpdesk_alerts_received_total{source="grafana",result="failed"} 1');
  });
});
