import { afterEach, describe, expect, it } from 'vitest';
import type { SimMessage } from '../../adapters/simulator/transcript.js';
import { buttonOf, createTestBot, type TestBot } from '../helpers/bot.js';

const at = (local: string) => new Date(`${local}+08:00`);
const everything = (m: SimMessage) => JSON.stringify(m);

describe('who is on duty, with leave and cover', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  it('names the cover, never the engineer on approved leave, in 值班, escalation and the handover', async () => {
    // 2026-11-23: the rotation puts 王伟 on the 主班; he is on approved leave and 邓超 covers.
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await t.bot.db.approval.create({
      data: {
        number: 'SQ-20261120-001',
        type: 'leave',
        status: 'approved',
        requesterId: 'wang-wei',
        title: '离岗',
        data: { start: '2026-11-23', end: '2026-11-23', reason: '家事', covered: 'deng-chao' },
        sourcePlatform: 'simulator',
        sourceChatId: 'engineers',
        createdAt: at('2026-11-20T09:00:00'),
        decidedAt: at('2026-11-20T10:00:00'),
      },
    });

    // The HIS group's leader 罗欣 is on leave too; 韩梅 covers.
    await t.bot.db.approval.create({
      data: {
        number: 'SQ-20261120-002',
        type: 'leave',
        status: 'approved',
        requesterId: 'luo-xin',
        title: '离岗',
        data: { start: '2026-11-22', end: '2026-11-24', reason: '进修', covered: 'han-mei' },
        sourcePlatform: 'simulator',
        sourceChatId: 'engineers',
        createdAt: at('2026-11-20T09:00:00'),
        decidedAt: at('2026-11-20T10:00:00'),
      },
    });

    // The roster is known without anyone asking first, and the P1's page reaches the cover.
    await t.say('li-na', 'intake', '急诊挂号HIS全院都不能用了，电话8201');
    expect((await t.transcript('user:deng-chao')).at(-1)!.text).toMatch(/^邓工：新报修/);
    expect(await t.transcript('user:wang-wei')).toHaveLength(0);
    await t.advance(16);
    const engineers = (await t.transcript('engineers')).filter((m) => m.from === 'bot');
    expect(engineers.some((m) => m.text?.startsWith('@邓超 ') && m.text.includes('邓工'))).toBe(true);
    expect(engineers.map(everything).join()).not.toMatch(/王伟|王工/);
    const paged = await t.bot.db.ticketEvent.findFirstOrThrow({ where: { type: 'paged' } });
    expect((paged.data as { to: string[] }).to).toEqual(['deng-chao']);
    const escalated = await t.bot.db.ticketEvent.findFirstOrThrow({ where: { type: 'escalated' } });
    expect((escalated.data as { to: string }).to).toBe('han-mei');
    expect(await t.transcript('user:luo-xin')).toHaveLength(0);

    await t.say('han-mei', 'engineers', '值班');
    const roster = (await t.transcript('engineers')).filter((m) => m.card?.title.includes('值班')).at(-1)!;
    const now = roster.card!.fields!.map((f) => f.value).join();
    const today = roster.card!.markdown!.split('\n').find((l) => l.startsWith('11-23'))!;
    expect(now).toContain('邓工');
    expect(today).toContain('邓工');
    expect(`${now}${today}`).not.toMatch(/王伟|王工/);

    // Claimed, so the night is quiet; at 08:00 the 主班 is handed over by whoever covered it.
    const dispatch = (await t.transcript('engineers')).find((m) => m.card?.title.includes('新报修'))!;
    await t.click(dispatch.id, 'han-mei', 'ticket.claim', buttonOf(dispatch, '认领').value);
    await t.advance(23 * 60);
    const handover = await t.bot.db.handover.findFirstOrThrow({ where: { shiftId: 'main', day: '2026-11-23' } });
    expect(handover.fromId).toBe('deng-chao');
    expect((await t.transcript('user:deng-chao')).some((m) => m.card?.title.includes('交接班'))).toBe(true);
    expect((await t.transcript('user:wang-wei')).map(everything).join()).not.toContain('交接班 · 2026-11-23 主班');
  });

  it('fills the roster weeksAhead weeks ahead every night, before anyone asks', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T21:00:00'));
    await t.advance(60); // the first wake: the nightly job starts counting from now
    expect(await t.bot.db.dutyAssignment.count({ where: { date: { gt: '2026-11-24' } } })).toBe(0);
    await t.advance(3 * 60 + 10); // 00:10 on 11-24: the roster.fill job (00:03) ran
    const days = await t.bot.db.dutyAssignment.findMany({ distinct: ['date'], select: { date: true }, orderBy: { date: 'asc' } });
    expect(days.at(-1)!.date).toBe('2026-12-21'); // four weeks from 11-24
    expect(await t.bot.db.scheduledFire.count({ where: { job: 'roster.fill', outcome: 'ran' } })).toBe(1);
  });
});
