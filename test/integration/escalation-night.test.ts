import { afterEach, describe, expect, it } from 'vitest';
import type { SimMessage } from '../../adapters/simulator/transcript.js';
import { createTestBot, type TestBot } from '../helpers/bot.js';

const at = (local: string) => new Date(`${local}+08:00`);
const numberIn = (m: SimMessage) => /IT-\d{8}-\d{4}/.exec(m.card?.title ?? m.text ?? '')![0];

describe('a night of escalations, by priority', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const botMessages = async (chat: string) => (await t.transcript(chat)).filter((m) => m.from === 'bot');
  const about = (number: string) => (m: SimMessage) => (m.text ?? '').includes(number) || (m.card?.title ?? '').includes(number);
  const report = async (reporter: string, text: string) => {
    await t.say(reporter, 'intake', text);
    return numberIn((await t.transcript('intake')).filter((m) => m.card?.title.includes('工单 IT-')).at(-1)!);
  };

  it('waits for the morning with a P4 and a P3, and takes an unclaimed P1 up to the leadership group on one card', async () => {
    // Monday 2026-11-23: 王伟 holds the 主班 until Tuesday 08:00, then 朱林.
    t = await createTestBot({}, undefined, at('2026-11-23T18:10:00'));
    const p4 = await report('he-ping', '请问怎么设置打印机默认纸张？不急，资产号PR-0102');
    const p3 = await report('zhang-li', '我这台电脑的医生工作站打不开，别人的都正常，资产号PC-0231，电话8123');
    const priorities = async () => (await t.bot.db.ticket.findMany({ orderBy: { id: 'asc' } })).map((x) => x.priority);
    expect(await priorities()).toEqual(['P4', 'P3']);

    await t.advance(4 * 60 + 50); // 23:00
    const p1 = await report('li-na', '急诊挂号HIS全院都不能用了，电话8201');
    expect(await priorities()).toEqual(['P4', 'P3', 'P1']);
    // The duty engineer is told directly at once.
    expect((await t.transcript('user:wang-wei')).filter(about(p1))).toHaveLength(1);
    for (let i = 0; i < 8; i++) await t.advance(15); // to 01:00, nobody claims
    expect((await t.transcript('user:luo-xin')).filter(about(p1)).length).toBeGreaterThan(0); // the HIS group's leader
    expect((await t.transcript('user:huang-jun')).filter(about(p1))[0]!.text).toMatch(/^黄主任：/);
    expect((await botMessages('leadership')).filter(about(p1))).toHaveLength(1);

    await t.advance(6 * 60 + 45); // 07:45: nothing for the P4 and the P3 before working hours
    const quiet = [...(await botMessages('engineers')), ...(await t.transcript('user:wang-wei')), ...(await t.transcript('user:zhu-lin'))];
    expect(quiet.filter(about(p4))).toHaveLength(1); // its dispatch card only
    expect(quiet.filter(about(p3))).toHaveLength(1);
    expect(await t.bot.db.ticketEvent.count({ where: { type: 'escalated', ticket: { number: { in: [p3, p4] } } } })).toBe(0);

    await t.advance(45); // 08:30
    const events = async (number: string) =>
      (await t.bot.db.ticketEvent.findMany({ where: { type: 'escalated', ticket: { number } }, orderBy: { id: 'asc' } })).map((e) => e.data as { to: string });
    expect(await events(p4)).toEqual([]); // due a working day after it came in
    expect((await events(p3)).map((e) => e.to)).toEqual(['zhu-lin']); // 08:00, the morning's duty engineer
    expect((await events(p1)).map((e) => e.to).slice(0, 3)).toEqual(['luo-xin', 'huang-jun', 'leadership']);

    // One escalation card per ticket in the engineers' group, redrawn in place, and a quiet group.
    const engineers = await botMessages('engineers');
    const escalationCards = engineers.filter((m) => m.card?.title.startsWith('⏰'));
    expect(escalationCards.map(numberIn).sort()).toEqual([p1, p3].sort());
    const refs = await t.bot.db.messageRef.findMany({ where: { kind: 'escalation' } });
    expect(refs.map((r) => r.entityId).sort()).toEqual([p1, p3].sort());
    const p1Card = escalationCards.find(about(p1))!;
    expect(p1Card.updatedAt).not.toBe(p1Card.createdAt);
    expect(p1Card.card!.mentions?.[0]?.name).toBe('黄军');
    expect(engineers.filter((m) => m.card?.title.startsWith('新报修'))).toHaveLength(3);
    expect(engineers.length).toBeLessThan(15);
  });

  it('plays a night in one clock move as it would have gone: each step at its time, the last person asked ever less often', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T23:00:00'));
    const p1 = await report('li-na', '急诊挂号HIS全院都不能用了，电话8201');
    await t.advance(9 * 60 + 30); // one move, to 08:30
    const local = (m: SimMessage) => new Date(new Date(m.createdAt).getTime() + 8 * 3600_000).toISOString().slice(11, 16);
    const times = async (chat: string) =>
      (await t.transcript(chat))
        .filter((m) => m.from === 'bot')
        .filter(about(p1))
        .map(local);
    expect(await times('user:wang-wei')).toEqual(['23:00']); // paged at once
    expect(await times('user:luo-xin')).toEqual(['23:15']); // the group leader, at the deadline
    // The director 15 minutes later, then reminded after 30 minutes, 1, 2 and 4 hours: five messages in the night.
    expect(await times('user:huang-jun')).toEqual(['23:30', '00:30', '01:30', '03:30', '07:30']);
    expect(await times('leadership')).toEqual(['00:00']);
  });

  it('pages the duty engineer at once when an open ticket is raised to P1, as a P1 report would', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T10:00:00'));
    const p3 = await report('zhang-li', '我这台电脑的医生工作站打不开，别人的都正常，资产号PC-0231，电话8123');
    const duty = async () => (await t.transcript('user:wang-wei')).filter(about(p3));
    expect(await duty()).toHaveLength(0);
    await t.say('luo-xin', 'engineers', `优先级 ${p3} P1 整个门诊都打不开`);
    expect((await duty()).map((m) => m.text)).toHaveLength(1);
    expect(await t.bot.db.ticketEvent.count({ where: { type: 'paged', ticket: { number: p3 } } })).toBe(1);
  });
});
