import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimMessage } from '../../adapters/simulator/transcript.js';
import { t as text } from '../../bot/i18n/zh.js';
import { buttonOf, createTestBot, type TestBot } from '../helpers/bot.js';
import { settledState } from '../helpers/every-platform.js';

/**
 * Who may do what, as a matrix: every click or command by someone without the right is refused
 * with a Chinese toast or reply, and changes nothing but that reply. Single cases (a nurse
 * claiming, a second claim, the wrong head approving, an engineer adding an article) are in
 * test/integration; this covers the roles systematically.
 */
describe('actions and commands by people without the right', () => {
  let t: TestBot;
  /** An open ticket, one claimed by 王伟, one resolved and waiting for 刘洋 to confirm. */
  let open: string;
  let claimed: string;
  let resolved: string;
  let dispatch: SimMessage;
  let confirmCard: SimMessage;
  let headCard: SimMessage;
  let approval: string;

  const numberIn = (text: string) => /IT-\d{8}-\d{4}/.exec(text)![0];
  async function report(person: string, text: string): Promise<string> {
    await t.say(person, 'intake', text);
    return numberIn((await t.card('intake', '工单 IT-')).card!.title);
  }

  beforeAll(async () => {
    t = await createTestBot();
    resolved = await report('liu-yang', '心内科医生办公室电脑蓝屏，资产号PC-1100，电话8302');
    await t.say('wang-wei', 'engineers', `认领 ${resolved}`);
    await t.say('wang-wei', 'engineers', `解决 ${resolved} 重装显卡驱动`);
    confirmCard = await t.card('intake', `请确认 ${resolved}`);

    claimed = await report('li-na', '急诊2楼抢救室打印机卡纸，资产号PR-1002，电话8201');
    await t.say('wang-wei', 'engineers', `认领 ${claimed}`);

    open = await report('zhang-li', '门诊3楼212诊室打印机卡纸，资产号PC-0231，电话8123');
    dispatch = await t.card('engineers', `新报修 ${open}`);

    await t.say('zhang-li', 'intake', '申请 权限');
    const form = await t.card('intake', '填写');
    const submitted = await t.click(form.id, 'zhang-li', 'approval.submit', buttonOf(form, '提交申请').value, {
      person: 'zhang-li',
      system: 'nurse-ws',
      action: 'create',
      permissions: '医嘱执行',
      reason: '新入职',
    });
    approval = /SQ-\d{8}-\d{3}/.exec(submitted.toast!.text)![0];
    headCard = (await t.transcript('user:chen-jing')).find((m) => m.card?.title.includes(approval))!;
  });
  afterAll(async () => t.close());

  /** The refusal expected: the whole sentence, or a pattern for its start. */
  const refusal = (expected: string | RegExp) => (typeof expected === 'string' ? expected : expect.stringMatching(expected));
  const notIt = (what: string) => text('error.not_it_staff', { what });
  const notAssignee = (what: string) => text('error.not_assignee', { engineer: '王工', what });
  const notApprover = text('error.not_approver', { step: '科室负责人审批', approvers: '陈静' });

  /** A click: refused with a warning toast in Chinese, and nothing changes at all. */
  async function expectClickRefused(card: SimMessage, person: string, label: string, toast: string | RegExp, form?: Record<string, unknown>) {
    const button = buttonOf(card, label);
    const before = await settledState(t.bot);
    const result = await t.click(card.id, person, button.action, button.value, form);
    expect(result, `${person} → ${label}`).toEqual({ outcome: 'refused', toast: { type: 'warning', text: refusal(toast) } });
    expect(await settledState(t.bot), `${person} → ${label}`).toEqual(before);
  }

  /** A command: refused with a reply in Chinese; the reply (and its dedup key) is all that changes. */
  async function expectCommandRefused(person: string, said: string, reply: string | RegExp, chat = 'intake') {
    const before = await settledState(t.bot);
    const result = await t.say(person, chat, said);
    expect(result.outcome, `${person}: ${said}`).toBe('refused');
    const last = (await t.transcript(chat)).filter((m) => m.from === 'bot').at(-1)!;
    expect(last.text, `${person}: ${said}`).toEqual(refusal(reply));
    const after = await settledState(t.bot);
    expect(after.counts.Outbox).toBe(before.counts.Outbox + 1);
    expect(after.counts.InboundEvent).toBe(before.counts.InboundEvent + 1);
    const unchanged = (s: typeof before) => ({ ...s, counts: { ...s.counts, Outbox: 0, InboundEvent: 0 } });
    expect(unchanged(after), `${person}: ${said}`).toEqual(unchanged(before));
  }

  it('lets only IT engineers claim, by click or by command', async () => {
    for (const person of ['zhang-li', 'chen-jing', 'tang-wei', 'song-jia', 'qin-guo', 'jiang-hua', 'he-ping']) {
      await expectClickRefused(dispatch, person, '认领', notIt(text('ticket.what.claimTicket')));
    }
    for (const person of ['li-na', 'jiang-hua']) await expectCommandRefused(person, `认领 ${open}`, notIt(text('ticket.what.claimTicket')));
  });

  it('lets only the assignee, a group leader or the IT director work a claimed ticket', async () => {
    await expectCommandRefused('li-na', `解决 ${claimed} 自己修好了`, notIt(text('ticket.what.resolve')));
    await expectCommandRefused('chen-jing', `转派 ${claimed} @韩梅 太忙`, notIt(text('ticket.what.transfer')));
    await expectCommandRefused('zhang-li', `优先级 ${claimed} P1 很急`, notIt(text('ticket.what.priority')));
    await expectCommandRefused('zhao-gang', `备注 ${claimed} 内部备注`, notIt(text('ticket.what.note')));
    await expectCommandRefused('han-mei', `解决 ${claimed} 重启`, notAssignee(text('ticket.what.resolve')), 'engineers');
    await expectCommandRefused('cao-yu', `转派 ${claimed} 网络组 我来转`, notAssignee(text('ticket.what.transfer')), 'engineers');
    await expectCommandRefused('deng-chao', `进展 ${claimed} 马上到`, notAssignee(text('ticket.what.progress')), 'engineers');
    await expectCommandRefused('li-na', `备件 ${claimed} 硒鼓×1`, notIt(text('ticket.what.parts')));
    await expectCommandRefused('he-ping', `进展 ${claimed} 我来修`, notIt(text('ticket.what.progress')));
    // Notes, priorities and spare parts are open to every IT engineer (triage), by design.
  });

  it('lets only the reporter or the head of their department confirm or close a ticket', async () => {
    const notReporter = text('error.not_reporter', { reporter: '刘洋', number: resolved });
    for (const person of ['zhang-li', 'wang-wei', 'chen-jing', 'huang-jun', 'qin-guo']) {
      await expectClickRefused(confirmCard, person, '已解决', notReporter, { rating: '5', comment: '' });
      await expectClickRefused(confirmCard, person, '未解决', notReporter, { rating: '', comment: '还是不行' });
    }
    await expectCommandRefused('wang-wei', `确认 ${resolved} 已解决 5 很好`, notReporter, 'engineers');
    await expectCommandRefused('li-na', `确认 ${resolved} 未解决`, notReporter);
    const selfSolved = (await t.transcript('intake')).find((m) => m.card?.title.includes(open) && m.card.buttons.some((b) => b.label === '问题已解决'));
    expect(selfSolved, 'the printer-jam article is offered with 问题已解决').toBeDefined();
    await expectClickRefused(selfSolved!, 'li-na', '问题已解决', text('error.not_reporter', { reporter: '张丽', number: open }));
  });

  it('lets only the approver of the open step decide, never the requester or an admin', async () => {
    // The requester is told why: it is her own request (separation of duties).
    const own = text('error.own_request', {
      number: approval,
      what: text('approval.what.decide'),
      instead: text('approval.duties.insteadApprovers', { names: '陈静' }),
    });
    for (const person of ['zhang-li', 'li-na', 'huang-jun', 'wang-wei', 'jiang-hua', 'sun-hong']) {
      await expectClickRefused(headCard, person, '同意', person === 'zhang-li' ? own : notApprover, { comment: '' });
      await expectClickRefused(headCard, person, '驳回', person === 'zhang-li' ? own : notApprover, { comment: '不同意' });
    }
    await expectCommandRefused('huang-jun', `审批 ${approval} 同意 我是管理员`, notApprover, 'engineers');
    await expectCommandRefused('zhang-li', `审批 ${approval} 同意`, own);
    // The next step's approver, on its own step, before its turn.
    const steps = await t.bot.db.approvalStep.findMany({ where: { approval: { number: approval } }, orderBy: { stage: 'asc' } });
    const before = await settledState(t.bot);
    const early = await t.click(headCard.id, 'gao-yan', 'approval.decide', { approval, step: steps[1]!.id, d: 'approve' }, { comment: '' });
    expect(early).toEqual({
      outcome: 'refused',
      toast: { type: 'warning', text: text('error.step_waiting', { step: '系统负责人审批', current: '科室负责人审批' }) },
    });
    expect(await settledState(t.bot)).toEqual(before);
  });

  it('keeps the admin commands to admins, group leaders, leadership and IT as each allows', async () => {
    for (const person of ['zhang-li', 'chen-jing', 'wang-wei', 'han-mei']) {
      await expectCommandRefused(
        person,
        '排班 2026-12-05 夜班 王伟',
        text('error.not_allowed', { who: text('duty.override.who'), what: text('duty.override.what') }),
      );
    }
    // A group leader may; a shift that does not exist is a roster error, not a refused request form.
    await expectCommandRefused('yang-fan', '排班 2026-12-05 早班 王伟', /^排班未调整：/);
    await t.say('yang-fan', 'intake', '排班 2026-12-05 夜班 王伟');
    expect((await t.transcript('intake')).at(-1)!.text).toBe(text('duty.override.done', { day: '2026-12-05', shift: '夜班', person: '王伟' }));
    // Whoever had that night is told directly; a second shift the same day is pointed out, not silently kept.
    const audit = await t.bot.db.auditLog.findFirstOrThrow({ where: { action: 'duty.override', entityId: '2026-12-05/night' } });
    const displaced = (audit.before as { personId: string }).personId;
    expect(displaced).not.toBe('wang-wei');
    expect((await t.transcript(`user:${displaced}`)).map((m) => m.text)).toContain(
      text('duty.override.displaced', { day: '2026-12-05', shift: '夜班', person: '王伟', actor: '杨帆' }),
    );
    await t.say('yang-fan', 'intake', '排班 2026-12-05 白班 王伟');
    expect((await t.transcript('intake')).at(-1)!.text).toBe(
      text('duty.override.done', { day: '2026-12-05', shift: '白班', person: '王伟' }) + text('duty.override.double', { person: '王伟', shifts: '夜班' }),
    );
    for (const person of ['zhang-li', 'chen-jing', 'qian-bo', 'jiang-hua', 'qin-guo']) {
      await expectCommandRefused(person, '知识 新增 打印机缺纸｜缺纸｜加纸后重新打印', text('error.not_admin', { what: text('knowledge.what.add') }));
      await expectCommandRefused(person, '绑定 工程师群', text('error.not_allowed', { who: text('binding.who'), what: text('binding.what.bind') }));
      await expectCommandRefused(person, '解绑', text('error.not_allowed', { who: text('binding.who'), what: text('binding.what.unbind') }));
    }
    for (const person of ['zhang-li', 'chen-jing', 'tang-wei']) {
      await expectCommandRefused(person, '导出 故障台账 2026-11', text('error.not_allowed', { who: text('digest.readers'), what: text('report.what.export') }));
      for (const word of ['日报', '周报', '月报'])
        await expectCommandRefused(person, word, text('error.not_allowed', { who: text('digest.readers'), what: text('digest.what.read') }));
    }
  });

  it('answers people outside the organisation file politely and lets them do nothing but report', async () => {
    await expectClickRefused(dispatch, 'stranger', '认领', text('error.unknown_person'));
    await expectClickRefused(headCard, 'stranger', '同意', text('error.unknown_person'), { comment: '' });
    await expectCommandRefused('stranger', `@信息科助手 认领 ${open}`, text('error.unknown_person'), 'engineers');
    await expectCommandRefused('stranger', '@信息科助手 日报', text('error.unknown_person'), 'engineers');
    // In the intake group they are remembered, as a reporter and nothing more.
    expect((await t.say('stranger', 'intake', '你好')).outcome).toBe('handled');
    expect((await t.say('stranger', 'intake', `认领 ${open}`)).outcome).toBe('refused');
    expect((await t.transcript('intake')).at(-1)!.text).toBe(notIt(text('ticket.what.claimTicket')));
    expect(await t.bot.db.personRole.findMany({ where: { personId: 'simulator:stranger' } })).toEqual([{ personId: 'simulator:stranger', role: 'reporter' }]);
    await expectCommandRefused('stranger', '日报', text('error.not_allowed', { who: text('digest.readers'), what: text('digest.what.read') }));
    await expectCommandRefused('stranger', '同步通讯录', text('error.not_allowed', { who: text('people.sync.who'), what: text('people.sync.what') }));
    await expectClickRefused(dispatch, 'stranger', '认领', notIt(text('ticket.what.claimTicket')));
  });
});
