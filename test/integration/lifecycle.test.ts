import { afterEach, describe, expect, it } from 'vitest';
import type { SimMessage } from '../../adapters/simulator/transcript.js';
import { t as text } from '../../bot/i18n/zh.js';
import { buttonOf, createTestBot, type TestBot, reportEach } from '../helpers/bot.js';
import { sampleDirectory } from '../helpers/db.js';

const at = (local: string) => new Date(`${local}+08:00`);
const numberIn = (m: SimMessage) => /IT-\d{8}-\d{4}/.exec(m.card?.title ?? m.text ?? '')![0];

describe('the ticket lifecycle in the simulator', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const texts = async (chat: string) => (await t.transcript(chat)).filter((m) => m.from === 'bot' && m.text).map((m) => m.text!);
  const cards = async (chat: string, fragment: string) => (await t.transcript(chat)).filter((m) => m.card?.title.includes(fragment));
  const ticket = (number: string) => t.bot.db.ticket.findUniqueOrThrow({ where: { number } });

  /** Reports, then claims as `engineer`; returns the number and the dispatch card. */
  async function reportAndClaim(text: string, reporter = 'zhang-li', engineer = 'wang-wei') {
    await t.say(reporter, 'intake', text);
    const dispatch = (await cards('engineers', '新报修')).at(-1)!;
    const number = numberIn(dispatch);
    await t.click(dispatch.id, engineer, 'ticket.claim', buttonOf(dispatch, '认领').value);
    return { number, dispatchId: dispatch.id };
  }
  const dispatchCard = async (id: string) => (await t.transcript('engineers')).find((m) => m.id === id)!;

  it('merges a P1 outage of twenty reports from five departments into one incident, resolved once', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    const people = ['zhang-li', 'li-na', 'liu-yang', 'zhou-min', 'zheng-hao', 'chen-jing', 'zhao-gang', 'sun-hong', 'wu-qiang', 'feng-lei'];
    const more = ['he-ping', 'xu-hui', 'gao-yan', 'lin-tao', 'guo-fang', 'ma-li', 'tang-wei', 'song-jia', 'qin-guo', 'jiang-hua'];
    const phrases = ['HIS打不开了', 'his一直转圈，挂不了号', 'HIS登不上，病人在排队', '医生站进不去了！！', 'HIS报错了，开不了医嘱'];
    for (let i = 0; i < 20; i++) await t.say([...people, ...more][i]!, 'intake', `${phrases[i % phrases.length]}，电话${8100 + i}`);

    const incidents = await t.bot.db.incident.findMany({ include: { tickets: true } });
    expect(incidents).toHaveLength(1);
    const [incident] = incidents;
    expect(incident).toMatchObject({ status: 'open', priority: 'P1', system: 'HIS' });
    expect(incident!.tickets).toHaveLength(20);
    expect(new Set(incident!.tickets.map((x) => x.departmentId)).size).toBe(11);

    // Every reporter is told at once that their report joined the outage: the three whose reports
    // opened it together, each later one in a reply of their own. Engineers and leadership get one incident card.
    const known = (await t.transcript('intake')).filter((m) => m.from === 'bot' && m.text?.includes('已知故障'));
    expect(known).toHaveLength(18);
    for (const m of known) expect(m.text).toContain(text('incident.joined', { number: incident!.number }));
    const mentioned = (m: SimMessage) => [...m.text!.matchAll(/@(\S+) /g)].map((x) => x[1]);
    const names = incident!.tickets.map((x) => sampleDirectory().person(x.reporterId)!.name);
    expect(known.flatMap(mentioned).sort()).toEqual(names.sort());
    expect(await cards('engineers', '🚨 故障')).toHaveLength(1);
    expect(await cards('leadership', '🚨 故障')).toHaveLength(1);
    // The reports dispatched before the incident opened no longer offer a claim of their own.
    for (const early of await cards('engineers', '新报修')) {
      expect(early.card!.buttons).toEqual([]);
      expect(early.card!.note).toBe(text('ticket.note.incident', { incident: incident!.number }));
    }

    const [incidentCard] = await cards('engineers', '🚨 故障');
    expect(incidentCard!.card!.fields).toContainEqual({ label: '报修数', value: '20' });
    await t.click(incidentCard!.id, 'luo-xin', 'incident.claim', buttonOf(incidentCard!, '认领').value);
    expect(await t.bot.db.ticket.count({ where: { incidentId: incident!.id, status: 'claimed', assigneeId: 'luo-xin' } })).toBe(20);

    const claimedCard = (await cards('engineers', '🚨 故障'))[0]!;
    const resolved = await t.click(claimedCard.id, 'luo-xin', 'incident.resolve', buttonOf(claimedCard, '解决').value, {
      text: '数据库连接池耗尽，已扩容并重启应用服务',
    });
    expect(resolved.toast?.text).toBe(text('incident.resolve.toast', { number: incident!.number, n: 20 }));
    expect(await t.bot.db.ticket.count({ where: { status: 'resolved', solution: '数据库连接池耗尽，已扩容并重启应用服务' } })).toBe(20);
    // One resolution message for the intake group, mentioning all twenty, on which each confirms their own report.
    const resolution = (await t.transcript('intake')).filter((m) => m.from === 'bot' && m.card?.text?.includes('故障已恢复'));
    expect(resolution).toHaveLength(1);
    expect(resolution[0]!.card!.mentions!.map((x) => x.name).sort()).toEqual(names.sort());
    expect(resolution[0]!.card!.fields).toContainEqual({ label: '已确认', value: '0/20' });
    expect((await texts('intake')).filter((x) => x.includes('故障已恢复') || x.includes('已处理完毕'))).toEqual([]);
    expect(await cards('intake', '请确认')).toHaveLength(1);
    expect((await cards('leadership', '🚨 故障'))[0]!.card!.color).toBe('green');
  });

  it('gives a P4 question asked the evening before National Day until the first working day, and escalates only within working hours', async () => {
    t = await createTestBot({}, undefined, at('2026-09-30T20:00:00'));
    await t.say('he-ping', 'intake', '请问怎么设置打印机默认纸张？不急，资产号PR-0102');
    const [card] = await cards('intake', '工单 IT-');
    const number = numberIn(card!);
    expect(card!.card!.fields).toContainEqual({ label: '优先级', value: 'P4 低，1 个工作日内响应（10-08 17:30 前）' });
    expect((await ticket(number)).responseDueAt).toEqual(at('2026-10-08T17:30:00'));

    for (let day = 0; day < 7; day++) await t.advance(24 * 60); // through the holiday to 10-07 20:00
    expect(await cards('engineers', '⏰')).toHaveLength(0);
    await t.advance(22 * 60); // 10-08 18:00: late, but out of working hours
    expect(await cards('engineers', '⏰')).toHaveLength(0);
    expect(await t.transcript('user:wang-wei')).toHaveLength(0);
    await t.advance(14 * 60 + 30); // 10-09 08:30
    const [escalation] = await cards('engineers', '⏰ 响应超时');
    expect(escalation!.card!.mentions).toEqual([{ platformUserId: 'wang-wei', name: '王伟' }]);
    expect(escalation!.card!.note).toBe(text('ticket.escalation.note', { late: '14.5 小时', level: 1, target: '王工' }));
    expect((await t.transcript('user:wang-wei')).at(-1)!.text).toContain(number);
  });

  it('pages the duty engineer of a P1 at once, then asks the group leader and the IT director on one card, until someone claims', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T10:00:00'));
    await t.say('li-na', 'intake', '急诊挂号HIS全院都不能用了，电话8201');
    const number = numberIn((await cards('intake', '工单 IT-'))[0]!);
    expect((await t.transcript('user:wang-wei')).at(-1)!.text).toBe(
      text('ticket.escalation.page', { call: '王工', number, priority: 'P1', priorityName: '紧急', title: (await ticket(number)).title, within: '15 分钟' }),
    );
    expect((await texts('engineers')).at(-1)).toBe(`@王伟 ${text('ticket.escalation.pageGroup', { number, priorityName: '紧急', call: '王工' })}`);
    await t.advance(14);
    expect(await cards('engineers', '⏰')).toHaveLength(0);
    await t.advance(2);
    expect((await cards('engineers', '⏰ 响应超时'))[0]!.card!.mentions?.[0]?.name).toBe('罗欣');
    expect((await t.transcript('user:luo-xin')).at(-1)!.text).toContain(number);
    await t.advance(15);
    const escalations = await cards('engineers', '⏰ 响应超时');
    expect(escalations).toHaveLength(1);
    expect(escalations[0]!.card!.mentions?.[0]?.name).toBe('黄军');
    expect(escalations[0]!.card!.note).toBe(text('ticket.escalation.note', { late: '15 分钟', level: 2, target: '黄主任' }));
    expect((await t.transcript('user:huang-jun')).at(-1)!.text).toMatch(/^黄主任：/);

    // A claim from the escalation card itself stops the reminders; every card of the ticket shows it.
    await t.click(escalations[0]!.id, 'han-mei', 'ticket.claim', buttonOf(escalations[0]!, '认领').value);
    await t.advance(15);
    await t.advance(15);
    expect(await cards('engineers', '⏰ 响应超时')).toHaveLength(1);
    for (const m of await cards('engineers', number)) expect(m.card!.note).toBe(text('ticket.note.claimed', { engineer: '韩工', minutes: 31 }));
    const events = await t.bot.db.ticketEvent.findMany({ where: { type: { in: ['paged', 'escalated'] } }, orderBy: { id: 'asc' } });
    expect(events.map((e) => (e.data as { to: string | string[] }).to)).toEqual([['wang-wei'], 'luo-xin', 'huang-jun']);
  });

  it('reopens when the reporter says it is not solved, and records the rating when it is', async () => {
    t = await createTestBot();
    const { number, dispatchId } = await reportAndClaim('门诊3楼212诊室打印机卡纸，资产号PC-0231');
    let work = await dispatchCard(dispatchId);
    await t.click(work.id, 'wang-wei', 'ticket.resolve', buttonOf(work, '解决').value, { text: '清理卡纸，更换搓纸轮', parts: '搓纸轮×1' });
    const confirm = (await cards('intake', '请确认'))[0]!;
    expect(confirm.card!.fields).toContainEqual({ label: '解决方案', value: '清理卡纸，更换搓纸轮' });

    const stranger = await t.click(confirm.id, 'li-na', 'ticket.confirm', buttonOf(confirm, '未解决').value, { comment: '' });
    expect(stranger).toMatchObject({ outcome: 'refused', toast: { text: text('error.not_reporter', { reporter: '张丽', number }) } });

    await t.click(confirm.id, 'zhang-li', 'ticket.confirm', buttonOf(confirm, '未解决').value, { comment: '还是卡纸' });
    expect(await ticket(number)).toMatchObject({ status: 'claimed', resolvedAt: null });
    expect((await texts('engineers')).at(-1)).toBe(`@王伟 ${text('ticket.reopen.notify', { number, comment: '（还是卡纸）' })}`);

    work = await dispatchCard(dispatchId);
    await t.click(work.id, 'wang-wei', 'ticket.resolve', buttonOf(work, '解决').value, { text: '更换定影组件' });
    const second = (await cards('intake', '请确认')).at(-1)!;
    const rated = await t.click(second.id, 'zhang-li', 'ticket.confirm', buttonOf(second, '已解决').value, { rating: '4', comment: '师傅很耐心' });
    expect(rated.toast?.text).toBe(text('ticket.confirm.thanks'));
    expect(await ticket(number)).toMatchObject({ status: 'closed', closeReason: 'confirmed', rating: 4, ratingComment: '师傅很耐心' });
    const intakeCard = (await cards('intake', '工单 IT-'))[0]!;
    expect(intakeCard.card!.fields).toContainEqual({ label: '评价', value: '★★★★☆ 师傅很耐心' });
    const timeline = await t.bot.db.ticketEvent.findMany({ where: { ticket: { number } }, orderBy: { id: 'asc' } });
    expect(timeline.map((e) => e.type)).toEqual(['created', 'claimed', 'parts', 'resolved', 'reopened', 'resolved', 'confirmed']);
    expect(await t.bot.db.auditLog.count({ where: { entityId: number } })).toBe(7);
  });

  it('asks for what is missing and fills the ticket from the answer and its screenshot', async () => {
    t = await createTestBot();
    await t.say('liu-yang', 'intake', '心内科医生办公室电脑蓝屏了');
    expect((await texts('intake')).at(-1)).toBe(`@刘洋 ${text('ticket.missing.hint', { items: text('ticket.missing.asset') })}`);
    const png = `data:image/png;base64,${Buffer.from('89504e470d0a1a0a', 'hex').toString('base64')}`;
    const res = await t.bot.app.inject({
      method: 'POST',
      url: '/simulator/api/messages',
      payload: { chatId: 'intake', userId: 'liu-yang', text: '资产号 PC 1100', images: [{ name: '蓝屏.png', dataUrl: png }] },
    });
    expect(res.statusCode).toBe(200);
    const number = numberIn((await cards('intake', '工单 IT-'))[0]!);
    expect(await ticket(number)).toMatchObject({ assetNumber: 'PC-1100', awaiting: null });
    expect((await texts('intake')).at(-1)).toBe(
      `@刘洋 ${text('ticket.filled', { number, items: `${text('ticket.field.asset')} PC-1100，${text('ticket.filled.images', { n: 1 })}` })}`,
    );
    const dispatch = (await cards('engineers', number))[0]!;
    expect(dispatch.card!.fields).toEqual(
      expect.arrayContaining([
        { label: '资产号', value: 'PC-1100' },
        { label: '截图', value: '1 张' },
      ]),
    );
    expect(await t.bot.db.attachment.findMany({ where: { ticket: { number } } })).toMatchObject([{ status: 'stored', size: 8, mime: 'image/png' }]);
    expect(await t.bot.db.ticket.count()).toBe(1);
  });

  it('offers the SOP article and closes as self-solved when the reporter says it works again', async () => {
    t = await createTestBot();
    await t.say('he-ping', 'intake', '门诊药房打印机卡纸了，资产号PR-0001');
    const card = (await cards('intake', '工单 IT-'))[0]!;
    expect(card.card!.markdown).toContain('**先试试：打印机卡纸**');
    expect(card.card!.buttons.map((b) => b.label)).toEqual(['问题已解决']);
    await t.say('he-ping', 'intake', '好了！');
    const number = numberIn(card);
    expect(await ticket(number)).toMatchObject({ status: 'closed', closeReason: 'self_solved' });
    expect((await cards('intake', number))[0]!.card!.fields).toContainEqual({ label: '状态', value: '已关闭（报修人自行解决）' });
  });

  it('closes a resolved ticket nobody confirms after two days, and says so', async () => {
    t = await createTestBot();
    const { number } = await reportAndClaim('收费处电脑死机，资产号PC-0720', 'ma-li');
    await t.say('wang-wei', 'engineers', `解决 ${number} 重启并清理了系统盘`);
    await t.advance(47 * 60);
    expect((await ticket(number)).status).toBe('resolved');
    await t.advance(61);
    expect(await ticket(number)).toMatchObject({ status: 'closed', closeReason: 'auto' });
    expect((await texts('intake')).at(-1)).toBe(`@马莉 ${text('ticket.autoClosed', { number, within: text('duration.days', { n: 2 }) })}`);
  });

  it('reminds the engineer to update the reporter, and relays the update', async () => {
    t = await createTestBot();
    const { number } = await reportAndClaim('检验科的电脑都连不上LIS了，电话8401', 'zhou-min', 'cao-yu');
    expect((await ticket(number)).priority).toBe('P2');
    await t.advance(61);
    expect((await texts('engineers')).at(-1)).toBe(`@曹宇 ${text('ticket.reminder.update', { number, elapsed: text('duration.hours', { n: 1 }) })}`);
    await t.say('cao-yu', 'engineers', `进展 ${number} 正在重启LIS接口服务，预计10分钟恢复`);
    expect((await texts('intake')).at(-1)).toBe(
      `@周敏 ${text('ticket.progress.toReporter', { number, engineer: '曹工', text: '正在重启LIS接口服务，预计10分钟恢复' })}`,
    );
  });

  it('transfers to a group (back to its queue) and to a person, with notes and priority changes on the timeline', async () => {
    t = await createTestBot();
    const { number, dispatchId } = await reportAndClaim('住院部5楼护士站网断了，电话8701', 'gao-yan', 'wang-wei');
    await t.say('wang-wei', 'engineers', `转派 ${number} 网络组 交换机端口问题`);
    expect(await ticket(number)).toMatchObject({ status: 'open', assigneeId: null, itGroupId: 'network' });
    expect((await dispatchCard(dispatchId)).card!.buttons.map((b) => b.label)).toEqual(['认领']);

    await t.say('yang-fan', 'engineers', `认领 ${number}`);
    const work = await dispatchCard(dispatchId);
    await t.click(work.id, 'yang-fan', 'ticket.transfer', buttonOf(work, '转派').value, { target: 'person:zhu-lin', text: '现场更换网线' });
    expect(await ticket(number)).toMatchObject({ status: 'claimed', assigneeId: 'zhu-lin' });
    await t.say('zhu-lin', 'engineers', `优先级 ${number} p2 整个护士站都断网`);
    // The same priority again is refused and leaves no "P2 → P2" on the timeline.
    await t.say('zhu-lin', 'engineers', `优先级 ${number} P2 确认一下`);
    expect((await texts('engineers')).at(-1)).toBe(text('error.priority_unchanged', { number, priority: 'P2' }));
    await t.say('zhu-lin', 'engineers', `备注 ${number} 已更换 5 楼弱电间 12 口网线`);
    await t.say('wang-wei', 'engineers', `解决 ${number} 不是我的单`);
    expect((await texts('engineers')).at(-1)).toBe(text('error.not_assignee', { engineer: '朱工', what: text('ticket.what.resolve') }));
    await t.say('zhu-lin', 'engineers', '转派 IT-20200101-0001 张三');
    expect((await texts('engineers')).at(-1)).toBe(text('error.ticket_not_found', { number: 'IT-20200101-0001' }));
    const timeline = await t.bot.db.ticketEvent.findMany({ where: { ticket: { number } }, orderBy: { id: 'asc' } });
    expect(timeline.map((e) => e.type)).toEqual(['created', 'claimed', 'transferred', 'claimed', 'transferred', 'priority_changed', 'note']);
    expect((await ticket(number)).priority).toBe('P2');
    await t.say('zhu-lin', 'intake', '我的工单');
    expect((await t.transcript('intake')).at(-1)!.card!.text).toContain(`${number}｜处理中｜P2`);
  });
});

describe('knowledge articles', () => {
  it('lets an admin add an SOP article that later reports are offered, and nobody else', async () => {
    const t = await createTestBot();
    await t.say('wang-wei', 'engineers', '知识 新增 LIS条码打印空白｜条码,空白｜更换条码纸卷后在 LIS 里重打条码');
    expect((await t.transcript('engineers')).at(-1)!.text).toBe(text('error.not_admin', { what: text('knowledge.what.add') }));
    await t.say('huang-jun', 'engineers', '知识 新增 LIS条码打印空白｜条码,空白｜更换条码纸卷后在 LIS 里重打条码');
    expect((await t.transcript('engineers')).at(-1)!.text).toBe(text('knowledge.added', { title: 'LIS条码打印空白', keywords: '条码、空白' }));
    await t.say('zhou-min', 'intake', '检验科标本条码打出来是空白的，电话8401');
    const card = (await t.transcript('intake')).find((m) => m.card?.title.startsWith('工单'))!;
    expect(card.card!.markdown).toContain('**先试试：LIS条码打印空白**\n更换条码纸卷后在 LIS 里重打条码');
    expect(await t.bot.db.auditLog.count({ where: { action: 'knowledge.add', actorId: 'huang-jun' } })).toBe(1);
    await t.close();
  });
});

describe('what people really do in the groups', () => {
  let t: TestBot;
  afterEach(async () => t?.close());
  const texts = async (chat: string) => (await t.transcript(chat)).filter((m) => m.from === 'bot' && m.text).map((m) => m.text!);
  const tickets = () => t.bot.db.ticket.findMany({ orderBy: { id: 'asc' } });

  it('keeps a second, different fault reported during a follow-up as its own ticket', async () => {
    t = await createTestBot();
    await t.say('liu-yang', 'intake', '心内科医生办公室电脑蓝屏了');
    await t.say('liu-yang', 'intake', '护士站打印机也卡纸了，资产号PR-0102');
    const [pc, printer] = await tickets();
    expect(pc).toMatchObject({ system: '电脑', assetNumber: null });
    expect(printer).toMatchObject({ system: '打印机', assetNumber: 'PR-0102' });
  });

  it('takes a reply to the bot’s question as the answer, whatever it says', async () => {
    t = await createTestBot();
    await t.say('liu-yang', 'intake', '心内科医生办公室电脑蓝屏了');
    const ask = (await t.transcript('intake')).find((m) => m.text?.includes('请补充'))!;
    const res = await t.bot.app.inject({
      method: 'POST',
      url: '/simulator/api/messages',
      payload: { chatId: 'intake', userId: 'liu-yang', text: '标签掉了看不到', replyTo: ask.id },
    });
    expect(res.statusCode).toBe(200);
    const [ticket] = await tickets();
    expect(await t.bot.db.ticket.count()).toBe(1);
    expect(ticket!.description).toBe('心内科医生办公室电脑蓝屏了\n标签掉了看不到');
  });

  it('does not turn engineers’ words or a reporter’s thanks into tickets', async () => {
    t = await createTestBot();
    await t.say('zhang-li', 'intake', '门诊3楼212诊室打印机卡纸，资产号PC-0231');
    await t.say('wang-wei', 'intake', '张老师，我马上过来看看');
    await t.say('zhang-li', 'intake', '谢谢王工，我在门诊3楼等你');
    expect(await t.bot.db.ticket.count()).toBe(1);
    // The reporter's word reaches the ticket (its timeline and description) and they are told so.
    const remarks = await t.bot.db.ticketEvent.findMany({ where: { type: 'info_added' } });
    expect(remarks.map((r) => (r.data as { text: string }).text)).toEqual(['谢谢王工，我在门诊3楼等你']);
    const [only] = await tickets();
    expect((await texts('intake')).at(-1)).toBe(
      `@张丽 ${text('ticket.filled', { number: only!.number, items: text('ticket.filled.note', { text: '谢谢王工，我在门诊3楼等你' }) })}`,
    );
  });

  it('understands a command run into the number, and confirms a resolved ticket when the reporter says 好了', async () => {
    t = await createTestBot();
    await t.say('zhang-li', 'intake', '门诊3楼212诊室打印机卡纸，资产号PC-0231');
    const number = (await tickets())[0]!.number;
    await t.say('wang-wei', 'engineers', `认领${number}`);
    await t.say('wang-wei', 'engineers', `解决 ${number} 清理卡纸。`);
    expect((await texts('intake')).find((x) => x.includes('已处理完毕'))).toBe(`@张丽 ${text('ticket.resolve.notify', { number, solution: '清理卡纸' })}`);
    await t.say('zhang-li', 'intake', '好了');
    expect((await tickets())[0]).toMatchObject({ status: 'closed', closeReason: 'confirmed' });
    const card = (await t.transcript('intake')).find((m) => m.card?.title.startsWith('工单'))!;
    const selfSolved = await t.click(card.id, 'zhang-li', 'ticket.selfsolved', { ticket: number, v: 1 });
    expect(selfSolved.toast?.text).toBe(text('error.ticket_not_open', { number, status: text('ticket.close.confirmed'), what: text('ticket.what.selfSolve') }));
    expect((await tickets())[0]!.closeReason).toBe('confirmed');
  });

  it('tells the reporter who takes over on a transfer, and gives a transferred P4 its own deadline', async () => {
    t = await createTestBot({}, undefined, new Date('2026-11-23T09:00:00+08:00'));
    await t.say('he-ping', 'intake', '请问门诊药房电脑怎么设置默认打印机？资产号PC-0500');
    const number = (await tickets())[0]!.number;
    await t.say('wang-wei', 'engineers', `认领 ${number}`);
    await t.say('wang-wei', 'engineers', `转派 ${number} 韩梅 需要装驱动`);
    expect((await texts('intake')).at(-1)).toBe(
      `@何平 ${text('ticket.transfer.notifyReporter', { number, engineer: '韩工', group: '应用支持与开发组', phone: text('ticket.claim.phone', { phone: '8832' }) })}`,
    );
    await t.say('han-mei', 'engineers', `转派 ${number} 网络组 打印共享问题`);
    await t.advance(16);
    await t.advance(15);
    expect((await t.transcript('engineers')).filter((m) => m.card?.title.includes('⏰'))).toHaveLength(0);
  });

  it('leaves an incident that has gone quiet, and escalates an outage nobody claims', async () => {
    t = await createTestBot({}, undefined, new Date('2026-11-23T09:00:00+08:00'));
    await reportEach(t);
    const [incident] = await t.bot.db.incident.findMany();
    expect(incident).toMatchObject({ status: 'open', priority: 'P1' });
    // The policy of a P1: the duty engineer hears of the outage at once, directly; the card says so.
    const incidentCard = async () => (await t.transcript('engineers')).find((m) => m.card?.title.includes('🚨'))!;
    const escalationField = async () => (await incidentCard()).card!.fields.find((f) => f.label === '升级')?.value;
    const lastDirect = async (person: string) => (await t.transcript(`user:${person}`)).at(-1)?.text ?? '';
    expect(await lastDirect('wang-wei')).toContain(incident!.number);
    expect(await escalationField()).toBe(text('incident.escalation.pagedField', { target: '王工' }));
    const engineersBefore = (await t.transcript('engineers')).length;

    // Unclaimed past its deadline: the group leader, then the IT director, then the leadership group,
    // each asked directly, and the one incident card redrawn with the step (no new message in the group).
    await t.advance(16);
    const leaderStep = await escalationField();
    expect(leaderStep).toMatch(/^响应已超时 \d 分钟，第 1 次升级：已通知 /);
    await t.advance(15);
    expect(await escalationField()).toBe(text('incident.escalation.stepField', { what: '响应', late: '15 分钟', level: 2, target: '黄主任' }));
    expect(await lastDirect('huang-jun')).toBe(
      text('incident.escalation.direct', {
        call: '黄主任',
        system: 'HIS',
        number: incident!.number,
        priority: 'P1',
        priorityName: '紧急',
        reports: 3,
        what: '响应',
        late: '15 分钟',
      }),
    );
    await t.advance(30);
    expect((await texts('leadership')).at(-1)).toContain(`【升级通报】HIS 故障 ${incident!.number}`);
    expect(await escalationField()).toBe(text('incident.escalation.stepField', { what: '响应', late: '45 分钟', level: 3, target: '信息化领导小组' }));
    const later = (await t.transcript('engineers')).slice(engineersBefore);
    expect(later.filter((m) => (m.text ?? m.card?.title ?? '').includes(incident!.number) || m.card?.title.includes('🚨'))).toEqual([]);
    expect(await t.bot.db.auditLog.count({ where: { action: 'incident.escalated', entityId: incident!.number } })).toBe(3);

    const card = (await t.transcript('engineers')).find((m) => m.card?.title.includes('🚨'))!;
    await t.click(card.id, 'luo-xin', 'incident.claim', card.card!.buttons[0]!.value);
    const claimed = (await t.transcript('engineers')).find((m) => m.id === card.id)!;
    const stolen = await t.click(claimed.id, 'deng-chao', 'incident.resolve', claimed.card!.form!.submits[0]!.value, { text: '重启了' });
    expect(stolen.toast?.text).toBe(text('error.not_assignee', { engineer: '罗工', what: text('incident.what.resolve') }));

    await t.advance(3 * 24 * 60);
    await t.say('zhou-min', 'intake', 'HIS里打印发票格式不对');
    const latest = (await tickets()).at(-1)!;
    expect(latest.incidentId).toBeNull();
    expect((await t.transcript('engineers')).some((m) => m.card?.title.includes(latest.number))).toBe(true);
  });
});
