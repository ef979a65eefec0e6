import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { t as text } from '../../bot/i18n/zh.js';
import { API_TOKEN, buttonOf, createTestBot, type TestBot } from '../helpers/bot.js';

const REPORT = '门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话8123';

describe('a fault report in the intake group becomes a ticket an engineer claims', () => {
  let t: TestBot;
  beforeEach(async () => {
    // A working afternoon: no roster post (07:47) or reminder falls inside a test.
    t = await createTestBot({}, undefined, new Date('2026-11-24T14:00:00+08:00'));
  });
  afterEach(async () => t.close());

  async function report() {
    await t.say('zhang-li', 'intake', REPORT);
    const intakeCard = await t.card('intake', '工单 IT-');
    const dispatchCard = await t.card('engineers', '新报修 IT-');
    const number = /IT-\d{8}-\d{4}/.exec(intakeCard.card!.title)![0];
    return { intakeCard, dispatchCard, number };
  }

  it('answers the reporter with a ticket card and sends a dispatch card with a claim button', async () => {
    const { intakeCard, dispatchCard, number } = await report();
    const fields = Object.fromEntries(intakeCard.card!.fields.map((f) => [f.label, f.value]));
    expect(fields).toMatchObject({
      状态: '待认领',
      报修人: '张丽（门诊部）',
      位置: '门诊3楼212诊室',
      资产号: 'PC-0231',
      联系电话: '8123',
      '系统/类别': '打印机',
      处理组: '系统与数据库管理组',
    });
    expect(fields['优先级']).toMatch(/^P3 中，2 小时内响应/);
    expect(dispatchCard.card!.buttons).toEqual([
      { label: '认领', action: 'ticket.claim', value: { ticket: number, v: 1 }, style: 'primary', command: `认领 ${number}` },
    ]);

    const api = await t.bot.app.inject({ url: `/api/tickets/${number}`, headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(api.statusCode).toBe(200);
    expect(api.json()).toMatchObject({
      number,
      status: 'open',
      priority: 'P3',
      assetNumber: 'PC-0231',
      phone: '8123',
      department: { id: 'outpatient', name: '门诊部' },
      reporter: { id: 'zhang-li', name: '张丽' },
      events: [{ type: 'created', actorId: 'zhang-li' }],
    });
    const due = new Date(api.json().responseDueAt).getTime() - new Date(api.json().createdAt).getTime();
    expect(due).toBe(2 * 60 * 60 * 1000);
  });

  it('numbers tickets uniquely and in order', async () => {
    await t.say('zhang-li', 'intake', REPORT);
    await t.say('li-na', 'intake', '急诊2楼抢救室电脑蓝屏，资产号PC-1002');
    const titles = (await t.transcript('intake')).filter((m) => m.card).map((m) => m.card!.title);
    const numbers = titles.map((title) => /IT-(\d{8})-(\d{4})/.exec(title)!);
    expect(numbers.map((n) => n[2])).toEqual(['0001', '0002']);
    expect(numbers[0]![1]).toBe(numbers[1]![1]);
  });

  it('lets an engineer claim: both cards update in place and the reporter is told who is coming', async () => {
    const { intakeCard, dispatchCard, number } = await report();
    t.clock.advance(2);
    const result = await t.click(dispatchCard.id, 'wang-wei', 'ticket.claim', dispatchCard.card!.buttons[0]!.value);
    expect(result).toMatchObject({ outcome: 'handled', toast: { type: 'success', text: text('ticket.claim.toast', { number }) } });

    const engineers = await t.transcript('engineers');
    const updatedDispatch = engineers.find((m) => m.id === dispatchCard.id)!;
    expect(engineers.filter((m) => m.card)).toHaveLength(1);
    expect(updatedDispatch.card!.buttons).toEqual([]);
    expect(updatedDispatch.card!.note).toBe(text('ticket.note.claimed', { engineer: '王工', minutes: 2 }));

    const intake = await t.transcript('intake');
    const updatedIntake = intake.find((m) => m.id === intakeCard.id)!;
    expect(updatedIntake.card!.note).toBe(text('ticket.note.claimed', { engineer: '王工', minutes: 2 }));
    expect(updatedIntake.card!.fields).toContainEqual({ label: '状态', value: '处理中' });
    expect(updatedIntake.card!.fields).toContainEqual({ label: '处理人', value: '王工' });
    expect(intake.at(-1)!.text).toBe(`@张丽 您报修的 ${number} 已由 王工（系统与数据库管理组，电话 8822）认领，工程师会尽快与您联系或到场处理。`);
  });

  it('refuses a second claim and a claim by someone who is not an IT engineer, changing nothing', async () => {
    const { dispatchCard, number } = await report();
    const value = dispatchCard.card!.buttons[0]!.value;

    const nurse = await t.click(dispatchCard.id, 'zhang-li', 'ticket.claim', value);
    expect(nurse).toEqual({ outcome: 'refused', toast: { type: 'warning', text: text('error.not_it_staff', { what: text('ticket.what.claimTicket') }) } });

    await t.click(dispatchCard.id, 'wang-wei', 'ticket.claim', value);
    const before = await t.transcript('intake');

    const again = await t.click(dispatchCard.id, 'wang-wei', 'ticket.claim', value);
    expect(again).toEqual({ outcome: 'duplicate', toast: { type: 'info', text: text('error.duplicate_action') } });
    const colleague = await t.click(dispatchCard.id, 'qian-bo', 'ticket.claim', value);
    expect(colleague).toEqual({
      outcome: 'refused',
      toast: { type: 'warning', text: `${number} 已由 王工 认领，无需重复认领。` },
    });

    expect(await t.transcript('intake')).toEqual(before);
    const ticket = await t.bot.db.ticket.findUniqueOrThrow({ where: { number } });
    expect(ticket.assigneeId).toBe('wang-wei');
    expect(await t.bot.db.auditLog.count({ where: { action: 'ticket.claimed' } })).toBe(1);
  });

  it('claims by command too, with the same rules', async () => {
    const { number, dispatchCard } = await report();
    await t.say('han-mei', 'engineers', `认领 ${number.toLowerCase()}`);
    const engineers = await t.transcript('engineers');
    expect(engineers.at(-1)!.text).toBe(text('ticket.claim.toast', { number }));
    expect(engineers.find((m) => m.id === dispatchCard.id)!.card!.note).toBe(text('ticket.note.claimed', { engineer: '韩工', minutes: 1 }));

    await t.say('qian-bo', 'engineers', `认领 ${number}`);
    expect((await t.transcript('engineers')).at(-1)!.text).toBe(text('error.already_claimed', { number, engineer: '韩工' }));
    await t.say('qian-bo', 'engineers', '认领 12345');
    expect((await t.transcript('engineers')).at(-1)!.text).toBe(text('error.bad_arguments', { usage: text('ticket.claim.usage') }));
  });

  it('asks for what is missing from a report', async () => {
    await t.say('liu-yang', 'intake', '心内科医生办公室电脑蓝屏了');
    const last = (await t.transcript('intake')).at(-1)!;
    expect(last.text).toBe(`@刘洋 ${text('ticket.missing.hint', { items: text('ticket.missing.asset') })}`);
  });

  it('creates nothing for small talk, answers a greeting with the hint, and unknown people politely outside the intake group', async () => {
    await t.say('zhang-li', 'intake', '谢谢老师！');
    await t.say('zhang-li', 'intake', '@信息科助手 在吗？');
    await t.say('stranger-1', 'engineers', '@信息科助手 电脑坏了');
    // Thanks get no answer in the group (it would only be noise); a greeting to the bot gets the hint.
    expect((await t.transcript('intake')).filter((m) => m.from === 'bot').map((m) => m.text)).toEqual([
      '您好！如需报修，请描述故障现象、位置和联系电话；发送「帮助」查看用法。',
    ]);
    expect((await t.transcript('engineers')).at(-1)!.text).toBe('您还未登记在本院通讯录中，暂时无法使用。请联系信息科（分机 8800）登记。');
    expect(await t.bot.db.ticket.count()).toBe(0);
  });

  it('takes a report from someone the file lacks (the simulator has no directory), asking their department once', async () => {
    const res = await t.bot.app.inject({
      method: 'POST',
      url: '/simulator/api/messages',
      payload: { chatId: 'intake', userId: 'nurse-77', userName: '白雪', text: '电脑蓝屏了，资产号PC-0777，电话8777' },
    });
    expect(res.json()).toMatchObject({ outcome: 'handled' });
    const question = await t.card('intake', '请问您是哪个科室的？');
    expect(question.text).toBeUndefined();
    expect(question.card!.buttons.map((b) => b.label)).toEqual(t.bot.organisation.directory.org.departments.map((d) => d.name));
    const number = /IT-\d{8}-\d{4}/.exec((await t.card('intake', '工单 IT-')).card!.title)![0];
    expect(await t.click(question.id, 'nurse-77', 'person.department', buttonOf(question, '放射科').value)).toMatchObject({
      outcome: 'handled',
      toast: { text: '已登记您的科室：放射科，谢谢！' },
    });
    const ticket = (await t.bot.app.inject({ url: `/api/tickets/${number}`, headers: { authorization: `Bearer ${API_TOKEN}` } })).json();
    expect(ticket).toMatchObject({
      reporter: { id: 'simulator:nurse-77', name: '白雪', department: { id: 'radiology', name: '放射科' } },
      department: { id: 'radiology' },
    });
    expect((await t.card('engineers', number)).card!.fields).toContainEqual({ label: '报修人', value: '白雪（放射科）' });
    // Their own direct chat works as well; the question is not asked again.
    await t.say('nurse-77', 'user:nurse-77', '打印机也卡纸了，资产号PR-0778');
    expect((await t.transcript('user:nurse-77')).filter((m) => m.card?.title === '请问您是哪个科室的？')).toEqual([]);
    expect(await t.bot.db.ticket.count({ where: { reporterId: 'simulator:nurse-77', departmentId: 'radiology' } })).toBe(2);
  });

  it('lists what the bot can do for 帮助 and /help in any chat', async () => {
    for (const [chat, word] of [
      ['intake', '帮助'],
      ['engineers', '/help'],
      ['leadership', '帮助'],
    ] as const) {
      await t.say('huang-jun', chat, word);
      const help = (await t.transcript(chat)).at(-1)!;
      expect(help.card!.title).toBe(text('help.title', { botName: '信息科助手' }));
      expect(help.card!.markdown).toContain('认领 IT-20261123-0001');
      expect(help.card!.markdown).toContain('信息科报修群');
    }
    expect(await t.bot.db.ticket.count()).toBe(0);
  });

  it('points reporters in other groups to the intake group', async () => {
    await t.say('qin-guo', 'leadership', '@信息科助手 打印机坏了');
    expect((await t.transcript('leadership')).at(-1)!.text).toBe(text('chat.reportElsewhere', { intakeChat: '信息科报修群' }));
    expect(await t.bot.db.ticket.count()).toBe(0);
  });
});
