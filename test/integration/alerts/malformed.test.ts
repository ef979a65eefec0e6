import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBot, type TestBot } from '../../helpers/bot.js';
import { alertsToken, fixture, fixtureJson, postAlert, RecordingIncidents } from '../../helpers/alerts.js';

type Body = string | object;

/** A fixture with one change made to it. */
function changed(file: string, change: (body: Record<string, any>) => void): object {
  const body = fixtureJson(file);
  change(body);
  return body;
}

const THREE_ALERTS = changed('alertmanager-group-update.json', (b) => {
  b.alerts.push({ ...b.alerts[1], fingerprint: 'aaaabbbbccccdddd', startsAt: 'yesterday at nine' });
});

/** [source, body, the field named, words of the reason] */
const MALFORMED: [string, Body, string, RegExp][] = [
  ['generic', 'this is not json {', 'body', /not valid JSON/],
  ['alertmanager', '', 'body', /empty/],
  ['alertmanager', '[1, 2, 3]', 'body', /JSON object/],
  ['alertmanager', '"firing"', 'body', /JSON object/],
  ['alertmanager', {}, 'alerts', /missing/],
  ['alertmanager', { version: '4', alerts: {} }, 'alerts', /array/],
  ['alertmanager', { version: '4', alerts: [] }, 'alerts', /empty/],
  ['alertmanager', changed('alertmanager-firing.json', (b) => (b.version = '3')), 'version', /"4"/],
  ['alertmanager', THREE_ALERTS, 'alerts[2].startsAt', /RFC 3339/],
  ['alertmanager', changed('alertmanager-firing.json', (b) => (b.alerts[0].status = 'pending')), 'alerts[0].status', /"firing" or "resolved"/],
  ['alertmanager', changed('alertmanager-firing.json', (b) => delete b.alerts[0].labels), 'alerts[0].labels', /missing/],
  ['alertmanager', changed('alertmanager-firing.json', (b) => (b.alerts[0].labels.system = { name: 'HIS' })), 'alerts[0].labels.system', /string/],
  ['alertmanager', changed('alertmanager-firing.json', (b) => (b.alerts[0].startsAt = '0001-01-01T00:00:00Z')), 'alerts[0].startsAt', /before 1970/],
  ['alertmanager', changed('alertmanager-firing.json', (b) => (b.alerts[0].startsAt = '2026-03-10 09:15')), 'alerts[0].startsAt', /RFC 3339/],
  ['alertmanager', changed('alertmanager-firing.json', (b) => (b.alerts[0].fingerprint = 'not hex!')), 'alerts[0].fingerprint', /hexadecimal/],
  ['grafana', changed('grafana-firing.json', (b) => (b.version = '2')), 'version', /"1" or "4"/],
  ['grafana', changed('grafana-firing.json', (b) => (b.alerts[0].endsAt = 'soon')), 'alerts[0].endsAt', /RFC 3339/],
  // The media type's Test button with the macros left empty.
  ['zabbix', changed('zabbix-problem.json', (b) => (b.event_id = '')), 'event_id', /missing or empty/],
  ['zabbix', changed('zabbix-problem.json', (b) => (b.trigger_id = '{TRIGGER.ID}')), 'trigger_id', /numeric/],
  ['zabbix', changed('zabbix-problem.json', (b) => (b.event_value = '2')), 'event_value', /"0" or "1"/],
  ['zabbix', changed('zabbix-problem.json', (b) => (b.event_update_status = 'yes')), 'event_update_status', /"0" or "1"/],
  ['zabbix', changed('zabbix-problem.json', (b) => (b.event_source = '3')), 'event_source', /trigger/],
  ['zabbix', changed('zabbix-problem.json', (b) => (b.event_nseverity = '9')), 'event_nseverity', /0 to 5/],
  ['zabbix', changed('zabbix-problem.json', (b) => (b.event_timestamp = 'now')), 'event_timestamp', /Unix seconds/],
  ['zabbix', changed('zabbix-problem.json', (b) => ((b.event_timestamp = ''), (b.event_date = ''))), 'event_timestamp', /missing/],
  ['zabbix', changed('zabbix-problem.json', (b) => ((b.event_name = ''), (b.subject = ''))), 'event_name', /missing/],
  ['generic', changed('generic-firing.json', (b) => delete b.system), 'system', /missing/],
  ['generic', changed('generic-firing.json', (b) => (b.fingerprint = 42)), 'fingerprint', /string/],
  ['generic', changed('generic-firing.json', (b) => (b.summary = '   ')), 'summary', /empty/],
  ['generic', changed('generic-firing.json', (b) => (b.startsAt = '2026-03-10T09:15:02')), 'startsAt', /offset/],
  [
    'generic',
    { alerts: [fixtureJson('generic-firing.json'), { ...fixtureJson('generic-firing.json'), severity: undefined }] },
    'alerts[1].severity',
    /missing/,
  ],
  ['generic', { alerts: 'all of them' }, 'alerts', /array/],
];

describe('a malformed alert delivery', () => {
  let t: TestBot;
  let token: string;
  const incidents = new RecordingIncidents();
  beforeAll(async () => {
    t = await createTestBot({}, undefined, new Date('2026-03-10T02:00:00Z'), { alertIncidents: incidents });
    token = await alertsToken(t);
  });
  afterAll(async () => t?.close());

  it.each(MALFORMED.map(([source, body, field, reason], i) => ({ i, source, body, field, reason })))(
    '$source #$i is refused with 400 naming $field, and nothing is stored',
    async ({ source, body, field, reason }) => {
      const res = await postAlert(t, source, body, token);
      expect(res.statusCode, res.body).toBe(400);
      const answer = res.json();
      expect(answer.field).toBe(field);
      expect(answer.reason).toMatch(reason);
      expect(answer.error).toBe(field === 'body' ? `body: ${answer.reason}` : `${field}: ${answer.reason}`);
      expect(await t.bot.db.alert.count()).toBe(0);
      expect(await t.bot.db.auditLog.count({ where: { entityType: 'alert' } })).toBe(0);
      expect(incidents.calls).toEqual([]);
    },
  );

  it('reads a body sent as text/plain or with no content type as JSON all the same, and counts the refusals', async () => {
    expect((await postAlert(t, 'generic', fixture('generic-firing.json'), token, 'text/plain')).statusCode).toBe(200);
    const bare = await t.bot.app.inject({
      method: 'POST',
      url: '/api/alerts/grafana',
      headers: { authorization: `Bearer ${token}` },
      payload: fixture('grafana-firing.json'),
    });
    expect(bare.statusCode, bare.body).toBe(200);
    expect(await t.bot.db.alert.count()).toBe(2);
    expect((await t.bot.metrics.text()).body).toMatch(/helpdesk_alerts_received_total\{source="zabbix",result="malformed"\} 9\b/);
  });
});
