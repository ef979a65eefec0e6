import { afterEach, describe, expect, it } from 'vitest';
import { revokeToken } from '../../../bot/tokens/store.js';
import { API_TOKEN, createTestBot, type TestBot } from '../../helpers/bot.js';
import { alertsToken, directoryWithMonitoring, fixture, fixtureJson, postAlert, RecordingIncidents } from '../../helpers/alerts.js';

const START = new Date('2026-03-10T02:00:00Z');
const ZABBIX_SECRET = 'zabbix-secret-0123456789abcdef';
const LAB_SECRET = 'lab-zabbix-secret-9876543210';

describe('who may post monitoring alerts', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  it('refuses a missing, wrong or revoked token (401), a read or export token (403), and an unknown source (404), storing nothing', async () => {
    const incidents = new RecordingIncidents();
    t = await createTestBot({}, undefined, START, { alertIncidents: incidents });
    const alerts = await alertsToken(t);
    const read = await alertsToken(t, 'read');
    const exporter = await alertsToken(t, 'export');
    const body = fixture('alertmanager-firing.json');

    const missing = await postAlert(t, 'alertmanager', body, undefined);
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error).toMatch(/missing bearer token/);
    expect((await postAlert(t, 'alertmanager', body, 'hd_not-a-token-at-all-0123456789abcdefghij')).statusCode).toBe(401);
    expect((await postAlert(t, 'alertmanager', body, 'wrong')).json()).toEqual({ error: 'invalid bearer token' });
    for (const token of [read, exporter]) {
      const refused = await postAlert(t, 'alertmanager', body, token);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error).toMatch(/needs alerts/);
    }
    const unknown = await postAlert(t, 'nagios', body, alerts);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatch(/unknown alert source "nagios".*alertmanager, grafana, zabbix, generic/);
    expect(await t.bot.db.alert.count()).toBe(0);
    expect(incidents.calls).toEqual([]);

    await revokeToken(t.bot.db, 'monitoring-alerts');
    expect((await postAlert(t, 'alertmanager', body, alerts)).statusCode).toBe(401);
    expect(await t.bot.db.alert.count()).toBe(0);
    expect((await t.bot.metrics.text()).body).toContain('helpdesk_alerts_received_total{source="alertmanager",result="unauthorized"} 6');
  });

  it('lets an alerts token post but read nothing, and an admin token or API_TOKEN post too', async () => {
    t = await createTestBot({}, undefined, START);
    const alerts = await alertsToken(t);
    const admin = await alertsToken(t, 'admin');
    expect((await postAlert(t, 'generic', fixture('generic-firing.json'), alerts)).statusCode).toBe(200);
    const read = await t.bot.app.inject({ url: '/api/tickets', headers: { authorization: `Bearer ${alerts}` } });
    expect(read.statusCode).toBe(403);
    expect((await t.bot.app.inject({ url: '/dashboard', headers: { authorization: `Bearer ${alerts}` } })).statusCode).not.toBe(200);
    expect((await postAlert(t, 'grafana', fixture('grafana-firing.json'), admin)).statusCode).toBe(200);
    expect((await postAlert(t, 'zabbix', fixture('zabbix-problem.json'), API_TOKEN)).statusCode).toBe(200);
    const actors = (await t.bot.db.auditLog.findMany({ where: { action: 'alert.opened' }, orderBy: { id: 'asc' } })).map((a) => a.actorId);
    expect(actors).toEqual(['api:monitoring-alerts', 'api:monitoring-admin', 'api:API_TOKEN']);
    // The other JSON routes still read JSON bodies as before.
    expect((await t.say('zhang-li', 'intake', 'HIS打不开了')).messageId).toBeTruthy();
  });

  it('takes a source’s own secret from the organisation file, for that source only, with its mapping of hosts and severities', async () => {
    const directory = directoryWithMonitoring(
      [
        '  sources:',
        `    - { id: zabbix, secret: ${ZABBIX_SECRET} }`,
        `    - { id: zabbix-lab, format: zabbix, secret: ${LAB_SECRET} }`,
        '  systems: { his-db-02: his, lis-app-01: lis }',
        '  severities: { "4": P1, warning: P2 }',
      ].join('\n'),
    );
    // No token exists and no API_TOKEN: only the secrets open the intake.
    t = await createTestBot({ API_TOKEN: '' }, directory, START);
    expect((await postAlert(t, 'zabbix', fixture('zabbix-problem.json'), ZABBIX_SECRET)).json()).toMatchObject({ new: 1 });
    expect(await t.bot.db.alert.findFirstOrThrow({ where: { source: 'zabbix' } })).toMatchObject({ system: 'his', priority: 'P1' });
    expect((await postAlert(t, 'zabbix', fixture('zabbix-problem.json'), LAB_SECRET)).statusCode).toBe(401);
    expect((await postAlert(t, 'zabbix', fixture('zabbix-problem.json'), undefined)).statusCode).toBe(401);
    // A source without a secret, while no token exists at all: the intake is off for it.
    const off = await postAlert(t, 'grafana', fixture('grafana-firing.json'), ZABBIX_SECRET);
    expect(off.statusCode).toBe(503);
    expect(off.json().error).toMatch(/token create/);

    // A second Zabbix under its own name: a host mapped in the file, no system tag.
    const lab = { ...fixtureJson('zabbix-problem.json'), system: '', event_tags: '', host_host: 'lis-app-01', trigger_id: '30001', event_nseverity: '2' };
    expect((await postAlert(t, 'zabbix-lab', lab, LAB_SECRET)).json()).toMatchObject({ new: 1 });
    expect(await t.bot.db.alert.findFirstOrThrow({ where: { source: 'zabbix-lab' } })).toMatchObject({
      fingerprint: 'zabbix:30001',
      system: 'lis',
      priority: 'P4',
    });
    expect((await t.bot.db.auditLog.findFirstOrThrow({ where: { action: 'alert.opened', entityType: 'alert' }, orderBy: { id: 'desc' } })).actorId).toBe(
      'alerts:zabbix-lab',
    );

    // Alertmanager's instance (host:port) mapped by its host; a warning is P2 in this file.
    const instance = fixtureJson('alertmanager-firing.json');
    delete instance.alerts[0].labels.system;
    instance.alerts[0].labels.instance = 'his-db-02:9161';
    instance.alerts[0].labels.severity = 'warning';
    instance.alerts[0].fingerprint = '0123456789abcdef';
    expect((await postAlert(t, 'alertmanager', instance, await alertsToken(t))).json()).toMatchObject({ new: 1 });
    expect(await t.bot.db.alert.findFirstOrThrow({ where: { source: 'alertmanager' } })).toMatchObject({ system: 'his', priority: 'P2', severity: 'warning' });
  });

  it('stores an alert whose system cannot be mapped as unmapped, and still hands it on', async () => {
    const incidents = new RecordingIncidents();
    t = await createTestBot({}, undefined, START, { alertIncidents: incidents });
    const token = await alertsToken(t);
    // Grafana's contact-point Test button: no system label.
    expect((await postAlert(t, 'grafana', fixture('grafana-test-notification.json'), token)).json()).toMatchObject({ new: 1 });
    expect(await t.bot.db.alert.findFirstOrThrow()).toMatchObject({
      system: null,
      state: 'unmapped',
      summary: 'Notification test',
      link: null,
      priority: 'P3',
    });
    const odd = { ...fixtureJson('generic-firing.json'), fingerprint: 'boiler-room', system: 'Boiler room sensors', severity: 'sev-x' };
    expect((await postAlert(t, 'generic', odd, token)).json()).toMatchObject({ new: 1 });
    expect(await t.bot.db.alert.findFirstOrThrow({ where: { fingerprint: 'boiler-room' } })).toMatchObject({ system: null, state: 'unmapped', priority: 'P3' });
    expect(incidents.calls.map((c) => c.transitions.opened.map((a) => a.state))).toEqual([['unmapped'], ['unmapped']]);
  });
});
