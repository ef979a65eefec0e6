import { describe, expect, it } from 'vitest';
import { labelsFingerprint } from '../../../../bot/alerts/alertmanager.js';
import { AlertMapping } from '../../../../bot/alerts/mapping.js';
import { PARSERS } from '../../../../bot/alerts/parsers.js';
import { zabbixTags } from '../../../../bot/alerts/zabbix.js';
import { sampleDirectory } from '../../../helpers/db.js';
import { fixtureJson } from '../../../helpers/alerts.js';

const ctx = { source: 'test', timeZone: 'Asia/Shanghai' };

describe('reading alert payloads', () => {
  it('computes Alertmanager’s fingerprint of a label set, for senders that send none', () => {
    // Alertmanager's own test vectors, and the fixture's labels.
    expect(labelsFingerprint({ job: 'foo', severity: 'warning' })).toBe('9266ef3da838ad95');
    expect(labelsFingerprint({ severity: 'critical', job: 'foo' })).toBe('3b15fd163d36582e');
    const body = fixtureJson('alertmanager-firing.json');
    expect(labelsFingerprint(body.alerts[0].labels)).toBe(body.alerts[0].fingerprint);
    delete body.alerts[0].fingerprint;
    expect(PARSERS.alertmanager(body, ctx)[0]!.fingerprint).toBe('4503fb57510b1e05');
  });

  it('reads Go’s nanosecond times and zero end, and ignores fields it does not know', () => {
    const body = { ...fixtureJson('alertmanager-firing.json'), routeLabels: {}, notification_reason: 'first notification' };
    const [alert] = PARSERS.alertmanager(body, ctx);
    expect(alert).toMatchObject({ status: 'firing', startsAt: new Date('2026-03-10T01:15:02.512Z'), endsAt: undefined, severity: 'critical' });
    expect(alert!.summary).toBe('HIS database responding slowly');
  });

  it('takes a Zabbix time from {EVENT.DATE} and {EVENT.TIME} in the hospital’s zone when no timestamp came, and reads its tags', () => {
    const body = { ...fixtureJson('zabbix-problem.json'), event_timestamp: '' };
    expect(PARSERS.zabbix(body, ctx)[0]!.startsAt).toEqual(new Date(1773105302 * 1000));
    expect(PARSERS.zabbix(body, { ...ctx, timeZone: 'Asia/Tokyo' })[0]!.startsAt).toEqual(new Date((1773105302 - 3600) * 1000));
    expect(zabbixTags('service:oracle, system:HIS, db, scope: a:b')).toEqual({ service: 'oracle', system: 'HIS', db: '', scope: 'a:b' });
  });

  it('maps a system by the configured labels first, then the sender’s field, then the host, and a severity to its priority', () => {
    const directory = sampleDirectory();
    const monitoring = { ...directory.org.monitoring, systems: { 'pacs-store-01': 'pacs' } };
    const mapping = new AlertMapping(monitoring, directory.org.systems);
    const alert = PARSERS.generic(fixtureJson('generic-firing.json'), ctx)[0]!;
    expect(mapping.systemOf({ ...alert, labels: { service: 'LIS' } })).toBe('lis');
    expect(mapping.systemOf({ ...alert, labels: { app: 'emr', system: 'nothing-known' } })).toBe('emr');
    expect(mapping.systemOf({ ...alert, system: undefined, labels: { instance: 'PACS-store-01:9100' } })).toBe('pacs');
    expect(mapping.systemOf({ ...alert, system: 'boiler', labels: {} })).toBeNull();
    expect([mapping.priorityOf('Critical'), mapping.priorityOf('5'), mapping.priorityOf('warning'), mapping.priorityOf('0'), mapping.priorityOf('')]).toEqual([
      'P1',
      'P1',
      'P3',
      'P4',
      'P3',
    ]);
  });
});
