import { afterEach, describe, expect, it } from 'vitest';
import type { SimMessage } from '../../adapters/simulator/transcript.js';
import { WorkCalendar } from '../../bot/calendar.js';
import { t as text } from '../../bot/i18n/zh.js';
import { inUnitOfWork } from '../../bot/services.js';
import { API_TOKEN, createTestBot, type TestBot, reportEach } from '../helpers/bot.js';
import { sampleDirectory } from '../helpers/db.js';

const at = (local: string) => new Date(`${local}+08:00`);
const minute = (d: Date) => d.toISOString().slice(0, 16);
const field = (m: SimMessage, label: string) => m.card!.fields.find((f) => f.label === label)?.value;

describe('tickets in an incident', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const api = async (url: string) => (await t.bot.app.inject({ url, headers: { authorization: `Bearer ${API_TOKEN}` } })).json();
  const texts = async (chat: string) => (await t.transcript(chat)).filter((m) => m.from === 'bot' && m.text).map((m) => m.text!);
  const dispatchCards = async () => (await t.transcript('engineers')).filter((m) => m.card?.title.startsWith('新报修'));

  /** Three HIS reports from three people in two departments: a P2 incident. */
  async function outage() {
    await reportEach(t, [
      ['zhang-li', 'HIS打不开了'],
      ['chen-jing', 'HIS登不上了'],
      ['li-na', 'HIS报错了'],
    ]);
    const incident = await t.bot.db.incident.findFirstOrThrow({ include: { tickets: { orderBy: { id: 'asc' } } } });
    return incident;
  }

  it('gives each ticket in the API its incident and its system’s id', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    const incident = await outage();
    expect(incident).toMatchObject({ status: 'open', priority: 'P2', system: 'HIS' });
    await t.say('he-ping', 'intake', '门诊药房打印机卡纸了，资产号PR-0001');
    await t.say('xu-hui', 'intake', '药剂科办公室的椅子坏了，电话8600');

    const list = await api('/api/tickets');
    expect(list.total).toBe(5);
    const byNumber = new Map<string, { incident: unknown; systemId: string | null; system: string | null }>(
      list.tickets.map((x: { number: string }) => [x.number, x]),
    );
    for (const child of incident.tickets) {
      expect(byNumber.get(child.number)).toMatchObject({
        system: 'HIS',
        systemId: 'his',
        incident: { number: incident.number, priority: 'P2', status: 'open' },
      });
    }
    const others = list.tickets.filter((x: { incident: unknown }) => x.incident === null);
    expect(others).toHaveLength(2);
    expect(others.find((x: { system: string | null }) => x.system === '打印机')).toMatchObject({ systemId: 'printer' });
    expect(others.find((x: { system: string | null }) => x.system === null)).toMatchObject({ systemId: null });

    const one = await api(`/api/tickets/${incident.tickets[0]!.number}`);
    expect(one.incident).toEqual({ number: incident.number, priority: 'P2', status: 'open' });
    expect(one.events.map((e: { type: string }) => e.type)).toContain('joined_incident');

    // Claimed by an engineer: the API says so for every report in it.
    const card = (await t.transcript('engineers')).find((m) => m.card?.title.includes('🚨'))!;
    await t.click(card.id, 'luo-xin', 'incident.claim', card.card!.buttons[0]!.value);
    const claimed = await api('/api/tickets?status=claimed');
    expect(claimed.tickets.map((x: { incident: { status: string } }) => x.incident.status)).toEqual(['claimed', 'claimed', 'claimed']);
  });

  it('shows the incident’s number, priority and response deadline on its tickets’ cards, and the tickets take its priority', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    const incident = await outage();
    // Every report carries the incident's priority and deadlines, counted from when it opened.
    expect(minute(incident.responseDueAt!)).toBe('2026-11-23T01:30');
    for (const child of incident.tickets) {
      expect(child).toMatchObject({ priority: 'P2', responseDueAt: incident.responseDueAt, resolveDueAt: incident.tickets[0]!.resolveDueAt });
    }
    const joined = await t.bot.db.ticketEvent.findMany({ where: { type: 'joined_incident' }, orderBy: { id: 'asc' } });
    expect(joined).toHaveLength(3);
    for (const [i, row] of joined.entries()) {
      const before = (await t.bot.db.ticketEvent.findFirstOrThrow({ where: { ticketId: row.ticketId, type: 'created' } })).data as { priority: string };
      expect(row.data).toEqual(before.priority === 'P2' ? { incident: incident.number } : { incident: incident.number, from: before.priority, to: 'P2' });
      expect(row.ticketId).toBe(incident.tickets[i]!.id);
    }

    // The two reports dispatched before the incident opened now show it.
    const early = await dispatchCards();
    expect(early).toHaveLength(2);
    for (const card of early) {
      expect(card.card!.title).toMatch(/· P2 高$/);
      expect(field(card, '所属故障')).toBe(
        text('ticket.incident.due', { number: incident.number, priority: 'P2', priorityName: text('priority.P2'), due: '11-23 09:30' }),
      );
      expect(field(card, '优先级')).toBe('P2 高，30 分钟内响应（11-23 09:30 前）');
    }
    const intake = (await t.transcript('intake')).filter((m) => m.card?.title.startsWith('工单'));
    for (const card of intake)
      expect(field(card, '所属故障')).toBe(
        text('ticket.incident.due', { number: incident.number, priority: 'P2', priorityName: text('priority.P2'), due: '11-23 09:30' }),
      );

    // A third department reports: the outage is P1 now, and every report in it follows.
    await t.advance(5);
    await t.say('liu-yang', 'intake', 'HIS也进不去了');
    const raised = await t.bot.db.incident.findUniqueOrThrow({ where: { id: incident.id }, include: { tickets: true } });
    expect(raised.priority).toBe('P1');
    expect(minute(raised.responseDueAt!)).toBe('2026-11-23T01:15');
    expect(raised.tickets).toHaveLength(4);
    for (const child of raised.tickets) expect(child).toMatchObject({ priority: 'P1', responseDueAt: raised.responseDueAt });
    expect((await texts('engineers')).at(-1)).toBe(
      text('incident.priority.changed', { number: incident.number, from: 'P2', to: 'P1', reason: text('incident.priority.departments', { n: 3 }), n: 3 }),
    );
    const followed = await t.bot.db.ticketEvent.findMany({ where: { type: 'priority_changed' } });
    expect(followed.map((e) => e.data)).toEqual(incident.tickets.map(() => ({ from: 'P2', to: 'P1', reason: '已涉及 3 个科室', incident: incident.number })));
    expect(await t.bot.db.auditLog.count({ where: { action: 'incident.priority_changed', entityId: incident.number } })).toBe(1);
    for (const card of await dispatchCards()) {
      expect(card.card!.title).toMatch(/· P1 紧急$/);
      expect(field(card, '所属故障')).toBe(
        text('ticket.incident.due', { number: incident.number, priority: 'P1', priorityName: text('priority.P1'), due: '11-23 09:15' }),
      );
    }

    // Resolved: the cards keep the incident, without a deadline.
    const incidentCard = (await t.transcript('engineers')).find((m) => m.card?.title.includes('🚨'))!;
    await t.click(incidentCard.id, 'luo-xin', 'incident.claim', incidentCard.card!.buttons[0]!.value);
    await t.say('luo-xin', 'engineers', `解决 ${incident.number} 重启应用服务`);
    for (const card of await dispatchCards())
      expect(field(card, '所属故障')).toBe(text('ticket.incident.resolved', { number: incident.number, priority: 'P1', priorityName: text('priority.P1') }));
  });

  it('moves every report when an engineer changes the incident’s priority, and refuses changing one report alone', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    const incident = await outage();
    const child = incident.tickets[0]!.number;
    await t.say('wang-wei', 'engineers', `优先级 ${child} P1 全院都停了`);
    expect((await texts('engineers')).at(-1)).toBe(text('error.in_incident', { number: child, incident: incident.number }));

    // No chat command sets an incident's priority yet: the engineers' service call, as a command would make it.
    const org = sampleDirectory();
    const calendar = new WorkCalendar('Asia/Shanghai', org.org.hospital.workingHours, org.org.hospital.calendar);
    await inUnitOfWork(t.bot.db, { directory: org, clock: t.clock, timeZone: 'Asia/Shanghai', calendar }, ({ incidents }) =>
      incidents.changePriority(incident.number, org.person('huang-jun')!, 'P1', '急诊抢救室也受影响'),
    );
    await t.bot.outbox.drain();
    const children = await t.bot.db.ticket.findMany({ where: { incidentId: incident.id } });
    expect(children.map((c) => c.priority)).toEqual(['P1', 'P1', 'P1']);
    expect((await texts('engineers')).at(-1)).toBe(
      text('incident.priority.changed', { number: incident.number, from: 'P2', to: 'P1', reason: '急诊抢救室也受影响', n: 3 }),
    );
    for (const card of await dispatchCards())
      expect(field(card, '所属故障')).toBe(
        text('ticket.incident.due', { number: incident.number, priority: 'P1', priorityName: text('priority.P1'), due: '11-23 09:15' }),
      );
    const leadership = (await t.transcript('leadership')).find((m) => m.card?.title.includes('🚨'))!;
    expect(leadership.card!.title).toContain('P1 紧急');
    expect((await api(`/api/tickets/${child}`)).incident).toMatchObject({ priority: 'P1' });
  });
});
