import { afterEach, describe, expect, it } from 'vitest';
import { t as text } from '../../bot/i18n/zh.js';
import { buttonOf, createTestBot, type TestBot, reportEach } from '../helpers/bot.js';

const at = (local: string) => new Date(`${local}+08:00`);

describe('an incident in the shift handover', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  /** The pending work on the newest handover card, and who hands over. */
  const handoverWork = async (expected?: string) => {
    const who = (await t.bot.db.handover.findFirstOrThrow({ orderBy: { id: 'desc' } })).fromId;
    if (expected) expect(who).toBe(expected);
    const card = (await t.transcript(`user:${who}`)).filter((m) => m.card?.title.startsWith('交接班')).at(-1)!;
    return card.card!.markdown!.split('\n');
  };

  it('lists the open incident once, in its true state at each handover, instead of its reports', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T07:00:00'));
    await t.advance(1);
    await t.advance(50); // the roster is filled
    await reportEach(t);
    await t.say('he-ping', 'intake', '请问怎么设置打印机默认纸张，不急，资产号PR-0102');
    const incident = await t.bot.db.incident.findFirstOrThrow();
    expect(incident).toMatchObject({ status: 'open', priority: 'P1' });
    const line = (status: string, due: string) =>
      text('handover.pending.line', {
        priority: 'P1',
        number: incident.number,
        title: text('handover.pending.incident', { system: 'HIS', n: 3 }),
        status,
        due,
      });

    // 17:31: the day shift (钱博) hands over; the outage is waiting for a claim.
    await t.advance(10 * 60);
    let work = await handoverWork('qian-bo');
    expect(work[0]).toBe('**待完成工作（2）**');
    expect(work[1]).toBe(line(text('handover.pending.open'), '11-23 08:06'));
    expect(work[2]).toMatch(/^P4 IT-\d{8}-\d{4} /);
    expect(work).toHaveLength(3);

    // Claimed overnight: the night shift (朱林) hands it over as being worked, until its reports' deadline.
    const card = (await t.transcript('engineers')).find((m) => m.card?.title.includes('🚨'))!;
    await t.click(card.id, 'luo-xin', 'incident.claim', buttonOf(card, '认领').value);
    await t.advance(14 * 60 + 30); // 11-24 08:01
    const due = (await t.bot.db.ticket.findFirstOrThrow({ where: { incidentId: incident.id } })).resolveDueAt!;
    work = await handoverWork('zhu-lin');
    expect(work[1]).toBe(line(text('handover.pending.claimed', { name: '罗欣' }), localTime(due)));

    // Resolved, the reporters not yet all confirmed: the next handover still shows it, as resolved.
    await t.say('luo-xin', 'engineers', `解决 ${incident.number} 重启应用服务`);
    const [shared] = (await t.transcript('intake')).filter((m) => m.card?.title.includes('请确认'));
    await t.click(shared!.id, 'zhang-li', 'incident.confirm', buttonOf(shared!, '已解决').value, { rating: '5' });
    await t.advance(9 * 60 + 30); // 11-24 17:31
    work = await handoverWork();
    expect(work).toContain(line(text('handover.pending.resolved', { n: 2 }), '—'));
    expect(work.filter((x) => x.includes('IT-'))).toHaveLength(1);
  });
});

/** A time as the handover shows it (Asia/Shanghai). */
function localTime(d: Date): string {
  const p = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return `${p.slice(5, 10)} ${p.slice(11, 16)}`;
}
