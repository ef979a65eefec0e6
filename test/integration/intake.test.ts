import { afterEach, describe, expect, it } from 'vitest';
import { t as text } from '../../bot/i18n/zh.js';
import { API_TOKEN, buttonOf, createTestBot, type TestBot } from '../helpers/bot.js';

const at = (local: string) => new Date(`${local}+08:00`);

/** Every message in an intake chat ends as exactly one visible outcome (README: how intake reads a message). */
describe('intake: one visible outcome per message', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const tickets = () => t.bot.db.ticket.findMany({ orderBy: { id: 'asc' } });
  const botSays = async (chat: string) => (await t.transcript(chat)).filter((m) => m.from === 'bot');
  const lastText = async (chat: string) => (await botSays(chat)).filter((m) => m.text).at(-1)?.text;
  const api = async (url: string) => (await t.bot.app.inject({ url, headers: { authorization: `Bearer ${API_TOKEN}` } })).json();

  it('lets thanks, greetings, laughter and talk among colleagues create nothing and page nobody', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T08:10:00'));
    const chatter = [
      '谢谢信息科',
      '好的，谢谢王工',
      '收到👌',
      '早上好！',
      '哈哈哈哈',
      '今天下午开会吗？',
      '明天开会记得带笔记本电脑',
      '辛苦了各位',
      '王工修得真快，电脑现在好用多了',
    ];
    for (const text of chatter) await t.say('zhang-li', 'intake', text);
    expect(await t.bot.db.ticket.count()).toBe(0);
    expect(await botSays('intake')).toEqual([]);
    expect(await botSays('engineers')).toEqual([]);
    // Addressed directly, the bot answers with how to report.
    await t.say('zhang-li', 'user:zhang-li', '谢谢');
    expect(await lastText('user:zhang-li')).toBe(text('chat.notAReport'));
    // Called by name alone in the group, it says how to report, and creates nothing.
    await t.say('zhang-li', 'intake', '@信息科助手');
    expect((await botSays('intake')).map((m) => m.text)).toEqual([text('chat.notAReport')]);
    expect(await t.bot.db.ticket.count()).toBe(0);
  });

  it('turns a short urgent report from someone with an open ticket into its own ticket and dispatches it', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await t.say('li-na', 'intake', '打印机卡纸了，资产号PR-0102');
    await t.say('li-na', 'intake', '手术室麻醉系统卡死了');
    const [printer, anesthesia] = await tickets();
    expect(printer).toMatchObject({ system: '打印机', assetNumber: 'PR-0102' });
    expect(anesthesia).toMatchObject({ system: '手麻系统', priority: 'P1' });
    expect((await t.card('engineers', anesthesia!.number)).card!.title).toBe(
      text('ticket.dispatch.title', { number: anesthesia!.number, priority: 'P1', priorityName: text('priority.P1') }),
    );
  });

  it('makes a complete second report about another device a ticket of its own, leaving the first untouched', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await t.say('he-ping', 'intake', '门诊药房1楼电脑开不了机，资产号PC-0231');
    await t.advance(5);
    await t.say('he-ping', 'intake', '另外住院药房2楼那台电脑也开不了机，资产号PC-0555');
    const [first, second] = await tickets();
    expect(first).toMatchObject({ assetNumber: 'PC-0231', description: '门诊药房1楼电脑开不了机，资产号PC-0231' });
    expect(second).toMatchObject({ assetNumber: 'PC-0555', status: 'open' });
    expect((await botSays('engineers')).filter((m) => m.card?.title.startsWith('新报修'))).toHaveLength(2);
  });

  it('takes a question about another system hours later as a request of its own, however busy the first ticket was', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await t.say('tang-wei', 'intake', 'HIS登不上了');
    const [his] = await tickets();
    await t.say('wang-wei', 'engineers', `备注 ${his!.number} 正在查`);
    await t.advance(300);
    await t.say('tang-wei', 'intake', '请问打印机怎么设置双面打印，不急');
    const [, question] = await tickets();
    expect(question).toMatchObject({ system: '打印机', priority: 'P4', awaiting: null });
    expect((await t.bot.db.ticket.findUniqueOrThrow({ where: { id: his!.id } })).description).toBe('HIS登不上了');
  });

  it('fills the asked-for asset and a full-width phone into the ticket, and says which ticket and what', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await t.say('liu-yang', 'intake', '心内科医生办公室电脑蓝屏了');
    // Past the 30 minutes the bot waits for its question: the continue window still holds.
    await t.advance(40);
    await t.say('liu-yang', 'intake', '资产号pc1100');
    await t.advance(40);
    await t.say('liu-yang', 'intake', '电话：１３９１２３４５６７８');
    const [only, ...rest] = await tickets();
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ assetNumber: 'PC-1100', phone: '13912345678', awaiting: null });
    expect(await lastText('intake')).toBe(`@刘洋 ${text('ticket.filled', { number: only!.number, items: `${text('ticket.field.phone')} 13912345678` })}`);
    const listed = await api('/api/tickets');
    expect(listed.tickets[0]).toMatchObject({ number: only!.number, assetNumber: 'PC-1100', phone: '13912345678', systemId: 'pc' });
    const dispatch = await t.card('engineers', only!.number);
    expect(dispatch.card!.fields).toContainEqual({ label: '资产号', value: 'PC-1100' });
  });

  it('keeps "still broken" and urging on the ticket and tells the engineer on it', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await t.say('zhou-min', 'intake', 'LIS审核报告的时候卡死，分机8401');
    const [lis] = await tickets();
    const dispatch = await t.card('engineers', lis!.number);
    await t.click(dispatch.id, 'han-mei', 'ticket.claim', buttonOf(dispatch, '认领').value);
    await t.advance(40);
    await t.say('zhou-min', 'intake', '重启了还是不行');
    await t.advance(10);
    await t.say('zhou-min', 'intake', '麻烦快点，标本都堆着');
    expect(await t.bot.db.ticket.count()).toBe(1);
    const engineers = (await botSays('engineers')).filter((m) => m.text).map((m) => m.text);
    expect(engineers).toContain(`@韩梅 ${text('ticket.stillBroken.notify', { number: lis!.number, text: '重启了还是不行' })}`);
    expect((await t.bot.db.ticket.findUniqueOrThrow({ where: { id: lis!.id } })).description).toContain('麻烦快点，标本都堆着');
  });

  it('creates a ticket when it cannot tell, and folds it into the earlier one with one click by the reporter', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await t.say('chen-jing', 'intake', '门诊2楼3诊室有个东西坏了，分机8100');
    // The question which system it is has lapsed (30 minutes); a message naming one may be either.
    await t.advance(40);
    await t.say('chen-jing', 'intake', 'HIS也登不上');
    const [first, second] = await tickets();
    expect(second).toMatchObject({ system: 'HIS', status: 'open' });
    const offer = await t.card('intake', `${second!.number} 是否为补充`);
    const merge = buttonOf(offer, `这是补充，并入 ${first!.number}`);
    const refused = await t.click(offer.id, 'zhang-li', merge.action, merge.value);
    expect(refused.toast?.text).toBe(text('error.not_own_ticket', { number: second!.number, reporter: '陈静', what: text('ticket.what.merge') }));
    const done = await t.click(offer.id, 'chen-jing', merge.action, merge.value);
    expect(done.toast?.text).toBe(text('ticket.merge.done', { number: second!.number, into: first!.number }));
    const [kept, merged] = await tickets();
    expect(merged).toMatchObject({ status: 'closed', closeReason: 'duplicate' });
    expect(kept).toMatchObject({ status: 'open', system: 'HIS', description: '门诊2楼3诊室有个东西坏了，分机8100\nHIS也登不上' });
    expect((await t.card('intake', `${second!.number} 是否为补充`)).card!.buttons).toEqual([]);
    const again = await t.click(offer.id, 'chen-jing', merge.action, merge.value);
    expect(again.outcome).toBe('duplicate');
    expect(merged).toMatchObject({ duplicateOf: first!.number });
    expect((await t.card('intake', `工单 ${second!.number}`)).card!.fields).toContainEqual({
      label: text('ticket.field.status'),
      value: text('ticket.close.duplicate', { of: first!.number }),
    });
    // Typed merges: never a ticket into itself, never into another reporter's.
    await t.say('li-na', 'intake', '打印机卡纸了，资产号PR-0102');
    const other = (await tickets()).at(-1)!;
    await t.say('chen-jing', 'intake', `并入 ${first!.number} ${first!.number}`);
    expect(await lastText('intake')).toBe(text('error.not_possible', { reason: text('ticket.merge.itself', { number: first!.number }) }));
    await t.say('chen-jing', 'intake', `并入 ${first!.number} ${other.number}`);
    expect(await lastText('intake')).toBe(text('error.not_own_ticket', { number: other.number, reporter: '李娜', what: text('ticket.what.mergeInto') }));
    expect((await t.bot.db.ticket.findUniqueOrThrow({ where: { id: other.id } })).description).toBe('打印机卡纸了，资产号PR-0102');
  });

  it('acts only on the ticket a message names, and only on the sender’s own', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await t.say('zhang-li', 'intake', '门诊3楼打印机卡纸，资产号PR-0231');
    await t.say('li-na', 'intake', '急诊分诊台电脑蓝屏，资产号PC-0456');
    const [zhang, lina] = await tickets();
    await t.say('li-na', 'intake', `${zhang!.number} 好了`);
    expect(await lastText('intake')).toBe(text('error.not_own_ticket', { number: zhang!.number, reporter: '张丽', what: text('ticket.what.addOrEnd') }));
    expect((await tickets()).map((x) => x.status)).toEqual(['open', 'open']);
    // Her own earlier ticket, resolved: 好了 naming it confirms that one, not the newer one.
    await t.say('wang-wei', 'engineers', `解决 ${lina!.number} 重装了显卡驱动`);
    await t.say('li-na', 'intake', '急诊分诊台打印机不出纸，资产号PR-0777');
    await t.say('li-na', 'intake', `${lina!.number} 好了 谢谢`);
    const [, confirmed, newer] = await tickets();
    expect(confirmed).toMatchObject({ status: 'closed', closeReason: 'confirmed' });
    expect(newer).toMatchObject({ status: 'open' });
    await t.say('li-na', 'intake', `补充 ${lina!.number} 电话13912345678`);
    expect(await lastText('intake')).toBe(
      text('error.ticket_not_open', { number: lina!.number, status: text('ticket.close.confirmed'), what: text('ticket.what.addInfo') }),
    );
    expect((await t.bot.db.ticket.findUniqueOrThrow({ where: { id: lina!.id } })).phone).not.toBe('13912345678');
  });

  it('asks once how far an unclear fault reaches and re-prioritises on the answer, deadlines with it', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await t.say('liu-yang', 'intake', '我们这边HIS登不上了');
    const [his] = await tickets();
    const minutesToRespond = (x: { createdAt: Date; responseDueAt: Date }) => Math.round((x.responseDueAt.getTime() - x.createdAt.getTime()) / 60_000);
    expect(his).toMatchObject({ priority: 'P3' });
    expect(minutesToRespond(his!)).toBe(120);
    const ask = await t.card('intake', `${his!.number} 影响范围`);
    expect(ask.card!.buttons.map((b) => b.label)).toEqual(['只有我这台', '整个科室都不能用', '多个科室']);
    const res = await t.click(ask.id, 'liu-yang', 'ticket.scope', buttonOf(ask, '整个科室都不能用').value);
    expect(res.toast?.text).toBe(
      text('ticket.scope.thanks', { number: his!.number, scope: text('ticket.scope.department'), priority: 'P2', priorityName: text('priority.P2') }),
    );
    const after = await t.bot.db.ticket.findUniqueOrThrow({ where: { id: his!.id }, include: { events: true } });
    expect(after).toMatchObject({ priority: 'P2', awaiting: null });
    expect(minutesToRespond(after)).toBe(30);
    expect(after.events.find((e) => e.type === 'scope_answered')?.data).toMatchObject({ scope: 'department', from: 'P3', to: 'P2' });
    expect((await t.card('intake', `${his!.number} 影响范围`)).card!.buttons).toEqual([]);
    expect((await t.card('engineers', his!.number)).card!.title).toBe(
      text('ticket.dispatch.title', { number: his!.number, priority: 'P2', priorityName: text('priority.P2') }),
    );
    const again = await t.click(ask.id, 'liu-yang', 'ticket.scope', buttonOf(ask, '多个科室').value);
    expect(again.toast?.text).toBe(text('error.not_possible', { reason: text('ticket.scope.alreadyAnswered', { number: his!.number }) }));
    expect((await tickets())[0]!.priority).toBe('P2');
  });

  it('takes a typed answer to the scope question too', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await t.say('zhou-min', 'intake', '我们这边LIS打不开');
    await t.say('zhou-min', 'intake', '多个科室都这样');
    const [lis, ...rest] = await tickets();
    expect(rest).toEqual([]);
    expect(lis).toMatchObject({ priority: 'P1' });
  });

  it('lets the reporter end their ticket in their own words: fixed, fixed myself, still broken after the fix, no need', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await t.say('ma-li', 'intake', '收费处打印机卡纸，资产号PR-0720');
    await t.say('ma-li', 'intake', '我自己弄好了，谢谢');
    expect((await tickets())[0]).toMatchObject({ status: 'closed', closeReason: 'self_solved' });

    await t.advance(60);
    await t.say('ma-li', 'intake', '收费处电脑蓝屏，资产号PC-0720');
    const pc = (await tickets())[1]!;
    await t.say('wang-wei', 'engineers', `认领 ${pc.number}`);
    await t.say('wang-wei', 'engineers', `解决 ${pc.number} 更新了显卡驱动`);
    const confirm = await t.card('intake', `请确认 ${pc.number}`);
    await t.bot.app.inject({
      method: 'POST',
      url: '/simulator/api/messages',
      payload: { chatId: 'intake', userId: 'ma-li', text: '还是不行', replyTo: confirm.id },
    });
    expect(await t.bot.db.ticket.findUniqueOrThrow({ where: { id: pc.id } })).toMatchObject({ status: 'claimed', resolvedAt: null });
    expect(await lastText('intake')).toBe(`@马莉 ${text('ticket.confirm.reopened', { number: pc.number })}`);
    await t.say('ma-li', 'intake', '现在能用了，不用过来了');
    expect(await t.bot.db.ticket.findUniqueOrThrow({ where: { id: pc.id } })).toMatchObject({ status: 'closed', closeReason: 'self_solved' });

    await t.advance(60);
    await t.say('ma-li', 'intake', '收费处键盘有两个键失灵');
    await t.say('ma-li', 'intake', '不用修了，明天换新的');
    expect((await tickets())[2]).toMatchObject({ status: 'closed', closeReason: 'cancelled' });
    expect(await t.bot.db.ticket.count()).toBe(3);
  });

  it('shows the incident of a ticket in the API and lets the ticket follow its priority', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    for (const who of ['zhang-li', 'chen-jing', 'li-na']) await t.say(who, 'intake', 'HIS打不开了');
    const incident = await t.bot.db.incident.findFirstOrThrow();
    expect(incident.priority).toBe('P2');
    const listed = await api('/api/tickets');
    for (const ticket of listed.tickets) expect(ticket.incident).toEqual({ number: incident.number, priority: incident.priority, status: 'open' });
    const one = await api(`/api/tickets/${listed.tickets[0].number}`);
    expect(one.incident).toEqual({ number: incident.number, priority: incident.priority, status: 'open' });
    expect(listed.tickets.every((x: { priority: string }) => x.priority === incident.priority)).toBe(true);
    // The engineers raise the incident: every report in it follows.
    await t.say('luo-xin', 'engineers', `优先级 ${incident.number} P1 门诊急诊都停了`);
    expect((await tickets()).map((x) => x.priority)).toEqual(['P1', 'P1', 'P1']);
    expect((await api('/api/tickets')).tickets[0].incident).toMatchObject({ number: incident.number, priority: 'P1' });
  });
});
