import { afterEach, describe, expect, it } from 'vitest';
import { t as text } from '../../../bot/i18n/zh.js';
import { fixtureJson, postAlert } from '../../helpers/alerts.js';
import { monitoredBot, START, type MonitoredBot } from '../../helpers/alert-incidents.js';

/** Each sender's own payload (as its documentation shows it), moved to START so it is the outage of now. */
const SOURCES = [
  { source: 'alertmanager', firing: 'alertmanager-firing.json', resolved: 'alertmanager-resolved.json' },
  { source: 'grafana', firing: 'grafana-firing.json', resolved: 'grafana-resolved.json' },
  { source: 'zabbix', firing: 'zabbix-problem.json', resolved: 'zabbix-recovery.json' },
  { source: 'generic', firing: 'generic-firing.json', resolved: 'generic-resolved.json' },
] as const;

/** The payload with every time in it moved by the same amount, so that its first start is `to`. */
function movedTo(name: string, to: Date): Record<string, any> {
  const raw = JSON.stringify(fixtureJson(name));
  const iso = /"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))"/g;
  const starts = [...raw.matchAll(iso)].map((m) => new Date(m[1]!).getTime()).filter((ms) => ms > 0);
  const epochs = [...raw.matchAll(/"(event_timestamp|recovery_timestamp|update_timestamp)":\s*"?(\d{9,10})"?/g)].map((m) => Number(m[2]) * 1000);
  const first = Math.min(...starts, ...epochs);
  const shift = to.getTime() - first;
  return JSON.parse(
    raw
      .replace(iso, (whole, time: string) => (new Date(time).getTime() > 0 ? `"${new Date(new Date(time).getTime() + shift).toISOString()}"` : whole))
      .replace(
        /("(?:event_timestamp|recovery_timestamp|update_timestamp)":\s*"?)(\d{9,10})/g,
        (_w, key: string, s: string) => `${key}${Math.round((Number(s) * 1000 + shift) / 1000)}`,
      ),
  );
}

describe.each(SOURCES)('a $source alert, as its sender posts it', ({ source, firing, resolved }) => {
  let t: MonitoredBot;
  afterEach(async () => t?.close());

  it('opens the incident, is ignored when delivered again, is joined by a report, and its recovery asks the engineers to confirm', async () => {
    t = await monitoredBot();
    const first = await postAlert(t, source, movedTo(firing, START), 'test-token-0123456789abcdef');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ new: 1 });
    await t.settle();
    const incident = await t.bot.db.incident.findFirstOrThrow();
    expect(incident).toMatchObject({ system: 'HIS', origin: 'monitoring', alertsFiring: 1, reportCount: 0 });
    const cards = t.sent().filter((m) => m.chatId === 'engineers' && m.card?.title.includes(incident.number));
    expect(cards).toHaveLength(1);

    const before = t.sent().length;
    const again = await postAlert(t, source, movedTo(firing, START), 'test-token-0123456789abcdef');
    expect(again.json()).toMatchObject({ new: 0, duplicate: 1 });
    await t.settle();
    expect(t.sent().length).toBe(before);

    await t.advance(3);
    await t.say('li-na', 'intake', '急诊HIS登不上了，挂号开不了单，电话8201');
    const told = t.sent().find((m) => m.chatId === 'intake' && m.text?.includes(incident.number));
    expect(told?.text).toContain(text('incident.joinedMonitoring', { number: incident.number }));
    expect(await t.bot.db.ticket.count({ where: { incidentId: incident.id } })).toBe(1);

    const done = await postAlert(t, source, movedTo(resolved, START), 'test-token-0123456789abcdef');
    expect(done.json()).toMatchObject({ updated: 1 });
    await t.advance(10);
    const asked = t.sent().filter((m) => m.chatId === 'engineers' && m.card?.buttons.some((b) => b.label === text('incident.recovery.button')));
    expect(asked).toHaveLength(1);
  });
});
