import { afterEach, describe, expect, it } from 'vitest';
import { t as text } from '../../../bot/i18n/zh.js';
import { after, fieldOf, monitoredBot, perChat, sentSince, type MonitoredBot } from '../../helpers/alert-incidents.js';
import { reportEach } from '../../helpers/bot.js';

describe('a monitoring alert and the people reporting the same outage, in one incident', () => {
  let t: MonitoredBot;
  afterEach(async () => t?.close());

  const incidentCard = (chat = 'engineers') => t.sent().find((m) => m.chatId === chat && m.card?.title.includes('🚨'));

  it('opens an incident from a firing alert, announces it to the engineers and leadership, pages the duty engineer once, and ignores the same delivery', async () => {
    t = await monitoredBot();
    expect(await t.alert({ fingerprint: 'his-db', startsAt: -3 })).toMatchObject({ new: 1 });

    const incident = await t.bot.db.incident.findFirstOrThrow();
    expect(incident).toMatchObject({ status: 'open', priority: 'P1', system: 'HIS', origin: 'monitoring', alertCount: 1, alertsFiring: 1, reportCount: 0 });
    expect(incident.firstAlertAt).toEqual(new Date(after(-3)));
    const alert = await t.bot.db.alert.findFirstOrThrow();
    expect(alert).toMatchObject({ incidentId: incident.id, state: 'paged' });

    // One card to the engineers, one to leadership (a P1), and the duty engineer told directly: nothing else.
    const sent = t.sent();
    const page = sent.find((m) => m.chatId.startsWith('user:'))!;
    expect(perChat(sent)).toEqual({ engineers: 1, leadership: 1, [page.chatId]: 1 });
    const card = incidentCard()!;
    expect(card.card!.title).toBe(text('incident.card.title', { number: incident.number, priority: 'P1', priorityName: '紧急', system: 'HIS' }));
    expect(fieldOf(card, text('incident.field.origin'))).toBe(text('incident.origin.monitoring', { time: '11-24 09:57' }));
    expect(fieldOf(card, text('incident.field.alerts'))).toBe(text('incident.alerts.firing', { firing: 1, count: 1 }));
    expect(fieldOf(card, text('incident.field.reports'))).toBe('0');
    expect(card.card!.markdown).toContain(
      text('incident.alert.firing', { since: '11-24 09:57', source: 'generic', summary: 'HIS database responding slowly' }),
    );
    expect(card.card!.note).toBe(text('incident.note.openMonitoring'));
    expect(card.card!.buttons.map((b) => b.label)).toEqual([text('ticket.button.claim')]);
    expect(page.text).toContain(incident.number);
    expect(page.text).toContain(text('incident.seen.alerts', { alerts: 1, reports: 0 }));
    expect(incidentCard('leadership')).toBeDefined();

    // The sender retries the same delivery (and repeats it every repeat interval): nothing new anywhere.
    expect(await t.alert({ fingerprint: 'his-db', startsAt: -3 })).toMatchObject({ duplicate: 1 });
    await t.advance(5);
    expect(t.sent()).toHaveLength(sent.length);
    expect(await t.bot.db.incident.count()).toBe(1);
    expect(await t.bot.db.auditLog.count({ where: { action: 'incident.open' } })).toBe(1);
    expect(await t.bot.db.auditLog.count({ where: { action: 'incident.paged' } })).toBe(1);
  });

  it('joins a single report of the system at once, telling the reporter monitoring has seen it; the card counts the people', async () => {
    t = await monitoredBot();
    await t.alert({ fingerprint: 'his-db', startsAt: -3 });
    const incident = await t.bot.db.incident.findFirstOrThrow();
    const before = t.sent().length;

    // Forty minutes on, past the reports' window: the alert still fires, so this is still the outage of HIS.
    await t.advance(40);
    const mid = t.sent().length;
    await t.say('zhang-li', 'intake', 'HIS打不开了，挂号很慢');
    const ticket = await t.bot.db.ticket.findFirstOrThrow();
    expect(ticket).toMatchObject({ incidentId: incident.id, priority: 'P1' });

    // The reporter hears it once, in the intake group, with the number; nobody else hears anything new.
    const told = sentSince(t, mid);
    expect(perChat(told)).toEqual({ intake: 1 });
    expect(told[0]!.text).toBe(`@张丽 ${text('incident.joinedMonitoring', { number: incident.number })}`);
    expect(told[0]!.text).toContain('监控已发现该故障，正在处理');

    // The engineers' one card, redrawn: the report, its department, the alert still firing; origin stays monitoring.
    const card = incidentCard()!;
    expect(fieldOf(card, text('incident.field.reports'))).toBe('1');
    expect(fieldOf(card, text('incident.field.departments'))).toBe('门诊部');
    expect(fieldOf(card, text('incident.field.alerts'))).toBe(text('incident.alerts.firing', { firing: 1, count: 1 }));
    expect(card.card!.note).toBe(text('incident.note.open'));
    const row = await t.bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(row).toMatchObject({ origin: 'monitoring', reportCount: 1 });
    expect(Math.round((row.firstReportAt!.getTime() - row.firstAlertAt!.getTime()) / 60_000)).toBe(43);

    // A second reporter, elsewhere in the hospital: also at once, also told.
    await t.say('li-na', 'intake', '急诊HIS也登不上');
    expect(sentSince(t, mid).map((m) => m.text)).toEqual([
      `@张丽 ${text('incident.joinedMonitoring', { number: incident.number })}`,
      `@李娜 ${text('incident.joinedMonitoring', { number: incident.number })}`,
    ]);
    expect(fieldOf(incidentCard(), text('incident.field.departments'))).toBe('门诊部、急诊科');
    expect(before).toBeGreaterThan(0);
    expect(ticket.system).toBe('HIS');
  });

  it('takes in the reports of the system made before the alert, too few for an incident by themselves', async () => {
    t = await monitoredBot();
    await t.say('zhang-li', 'intake', 'HIS打不开了');
    await t.say('li-na', 'intake', '急诊HIS也登不上');
    expect(await t.bot.db.incident.count()).toBe(0);
    await t.advance(2);
    const before = t.sent().length;

    await t.alert({ fingerprint: 'his-db', startsAt: 2 });
    const incident = await t.bot.db.incident.findFirstOrThrow({ include: { tickets: true } });
    // People saw it first, monitoring confirmed it: one incident with both reports.
    expect(incident).toMatchObject({ origin: 'people', reportCount: 2, alertCount: 1, priority: 'P1' });
    expect(incident.tickets.map((x) => x.reporterId).sort()).toEqual(['li-na', 'zhang-li']);
    const told = sentSince(t, before);
    const page = told.find((m) => m.chatId.startsWith('user:'))!;
    expect(perChat(told)).toEqual({ intake: 1, engineers: 1, leadership: 1, [page.chatId]: 1 });
    expect(told.find((m) => m.chatId === 'intake')!.text).toBe(`@张丽 @李娜 ${text('incident.joinedMonitoring', { number: incident.number })}`);
    expect(fieldOf(incidentCard(), text('incident.field.reports'))).toBe('2');
  });

  it('lets an incident opened by people take a later alert: the alert shows on its card, nobody is told again', async () => {
    t = await monitoredBot();
    await reportEach(t);
    const incident = await t.bot.db.incident.findFirstOrThrow();
    expect(incident).toMatchObject({ origin: 'people', alertCount: 0 });
    await t.advance(5);
    const before = t.sent().length;

    await t.alert({ fingerprint: 'his-db', startsAt: 4, severity: 'warning', summary: 'HIS database connections exhausted' });
    const row = await t.bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(row).toMatchObject({ origin: 'people', alertCount: 1, alertsFiring: 1, priority: 'P1' });
    expect(row.firstAlertAt).toEqual(new Date(after(4)));
    expect(await t.bot.db.incident.count()).toBe(1);
    expect((await t.bot.db.alert.findFirstOrThrow()).incidentId).toBe(incident.id);
    expect(sentSince(t, before)).toEqual([]);

    const card = incidentCard()!;
    expect(fieldOf(card, text('incident.field.origin'))).toBe(text('incident.origin.people', { time: '11-24 10:04' }));
    expect(card.card!.markdown).toContain('HIS database connections exhausted');
    expect(fieldOf(card, text('incident.field.reports'))).toBe('3');
    expect(await t.bot.db.auditLog.count({ where: { action: 'incident.alert_joined', entityId: incident.number } })).toBe(1);
  });

  it('raises an incident to a more urgent alert’s priority, telling the engineers once', async () => {
    t = await monitoredBot();
    await t.alert({ fingerprint: 'his-slow', startsAt: 0, severity: 'warning', summary: 'HIS slow queries' });
    const incident = await t.bot.db.incident.findFirstOrThrow();
    expect(incident.priority).toBe('P3');
    // A P3 is the engineers' business: leadership hears of no warning.
    expect(perChat(t.sent())).toEqual({ engineers: 1 });

    await t.advance(2);
    const before = t.sent().length;
    await t.alert({ fingerprint: 'his-down', startsAt: 2, severity: 'critical', summary: 'HIS database down' });
    const raised = await t.bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(raised).toMatchObject({ priority: 'P1', alertCount: 2, alertsFiring: 2 });
    const told = sentSince(t, before);
    const inGroup = told.filter((m) => m.chatId === 'engineers');
    expect(inGroup.map((m) => m.text)).toEqual([
      text('incident.priority.changed', {
        number: incident.number,
        from: 'P3',
        to: 'P1',
        reason: text('incident.priority.alert', { summary: 'HIS database down', priority: 'P1' }),
        n: 0,
      }),
    ]);
    // The P1's policy pages the duty engineer at once: one direct message; leadership now hears of it, once.
    expect(told.filter((m) => m.chatId.startsWith('user:'))).toHaveLength(1);
    expect(told.filter((m) => m.card).map((m) => m.chatId)).toEqual(['leadership']);
    expect(incidentCard('leadership')!.card!.title).toContain('P1');
    expect(fieldOf(incidentCard(), text('incident.field.alerts'))).toBe(text('incident.alerts.firing', { firing: 2, count: 2 }));
  });

  it('opens one incident for two alerts of a system delivered at the same moment by two senders', async () => {
    t = await monitoredBot();
    await Promise.all([
      t.alert({ fingerprint: 'his-db', startsAt: -1, summary: 'HIS database responding slowly' }),
      t.alert({ fingerprint: 'his-app', startsAt: -1, summary: 'HIS application server down' }),
    ]);
    await t.settle();
    expect(await t.bot.db.incident.findMany()).toMatchObject([{ alertCount: 2, alertsFiring: 2 }]);
    expect(
      t
        .sent()
        .filter((m) => m.card?.title.includes('🚨'))
        .map((m) => m.chatId),
    ).toEqual(['engineers', 'leadership']);
  });

  it('opens nothing for an alert of no known system, and nothing for a resolve alone', async () => {
    t = await monitoredBot();
    await t.alert({ fingerprint: 'unknown', system: 'some-printer-farm', startsAt: 0 });
    await t.alert({ fingerprint: 'late', status: 'resolved', startsAt: -30, endsAt: -10 });
    expect(await t.bot.db.incident.count()).toBe(0);
    expect(t.sent()).toEqual([]);
  });
});
