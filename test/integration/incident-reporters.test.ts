import { afterEach, describe, expect, it } from 'vitest';
import { t as text } from '../../bot/i18n/zh.js';
import { statusText } from '../../bot/tickets/status.js';
import { buttonOf, createTestBot, type TestBot, reportEach } from '../helpers/bot.js';

const at = (local: string) => new Date(`${local}+08:00`);

describe('every reporter of an incident is kept told', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const botTexts = async (chat: string) => (await t.transcript(chat)).filter((m) => m.from === 'bot' && m.text).map((m) => m.text!);
  const fromBot = async (chat: string) => (await t.transcript(chat)).filter((m) => m.from === 'bot');
  const incidentCard = async () => (await t.transcript('engineers')).find((m) => m.card?.title.includes('🚨'))!;

  /** Four departments report the HIS outage: three in the intake group, HR in a direct chat with the bot. */
  async function outage() {
    await reportEach(t);
    await t.say('song-jia', 'user:song-jia', '人事科HIS也登不上了');
    return t.bot.db.incident.findFirstOrThrow({ include: { tickets: { orderBy: { id: 'asc' } } } });
  }

  it('answers each of four reporters from four departments at once, naming the incident', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    const incident = await outage();
    expect(incident.tickets.map((x) => x.reporterId)).toEqual(['zhang-li', 'li-na', 'liu-yang', 'song-jia']);
    expect(new Set(incident.tickets.map((x) => x.departmentId)).size).toBe(4);
    const joined = text('incident.joined', { number: incident.number });
    expect(joined).toBe(`已知故障，您的报修已并入 ${incident.number}，处理进展会在此通知`);

    // The three whose reports formed the incident, together in their chat; the later one in hers.
    expect((await botTexts('intake')).filter((x) => x.includes('已知故障'))).toEqual([`@张丽 @李娜 @刘洋 ${joined}`]);
    expect((await botTexts('user:song-jia')).filter((x) => x.includes('已知故障'))).toEqual([`@宋佳 ${joined}`]);

    // A fifth report in the intake group gets its own reply, as it comes in.
    await t.say('he-ping', 'intake', 'HIS进不去了，药房开不了药');
    expect((await botTexts('intake')).at(-1)).toBe(`@何平 ${joined}`);
    expect(await t.bot.db.ticket.count({ where: { incidentId: incident.id } })).toBe(5);
    // The engineers' card, redrawn in place, counts the five reports and names their departments in the order they reported.
    const field = (label: string) => async () => (await incidentCard()).card!.fields?.find((f) => f.label === label)?.value;
    expect(await field(text('incident.field.reports'))()).toBe('5');
    expect(await field(text('incident.field.departments'))()).toBe('门诊部、急诊科、心内科、人事科、药剂科');
  });

  it('tells every affected chat of progress once, by command and from the incident card', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    const incident = await outage();

    const reply = await t.say('luo-xin', 'engineers', `进展 ${incident.number} 正在排查数据库`);
    expect(reply).toBeDefined();
    expect((await botTexts('engineers')).at(-1)).toBe(text('incident.progress.toast', { n: 2 }));
    const first = text('incident.progress.toReporters', { number: incident.number, engineer: '罗工', text: '正在排查数据库' });
    expect((await botTexts('intake')).filter((x) => x.includes('处理进展（'))).toEqual([`@张丽 @李娜 @刘洋 ${first}`]);
    expect((await botTexts('user:song-jia')).filter((x) => x.includes('处理进展（'))).toEqual([`@宋佳 ${first}`]);
    const rows = await t.bot.db.ticketEvent.findMany({ where: { type: 'progress' } });
    expect(rows).toHaveLength(4);
    expect(await t.bot.db.auditLog.count({ where: { action: 'incident.progress', entityId: incident.number } })).toBe(1);

    // Claimed: the card's form carries progress beside the resolution.
    const card = await incidentCard();
    await t.click(card.id, 'luo-xin', 'incident.claim', buttonOf(card, '认领').value);
    const claimed = await incidentCard();
    const done = await t.click(claimed.id, 'luo-xin', 'incident.progress', buttonOf(claimed, '更新进展').value, { text: '已切换备用库' });
    expect(done.toast?.text).toBe(text('incident.progress.toast', { n: 2 }));
    const second = text('incident.progress.toReporters', { number: incident.number, engineer: '罗工', text: '已切换备用库' });
    expect((await botTexts('intake')).at(-1)).toBe(`@张丽 @李娜 @刘洋 ${second}`);
    expect((await botTexts('user:song-jia')).at(-1)).toBe(`@宋佳 ${second}`);

    // Once claimed, only its handler (or a group leader, or the IT director) tells progress.
    await t.say('han-mei', 'engineers', `进展 ${incident.number} 我也在看`);
    expect((await botTexts('engineers')).at(-1)).toBe(text('error.not_assignee', { engineer: '罗工', what: text('ticket.what.progress') }));
    expect((await botTexts('intake')).filter((x) => x.includes('我也在看'))).toEqual([]);
  });

  // Two days of simulated time at its end, every due moment on the way played in turn.
  it('posts one resolution message per affected chat, mentioning its reporters, on which each confirms their own report', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    const incident = await outage();
    const card = await incidentCard();
    await t.click(card.id, 'luo-xin', 'incident.claim', buttonOf(card, '认领').value);
    const intakeBefore = (await fromBot('intake')).length;
    const directBefore = (await fromBot('user:song-jia')).length;

    await t.say('luo-xin', 'engineers', `解决 ${incident.number} 数据库连接池耗尽，已扩容。`);
    expect((await botTexts('engineers')).at(-1)).toBe(text('incident.resolve.toast', { number: incident.number, n: 4 }));
    const resolved = text('incident.resolved.toReporters', { number: incident.number, system: 'HIS', solution: '数据库连接池耗尽，已扩容' });

    // One message in the intake group (three reporters) and one in 宋佳's direct chat: nothing else.
    const intakeNew = (await fromBot('intake')).slice(intakeBefore);
    expect(intakeNew).toHaveLength(1);
    const shared = intakeNew[0]!;
    expect(shared.card!.title).toBe(text('incident.confirm.title', { system: 'HIS', number: incident.number }));
    expect(shared.card!.text).toBe(resolved);
    expect(shared.card!.mentions?.map((x) => x.name)).toEqual(['张丽', '李娜', '刘洋']);
    expect(shared.card!.fields).toContainEqual({ label: '已确认', value: '0/3' });
    const directNew = (await fromBot('user:song-jia')).slice(directBefore);
    expect(directNew).toHaveLength(1);
    expect(directNew[0]!.card!.mentions?.map((x) => x.name)).toEqual(['宋佳']);
    expect(directNew[0]!.card!.fields).toContainEqual({ label: '已确认', value: '0/1' });
    expect(await t.bot.db.ticket.count({ where: { incidentId: incident.id, status: 'resolved' } })).toBe(4);

    // Each reporter answers for their own report; the card keeps the tally in place.
    const confirmed = await t.click(shared.id, 'zhang-li', 'incident.confirm', buttonOf(shared, '已解决').value, { rating: '5' });
    expect(confirmed.toast?.text).toBe(text('incident.confirm.thanks'));
    const mine = await t.bot.db.ticket.findUniqueOrThrow({ where: { id: incident.tickets[0]!.id } });
    expect(mine).toMatchObject({ status: 'closed', closeReason: 'confirmed', rating: 5 });
    const redrawn = () => t.transcript('intake').then((ms) => ms.find((m) => m.id === shared.id)!);
    expect((await redrawn()).card!.fields).toContainEqual({ label: '已确认', value: '1/3' });
    await t.say('zhang-li', 'intake', `确认 ${incident.number} 已解决`);
    expect((await botTexts('intake')).at(-1)).toBe(text('error.incident_already_confirmed', { number: incident.number, status: statusText(mine) }));

    // Someone who reported nothing is refused and changes nothing.
    const stranger = await t.click(shared.id, 'he-ping', 'incident.confirm', buttonOf(shared, '已解决').value);
    expect(stranger.toast?.text).toBe(text('error.not_incident_reporter', { number: incident.number }));
    expect(await t.bot.db.ticket.count({ where: { incidentId: incident.id, status: 'closed' } })).toBe(1);

    // 李娜 says it is still broken: only her report reopens, and its engineer hears it.
    const broken = await t.click(shared.id, 'li-na', 'incident.confirm', buttonOf(shared, '未解决').value, { comment: '挂号还是慢' });
    expect(broken.toast?.text).toBe(text('incident.confirm.reopenedToast', { tickets: incident.tickets[1]!.number }));
    expect((await t.bot.db.ticket.findUniqueOrThrow({ where: { id: incident.tickets[1]!.id } })).status).toBe('claimed');
    expect((await botTexts('engineers')).at(-1)).toContain(incident.tickets[1]!.number);

    // 刘洋 confirms by typing; the card then has nobody left to ask and drops its form.
    await t.say('liu-yang', 'intake', `确认 ${incident.number} 已解决 4`);
    expect((await botTexts('intake')).at(-1)).toBe(text('incident.confirm.thanks'));
    const done = await redrawn();
    expect(done.card!.fields).toEqual([
      { label: '已确认', value: '2/3' },
      { label: '仍有问题', value: '1' },
    ]);
    expect(done.card!.form).toBeUndefined();
    expect(done.card!.note).toBe(text('incident.confirm.done'));

    // 宋佳, who stays silent, is closed by herself after two days: her card says so, no extra message.
    const directCount = (await fromBot('user:song-jia')).length;
    await t.advance(2 * 24 * 60 + 5);
    expect((await t.bot.db.ticket.findUniqueOrThrow({ where: { id: incident.tickets[3]!.id } })).closeReason).toBe('auto');
    const direct = await fromBot('user:song-jia');
    expect(direct).toHaveLength(directCount);
    expect(direct.at(-1)!.card!.fields).toContainEqual({ label: '超时自动关闭', value: '1' });
  }, 60_000);
});
