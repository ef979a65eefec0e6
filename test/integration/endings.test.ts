import { afterEach, describe, expect, it } from 'vitest';
import type { SimMessage } from '../../adapters/simulator/transcript.js';
import { t as text } from '../../bot/i18n/zh.js';
import { API_TOKEN, buttonOf, createTestBot, type TestBot, reportEach } from '../helpers/bot.js';

const at = (local: string) => new Date(`${local}+08:00`);
const PRINTER = '门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话8123';
const field = (m: SimMessage, label: string) => m.card!.fields.find((f) => f.label === label)?.value;
const STATUS = text('ticket.field.status');
const USAGE_CLOSE = text('error.bad_arguments', { usage: text('ticket.close.usage') });

describe('tickets that should not exist', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const texts = async (chat: string) => (await t.transcript(chat)).filter((m) => m.from === 'bot' && m.text).map((m) => m.text!);
  const last = async (chat: string) => (await texts(chat)).at(-1);
  const ticket = (number: string) => t.bot.db.ticket.findUniqueOrThrow({ where: { number } });
  /** Every card showing the ticket, in every chat. */
  const cardsOf = async (number: string) =>
    [...(await t.transcript('intake')), ...(await t.transcript('engineers'))].filter((m) => m.card?.title.includes(number));
  const dispatchOf = async (number: string) => (await t.transcript('engineers')).find((m) => m.card?.title.includes(number))!;

  async function report(who: string, text: string): Promise<string> {
    await t.say(who, 'intake', text);
    return (await t.bot.db.ticket.findFirstOrThrow({ where: { reporterId: who }, orderBy: { id: 'desc' } })).number;
  }

  it('lets an engineer close a false alarm by command: the reporter hears why, every card says so, no reminder follows', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    const number = await report('zhang-li', PRINTER);
    await t.say('wang-wei', 'engineers', `关闭 ${number} 误报 电话核实打印机正常，是纸盒没推到位`);

    expect(await last('engineers')).toBe(text('ticket.close.toast', { number, reason: text('ticket.closeReason.false_alarm') }));
    expect(await last('intake')).toBe(
      `@张丽 ${text('ticket.close.toReporter.false_alarm', { number, engineer: '王工', note: text('ticket.close.noteSuffix', { note: '电话核实打印机正常，是纸盒没推到位' }) })}`,
    );
    expect(await ticket(number)).toMatchObject({ status: 'closed', closeReason: 'false_alarm', nextEscalationAt: null, awaitingUntil: null });
    const cards = await cardsOf(number);
    expect(cards).toHaveLength(2);
    for (const card of cards) {
      expect(field(card, STATUS)).toBe(text('ticket.close.false_alarm'));
      expect(card.card!.buttons).toEqual([]);
      expect(card.card!.form).toBeUndefined();
      expect(card.card!.color).toBe('grey');
    }
    const events = await t.bot.db.ticketEvent.findMany({ where: { ticket: { number } }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['created', 'closed']);
    expect(events[1]!.data).toEqual({ reason: 'false_alarm', note: '电话核实打印机正常，是纸盒没推到位' });
    expect(await t.bot.db.auditLog.count({ where: { entityId: number, action: 'ticket.closed', actorId: 'wang-wei' } })).toBe(1);

    // The response deadline (2 h) passes: nobody is chased for a ticket that was closed.
    await t.advance(3 * 60);
    expect((await t.transcript('engineers')).filter((m) => m.card?.title.includes('⏰'))).toHaveLength(0);
  });

  it('closes a repeat report as a duplicate of the first, naming it on the cards and to the reporter', async () => {
    t = await createTestBot();
    const first = await report('zhang-li', PRINTER);
    const second = await report('chen-jing', '门诊3楼212诊室的打印机又卡纸了，资产号PC-0231');
    await t.say('luo-xin', 'engineers', `关闭 ${second} 重复 ${first}`);

    expect(await last('engineers')).toBe(text('ticket.close.toast', { number: second, reason: text('ticket.closeReason.duplicateOf', { of: first }) }));
    expect(await last('intake')).toBe(`@陈静 ${text('ticket.close.toReporter.duplicate', { number: second, of: first, note: '' })}`);
    expect(await ticket(second)).toMatchObject({ status: 'closed', closeReason: 'duplicate', duplicateOf: first });
    for (const card of await cardsOf(second)) expect(field(card, STATUS)).toBe(text('ticket.close.duplicate', { of: first }));
    expect((await ticket(first)).status).toBe('open');
    const closed = await t.bot.db.ticketEvent.findFirstOrThrow({ where: { ticket: { number: second }, type: 'closed' } });
    expect(closed.data).toEqual({ reason: 'duplicate', of: first });

    // Typed run together, with a note.
    const third = await report('li-na', '急诊科电脑开机黑屏，资产号PC-2001');
    await t.say('luo-xin', 'engineers', `关闭 ${third} 重复${first} 报错群了`);
    expect(await ticket(third)).toMatchObject({ closeReason: 'duplicate', duplicateOf: first });
  });

  it('tells whoever held the ticket when someone else closes it as needing nothing', async () => {
    t = await createTestBot();
    const number = await report('liu-yang', '心内科医生办公室电脑蓝屏了，资产号PC-1100');
    await t.say('wang-wei', 'engineers', `认领 ${number}`);
    await t.say('qian-bo', 'engineers', `关闭 ${number} 无需处理 设备已报废，科室另行领用新机`);

    expect(await ticket(number)).toMatchObject({ status: 'closed', closeReason: 'not_needed', nextUpdateAt: null });
    const engineers = await texts('engineers');
    expect(engineers.at(-2)).toBe(`@王伟 ${text('ticket.close.notifyHolder', { number, engineer: '钱工', reason: text('ticket.closeReason.not_needed') })}`);
    expect(engineers.at(-1)).toBe(text('ticket.close.toast', { number, reason: text('ticket.closeReason.not_needed') }));
    expect(await last('intake')).toBe(
      `@刘洋 ${text('ticket.close.toReporter.not_needed', { number, engineer: '钱工', note: text('ticket.close.noteSuffix', { note: '设备已报废，科室另行领用新机' }) })}`,
    );
    for (const card of await cardsOf(number)) expect(field(card, STATUS)).toBe(text('ticket.close.not_needed'));

    // The engineer closing their own ticket is not told about it in the group.
    const own = await report('zhou-min', '检验科打印机卡纸，资产号PR-0401');
    await t.say('wang-wei', 'engineers', `认领 ${own}`);
    await t.say('wang-wei', 'engineers', `关闭 ${own} 误报`);
    expect((await texts('engineers')).at(-2)).not.toContain('@王伟');
    // No reminder to update a reporter whose ticket is closed.
    await t.advance(3 * 60);
    expect((await texts('engineers')).filter((x) => x.includes('请向报修人同步进展'))).toEqual([]);
  });

  it('closes from the engineers’ cards with a reason chosen in the form', async () => {
    t = await createTestBot();
    const first = await report('zhang-li', PRINTER);
    const second = await report('chen-jing', '门诊3楼打印机卡纸了，资产号PC-0231');

    // An open ticket: 认领, and beside it the reason and 关闭.
    const dispatch = await dispatchOf(second);
    expect(dispatch.card!.buttons.map((b) => b.label)).toEqual(['认领']);
    const reasons = dispatch.card!.form!.inputs.find((i) => i.name === 'closeReason')!;
    expect(reasons.options!.map((o) => o.label)).toEqual(['误报', '重复报修', '无需处理']);
    const unchosen = await t.click(dispatch.id, 'wang-wei', 'ticket.close', buttonOf(dispatch, '关闭').value, { text: '' });
    expect(unchosen.outcome).toBe('refused');
    expect(unchosen.toast!.text).toBe(text('error.missing_text', { what: text('ticket.close.missingReason') }));
    const noNumber = await t.click(dispatch.id, 'wang-wei', 'ticket.close', buttonOf(dispatch, '关闭').value, { closeReason: 'duplicate', text: '同一台' });
    expect(noNumber.toast!.text).toBe(text('error.missing_text', { what: text('ticket.close.missingOf') }));
    const closed = await t.click(dispatch.id, 'wang-wei', 'ticket.close', buttonOf(dispatch, '关闭').value, {
      closeReason: 'duplicate',
      text: `重复 ${first} 同一台打印机`,
    });
    expect(closed.toast!.text).toBe(text('ticket.close.toast', { number: second, reason: text('ticket.closeReason.duplicateOf', { of: first }) }));
    expect(await ticket(second)).toMatchObject({ closeReason: 'duplicate', duplicateOf: first });
    expect((await t.bot.db.ticketEvent.findFirstOrThrow({ where: { ticket: { number: second }, type: 'closed' } })).data).toEqual({
      reason: 'duplicate',
      of: first,
      note: '同一台打印机',
    });
    expect(field(await dispatchOf(second), STATUS)).toBe(text('ticket.close.duplicate', { of: first }));

    // A claimed ticket: the work form carries the reason beside 解决, 备注, 转派, 改优先级.
    await t.say('wang-wei', 'engineers', `认领 ${first}`);
    const work = await dispatchOf(first);
    expect(work.card!.form!.submits.map((b) => b.label)).toEqual(['解决', '备注', '转派', '改优先级', '关闭']);
    expect(work.card!.form!.inputs.map((i) => i.name)).toContain('closeReason');
    await t.click(work.id, 'wang-wei', 'ticket.close', buttonOf(work, '关闭').value, { closeReason: 'false_alarm', text: '' });
    expect(await ticket(first)).toMatchObject({ status: 'closed', closeReason: 'false_alarm' });
    expect((await dispatchOf(first)).card!.form).toBeUndefined();
  });

  it('refuses closing for people outside IT, bad reasons, a ticket repeating itself, and tickets already closed or in an incident', async () => {
    t = await createTestBot();
    const number = await report('zhang-li', PRINTER);
    await t.say('zhang-li', 'intake', `关闭 ${number} 误报`);
    expect(await last('intake')).toBe(text('error.not_it_staff', { what: text('ticket.what.closeTicket') }));
    await t.say('wang-wei', 'engineers', `关闭 ${number} 不想修了`);
    expect(await last('engineers')).toBe(USAGE_CLOSE);
    await t.say('wang-wei', 'engineers', `关闭 ${number}`);
    expect(await last('engineers')).toBe(USAGE_CLOSE);
    await t.say('wang-wei', 'engineers', `关闭 ${number} 重复`);
    expect(await last('engineers')).toBe(USAGE_CLOSE);
    await t.say('wang-wei', 'engineers', `关闭 ${number} 重复 ${number}`);
    expect(await last('engineers')).toBe(text('error.not_possible', { reason: text('ticket.close.duplicateOfItself', { number }) }));
    await t.say('wang-wei', 'engineers', `关闭 ${number} 重复 IT-20200101-0001`);
    expect(await last('engineers')).toBe(text('error.ticket_not_found', { number: 'IT-20200101-0001' }));
    expect((await ticket(number)).status).toBe('open');

    await t.say('wang-wei', 'engineers', `关闭 ${number} 误报`);
    await t.say('wang-wei', 'engineers', `关闭 ${number} 无需处理`);
    expect(await last('engineers')).toBe(text('error.ticket_not_open', { number, status: text('ticket.close.false_alarm'), what: text('ticket.what.close') }));

    await reportEach(t);
    const [incident] = await t.bot.db.incident.findMany();
    const child = (await t.bot.db.ticket.findFirstOrThrow({ where: { incidentId: incident!.id } })).number;
    await t.say('wang-wei', 'engineers', `关闭 ${child} 误报`);
    expect(await last('engineers')).toBe(text('error.in_incident', { number: child, incident: incident!.number }));
  });

  it('lets a resolved ticket found to be a duplicate be closed, and its confirmation card says so', async () => {
    t = await createTestBot();
    const first = await report('zhang-li', PRINTER);
    const second = await report('chen-jing', '门诊3楼打印机卡纸，资产号PC-0231');
    await t.say('wang-wei', 'engineers', `认领 ${second}`);
    await t.say('wang-wei', 'engineers', `解决 ${second} 清理卡纸`);
    await t.say('wang-wei', 'engineers', `关闭 ${second} 重复 ${first}`);
    expect(await ticket(second)).toMatchObject({ status: 'closed', closeReason: 'duplicate', confirmDueAt: null });
    const confirm = (await t.transcript('intake')).find((m) => m.card?.title === `请确认 ${second} 是否已解决`)!;
    expect(confirm.card!.form).toBeUndefined();
    expect(confirm.card!.note).toBe(text('ticket.close.duplicate', { of: first }));
    // Nothing closes it again automatically two days later.
    await t.advance(3 * 24 * 60);
    expect((await ticket(second)).closeReason).toBe('duplicate');
  });
});

describe('a reporter withdrawing a report', () => {
  let t: TestBot;
  afterEach(async () => t?.close());
  const texts = async (chat: string) => (await t.transcript(chat)).filter((m) => m.from === 'bot' && m.text).map((m) => m.text!);
  const last = async (chat: string) => (await texts(chat)).at(-1);
  const ticket = (number: string) => t.bot.db.ticket.findUniqueOrThrow({ where: { number } });
  async function report(who: string, text: string): Promise<string> {
    await t.say(who, 'intake', text);
    return (await t.bot.db.ticket.findFirstOrThrow({ where: { reporterId: who }, orderBy: { id: 'desc' } })).number;
  }

  it('withdraws a claimed ticket: the reporter is answered, the engineer told, every card updated', async () => {
    t = await createTestBot();
    const number = await report('zhang-li', PRINTER);
    await t.say('wang-wei', 'engineers', `认领 ${number}`);
    await t.say('li-na', 'intake', `撤销 ${number}`);
    expect(await last('intake')).toBe(text('ticket.cancel.notReporter', { reporter: '张丽', number }));

    await t.say('zhang-li', 'intake', `撤销 ${number}`);
    expect(await last('intake')).toBe(`@张丽 ${text('ticket.cancel.reply', { number, by: '' })}`);
    expect(await last('engineers')).toBe(`@王伟 ${text('ticket.cancel.notify', { number, reporter: '张丽' })}`);
    expect(await ticket(number)).toMatchObject({ status: 'closed', closeReason: 'cancelled', nextEscalationAt: null, nextUpdateAt: null });
    const cards = [...(await t.transcript('intake')), ...(await t.transcript('engineers'))].filter((m) => m.card?.title.includes(number));
    expect(cards).toHaveLength(2);
    for (const card of cards) {
      expect(field(card, STATUS)).toBe(text('ticket.close.cancelled'));
      expect(card.card!.note).toBe(text('ticket.note.cancelled'));
      expect(card.card!.form).toBeUndefined();
    }
    expect(await t.bot.db.auditLog.count({ where: { entityId: number, action: 'ticket.cancelled', actorId: 'zhang-li' } })).toBe(1);

    await t.say('zhang-li', 'intake', `撤销 ${number}`);
    expect(await last('intake')).toBe(text('error.ticket_not_open', { number, status: text('ticket.close.cancelled'), what: text('ticket.what.cancel') }));
  });

  it('lets the department head withdraw for their staff, and takes 取消报修, /cancel and a bare 撤销', async () => {
    t = await createTestBot();
    const first = await report('zhang-li', PRINTER);
    await t.say('chen-jing', 'intake', `取消报修 ${first}`);
    expect(await last('intake')).toBe(`@张丽 ${text('ticket.cancel.reply', { number: first, by: text('ticket.cancel.by', { who: '陈静' }) })}`);
    expect((await ticket(first)).closeReason).toBe('cancelled');

    const second = await report('li-na', '急诊科电脑开机黑屏，资产号PC-2001');
    await t.say('li-na', 'intake', '撤销');
    expect((await ticket(second)).closeReason).toBe('cancelled');
    await t.say('li-na', 'intake', '撤销');
    expect(await last('intake')).toBe(text('error.bad_arguments', { usage: text('ticket.cancel.usage') }));

    // Withdrawn from a direct chat: answered there as well as in the group it came from.
    const third = await report('li-na', '急诊科打印机卡纸，资产号PR-2002');
    await t.say('li-na', 'user:li-na', `/cancel ${third}`);
    expect((await ticket(third)).closeReason).toBe('cancelled');
    expect(await last('user:li-na')).toBe(text('ticket.cancel.reply', { number: third, by: '' }));
    expect(await last('intake')).toBe(`@李娜 ${text('ticket.cancel.reply', { number: third, by: '' })}`);
  });
});

describe('endings in the registers and statistics', () => {
  it('counts withdrawn, false-alarm, duplicate and not-needed tickets apart, never against deadlines, MTTA or MTTR', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    const report = async (who: string, text: string) => {
      await t.say(who, 'intake', text);
      return (await t.bot.db.ticket.findFirstOrThrow({ where: { reporterId: who }, orderBy: { id: 'desc' } })).number;
    };
    const served = await report('zhang-li', PRINTER);
    const cancelled = await report('liu-yang', '心内科医生办公室电脑蓝屏了，资产号PC-1100');
    // Different systems, so that no three alike make an incident.
    const falseAlarm = await report('zhou-min', '检验科的网断了，电话8401');
    const duplicate = await report('chen-jing', '门诊3楼打印机卡纸，资产号PC-0231');
    const notNeeded = await report('he-ping', '门诊药房电脑很慢，资产号PC-0500');
    await t.advance(10);
    await t.say('wang-wei', 'engineers', `认领 ${served}`);
    await t.say('wang-wei', 'engineers', `解决 ${served} 清理卡纸`);
    await t.say('zhang-li', 'intake', `确认 ${served} 已解决 5`);
    await t.advance(3 * 60); // every response deadline has passed
    await t.say('liu-yang', 'intake', `撤销 ${cancelled}`);
    await t.say('wang-wei', 'engineers', `关闭 ${falseAlarm} 误报 科室自行处理好了`);
    await t.say('wang-wei', 'engineers', `关闭 ${duplicate} 重复 ${served}`);
    await t.say('han-mei', 'engineers', `认领 ${notNeeded}`); // late
    await t.say('han-mei', 'engineers', `关闭 ${notNeeded} 无需处理`);

    const stats = (await t.bot.app.inject({ url: '/api/stats?from=2026-11-23&to=2026-11-24', headers: { authorization: `Bearer ${API_TOKEN}` } })).json();
    expect(stats).toMatchObject({
      opened: 5,
      resolved: 1,
      openNow: 0,
      cancelled: 1,
      closedAs: { false_alarm: 1, duplicate: 1, not_needed: 1 },
      responseCompliance: { met: 1, total: 1, rate: 100 },
      mttaMinutes: 10,
    });

    await t.advance(22 * 60); // 11-24 08:20: the daily digest has gone out
    const digest = (await t.transcript('leadership')).find((m) => m.card?.title === '信息科日报 · 2026-11-23')!;
    expect(digest.card!.markdown).toContain(text('digest.notServed', { cancelled: 1, false_alarm: 1, duplicate: 1, not_needed: 1 }));
    expect(digest.card!.markdown).toContain('**响应**：达标率 100%（1/1）；平均响应 10 分钟；无未响应');

    const xlsx = await t.bot.app.inject({ url: '/api/reports/fault-register.xlsx?month=2026-11', headers: { authorization: `Bearer ${API_TOKEN}` } });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as never);
    const sheet = book.getWorksheet('故障处理登记台账')!;
    const header = sheet.getRow(1).values as unknown[];
    const statusAt = header.indexOf('状态');
    const noteAt = header.indexOf('关闭说明');
    const rows = new Map<string, unknown[]>();
    sheet.eachRow((row, i) => void (i > 1 && rows.set(String((row.values as unknown[])[1]), row.values as unknown[])));
    expect([served, cancelled, falseAlarm, duplicate, notNeeded].map((n) => rows.get(n)![statusAt])).toEqual([
      '已关闭（报修人确认解决）',
      '已撤销',
      '已关闭（误报）',
      `已关闭（重复，见 ${served}）`,
      '已关闭（无需处理）',
    ]);
    expect(rows.get(falseAlarm)![noteAt]).toBe('科室自行处理好了');

    const summary = await t.bot.app.inject({ url: '/api/reports/monthly-summary.xlsx?month=2026-11', headers: { authorization: `Bearer ${API_TOKEN}` } });
    const monthly = new ExcelJS.Workbook();
    await monthly.xlsx.load(summary.rawPayload as never);
    const bySystem = monthly.getWorksheet('按系统')!;
    const printer = [...Array(bySystem.rowCount).keys()].map((i) => bySystem.getRow(i + 1).values as unknown[]).find((v) => v[1] === '打印机')!;
    // 打印机: the served ticket met its deadline and was solved; its duplicate counts apart.
    expect(printer.slice(1, 7)).toEqual(['打印机', 2, 1, 1, 5, 1]);
    await t.close();
  });
});
