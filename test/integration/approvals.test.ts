import { afterEach, describe, expect, it } from 'vitest';
import type { SimMessage } from '../../adapters/simulator/transcript.js';
import { t as text } from '../../bot/i18n/zh.js';
import { API_TOKEN, createTestBot, type TestBot } from '../helpers/bot.js';

const at = (local: string) => new Date(`${local}+08:00`);

describe('approvals in the simulator', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const dm = (person: string) => t.transcript(`user:${person}`);
  const lastCard = async (chat: string, fragment: string) => (await t.transcript(chat)).filter((m) => m.card?.title.includes(fragment)).at(-1)!;
  const lastText = async (chat: string) => (await t.transcript(chat)).filter((m) => m.from === 'bot' && m.text).at(-1)?.text;
  const submitOf = (m: SimMessage, label: string) => {
    const b = [...(m.card?.form?.submits ?? []), ...(m.card?.buttons ?? [])].find((x) => x.label === label);
    if (!b) throw new Error(`no ${label} on ${m.card?.title}`);
    return b;
  };

  /** Opens the form with `申请 <word>` in a chat and submits it. */
  async function apply(person: string, word: string, form: Record<string, string>, chat = 'intake') {
    await t.say(person, chat, `申请 ${word}`);
    const card = await lastCard(chat, '填写');
    const result = await t.click(card.id, person, 'approval.submit', submitOf(card, '提交申请').value, form);
    return { result, number: /SQ-\d{8}-\d{3}/.exec(result.toast?.text ?? '')?.[0] ?? '' };
  }
  /** Clicks 同意 / 驳回 / 确认办结 on the approver's own card. */
  async function decide(person: string, number: string, label: '同意' | '驳回' | '确认办结', comment = '', cardOwner = person) {
    const card = (await dm(cardOwner)).filter((m) => m.card?.title.includes(number)).at(-1)!;
    return t.click(card.id, person, 'approval.decide', submitOf(card, label).value, { comment });
  }
  const approval = (number: string) =>
    t.bot.db.approval.findUniqueOrThrow({
      where: { number },
      include: { steps: { orderBy: [{ stage: 'asc' }, { id: 'asc' }], include: { decisions: true } } },
    });

  it('routes a permission request: department head → system owner → IT carries it out → the requester is told', async () => {
    t = await createTestBot();
    const { result, number } = await apply('zhang-li', '权限', {
      person: 'zhang-li',
      system: 'nurse-ws',
      action: 'create',
      permissions: '护士站 医嘱执行、体温单录入',
      reason: '新入职',
    });
    expect(result.toast?.text).toBe(text('approval.submitted.toast', { number, steps: '科室负责人审批' }));
    const request = await lastCard('intake', number);
    expect(request.card!.markdown).toBe('1. **科室负责人审批**：⏳ 待 陈静 审批\n2. **系统负责人审批**：⏸ 未开始\n3. **信息科开通**：⏸ 未开始');

    // The wrong person clicking the head's card changes nothing.
    const head = (await dm('chen-jing')).find((m) => m.card?.title.includes(number))!;
    const wrong = await t.click(head.id, 'li-na', 'approval.decide', submitOf(head, '同意').value, { comment: '' });
    expect(wrong).toMatchObject({ outcome: 'refused', toast: { text: text('error.not_approver', { step: '科室负责人审批', approvers: '陈静' }) } });
    expect((await dm('gao-yan')).length).toBe(0);

    const [approveValue, rejectValue] = [submitOf(head, '同意').value, submitOf(head, '驳回').value];
    const first = await t.click(head.id, 'chen-jing', 'approval.decide', approveValue, { comment: '同意开通' });
    expect(first.toast?.text).toBe(text('approval.approved.toast', { number, status: text('approval.status.pending') }));
    // A second click on the same button is a duplicate; the other button on a decided step says who decided.
    const again = await t.click(head.id, 'chen-jing', 'approval.decide', approveValue, { comment: '同意开通' });
    expect(again).toMatchObject({ outcome: 'duplicate', toast: { text: text('error.duplicate_action') } });
    const stale = await t.click(head.id, 'chen-jing', 'approval.decide', rejectValue, { comment: '点错了' });
    expect(stale.toast?.text).toBe(text('error.step_not_pending', { step: '科室负责人审批', result: `陈静 ${text('approval.decision.approve')}` }));

    // The owner of the nurse workstation is the head of nursing (routing table).
    await decide('gao-yan', number, '同意');
    const execute = await lastCard('engineers', number);
    await t.click(execute.id, 'wang-wei', 'approval.claim', submitOf(execute, '认领执行').value);
    const claimed = await lastCard('engineers', number);
    const done = await t.click(claimed.id, 'wang-wei', 'approval.done', submitOf(claimed, '已完成').value, { comment: '已开通，初始密码已当面告知' });
    expect(done.toast?.text).toBe(text('approval.executed.toast', { number, status: text('approval.status.approved') }));

    const final = await lastCard('intake', number);
    expect(final.card!.title).toBe(`${text('approval.kind.permission')} ${number} · ${text('approval.status.approved')}`);
    expect(final.card!.markdown).toBe(
      '1. **科室负责人审批**：✅ 陈静 同意：同意开通\n2. **系统负责人审批**：✅ 高燕 同意\n3. **信息科开通**：✅ 王伟 已完成：已开通，初始密码已当面告知',
    );
    expect(await lastText('intake')).toBe(`@张丽 ${text('approval.completed.permission', { person: '张丽', note: '（已开通，初始密码已当面告知）' })}`);
    expect((await dm('chen-jing')).at(-1)!.card!.form).toBeUndefined();
    // Deciding a finished request by command says where it stands, once (no 已已…).
    await t.say('chen-jing', 'intake', `审批 ${number} 同意`);
    expect(await lastText('intake')).toBe(`${number} ${text('approval.status.approved')}，无需再处理。`);

    const api = await t.bot.app.inject({ url: '/api/approvals?type=permission', headers: { authorization: `Bearer ${API_TOKEN}` } });
    const [listed] = api.json().approvals;
    expect(listed).toMatchObject({ number, status: 'approved', requester: { id: 'zhang-li' } });
    expect(listed.steps.map((s: { decisions: { decision: string }[] }) => s.decisions.map((d) => d.decision))).toEqual([['approve'], ['approve'], ['done']]);
    expect(await t.bot.db.auditLog.count({ where: { entityId: number } })).toBe(6);
  });

  it('never keeps a password typed into a comment: not stored, not on the card, not told to the requester', async () => {
    t = await createTestBot();
    const { number } = await apply('zhang-li', '权限', {
      person: 'zhang-li',
      system: 'nurse-ws',
      action: 'create',
      permissions: '护士站 医嘱执行',
      reason: '新入职',
    });
    await decide('chen-jing', number, '同意');
    await decide('gao-yan', number, '同意');
    const execute = await lastCard('engineers', number);
    await t.click(execute.id, 'wang-wei', 'approval.claim', submitOf(execute, '认领执行').value);
    const claimed = await lastCard('engineers', number);
    const done = await t.click(claimed.id, 'wang-wei', 'approval.done', submitOf(claimed, '已完成').value, { comment: '已开通，初始密码 Hx@2026!a' });
    expect(done.toast?.text).toContain(text('approval.secretHidden'));
    expect(await lastText('intake')).toBe(`@张丽 ${text('approval.completed.permission', { person: '张丽', note: '（已开通，初始密码 ******）' })}`);
    expect((await lastCard('intake', number)).card!.markdown).not.toContain('Hx@2026');
    const stored = await t.bot.db.approvalDecision.findMany({ where: { step: { approval: { number } } } });
    expect(stored.map((d) => d.comment ?? '').join()).not.toContain('Hx@2026');
    expect(JSON.stringify(await t.bot.db.auditLog.findMany({ where: { entityId: number } }))).not.toContain('Hx@2026');
  });

  it('lets a delegate approve, recorded as on behalf of the approver', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await t.say('gao-yan', 'intake', '委托 林涛 2026-11-30 18:00 外出培训');
    expect(await lastText('intake')).toBe(text('approval.delegate.done', { name: '林涛', until: '2026-11-30 18:00' }));
    const { number } = await apply('li-na', '权限', { person: 'li-na', system: 'nurse-ws', action: 'change', permissions: '增加输液执行权限', reason: '调岗' });
    await decide('zhao-gang', number, '同意');
    const delegateCard = (await dm('lin-tao')).find((m) => m.card?.title.includes(number))!;
    expect(delegateCard.card!.note).toBe(text('approval.card.onBehalf', { names: '高燕' }));
    await decide('lin-tao', number, '同意', '', 'lin-tao');
    const { steps } = await approval(number);
    expect(steps[1]!.decisions).toMatchObject([{ approverId: 'gao-yan', actorId: 'lin-tao', decision: 'approve' }]);
    expect((await lastCard('intake', number)).card!.markdown).toContain('2. **系统负责人审批**：✅ 高燕 同意（林涛 代）');
  });

  const change = (over: Record<string, string> = {}) => ({
    title: 'HIS 数据库升级',
    reason: '数据库版本停止维护',
    content: 'Oracle 19c 升级补丁',
    risk: '升级失败导致 HIS 不可用',
    plan: '停应用、备份、升级、验证',
    rollback: '恢复备份',
    test: '测试环境验证通过',
    systems: 'HIS',
    departments: '门诊部，检验科',
    start: '2026-11-28 22:00',
    end: '2026-11-29 02:00',
    level: 'major',
    emergency: 'no',
    implementer: 'qian-bo',
    ...over,
  });

  // Days of simulated time, every due moment on the way played in turn: longer than most tests.
  it('needs two of three leaders for a major change, then runs it: notice, backup, verification, review', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    const { number } = await apply('qian-bo', '变更', change(), 'engineers');
    expect(number).toMatch(/^SQ-/);
    for (const leader of ['qin-guo', 'jiang-hua', 'xia-lan']) expect((await dm(leader)).some((m) => m.card?.title.includes(number))).toBe(true);
    await decide('jiang-hua', number, '同意', '注意备份');
    expect((await approval(number)).status).toBe('pending');
    expect((await lastCard('engineers', number)).card!.markdown).toBe(
      '1. **信息化领导小组审批**：✅ 蒋华 同意：注意备份；⏳ 待 秦国、夏岚 审批（需 2 人同意）',
    );
    await decide('qin-guo', number, '同意');
    expect((await approval(number)).status).toBe('approved');
    const late = (await dm('xia-lan')).find((m) => m.card?.title.includes(number))!;
    expect(late.card!.form).toBeUndefined();

    // Before the window: the implementer and the affected departments are told (2 h before).
    await t.advance(5 * 24 * 60 + 10 * 60 + 30); // 11-28 19:30: not yet (his shift handovers only)
    expect((await dm('qian-bo')).filter((m) => !m.card?.title.startsWith('交接班'))).toHaveLength(0);
    await t.advance(31); // 20:01
    expect((await dm('qian-bo')).at(-1)!.text).toContain('将于 11-28 22:00 – 11-29 02:00 实施');
    expect(await lastText('intake')).toContain('计划变更通知：HIS 数据库升级');
    await t.advance(2 * 60); // 22:01, the window is open
    let card = await lastCard('engineers', number);
    expect(card.card!.title).toBe(`${text('approval.kind.change')} ${number} · ${text('approval.phase.awaiting_backup')}`);
    const early = await t.click(card.id, 'wang-wei', 'change.backup', submitOf(card, '备份已完成').value);
    expect(early.toast?.text).toBe(text('error.not_implementer', { implementer: '钱博', what: text('change.what.backup') }));
    // The implementer is told to confirm on the card, and has it in the direct chat, buttons and all.
    const own = (await dm('qian-bo')).filter((m) => m.card?.title.includes(number)).at(-1)!;
    const notice = text('change.windowOpen.notify', { number, title: (await approval(number)).title });
    expect((await dm('qian-bo')).map((m) => m.text)).toContain(notice);
    await t.click(own.id, 'qian-bo', 'change.backup', submitOf(own, '备份已完成').value);
    card = await lastCard('engineers', number);
    expect(card.card!.title).toBe(`${text('approval.kind.change')} ${number} · ${text('approval.phase.in_progress')}`);
    expect((await dm('qian-bo')).find((m) => m.id === own.id)!.card!.title).toBe(card.card!.title);
    await t.click(card.id, 'qian-bo', 'change.verify', submitOf(card, '验证通过').value, { comment: 'HIS 登录、挂号、收费验证正常' });
    expect(await lastText('intake')).toBe(text('change.verified.notice', { name: 'HIS 数据库升级', comment: 'HIS 登录、挂号、收费验证正常' }));
    card = await lastCard('engineers', number);
    expect(card.card!.title).toBe(`${text('approval.kind.change')} ${number} · ${text('approval.phase.review_pending')}`);

    await t.advance(6 * 24 * 60 + 60);
    expect((await dm('qian-bo')).at(-1)!.text).toMatch(/^提醒：变更 SQ-\d{8}-\d{3}（重大变更：HIS 数据库升级）的变更后评审须在 12-05 22:01 前完成并归档。$/);
    card = await lastCard('engineers', number);
    await t.click(card.id, 'qian-bo', 'change.review', submitOf(card, '提交评审').value, { comment: '升级顺利，文档已归档' });
    expect((await approval(number)).phase).toBe('closed');
    const trail = await t.bot.db.auditLog.findMany({ where: { entityId: number }, orderBy: { id: 'asc' } });
    expect(trail.map((a) => a.action)).toEqual([
      'approval.submit',
      'approval.approve',
      'approval.approve',
      'approval.approved',
      'change.backup',
      'change.verified',
      'change.reviewed',
    ]);
  }, 60_000);

  it('refuses a change outside the change windows, naming them, unless it is an emergency (then the IT director signs too)', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    const outside = await apply('qian-bo', '变更', change({ level: 'normal', start: '2026-11-24 14:00', end: '2026-11-24 15:00' }), 'engineers');
    expect(outside.result).toMatchObject({
      outcome: 'refused',
      toast: { text: expect.stringContaining('允许的变更窗口：工作日 22:00–次日 06:00；周末及节假日 全天') },
    });
    expect(await t.bot.db.approval.count()).toBe(0);

    const emergency = await apply('qian-bo', '变更', change({ start: '2026-11-24 14:00', end: '2026-11-24 15:00', emergency: 'yes' }), 'engineers');
    const { steps } = await approval(emergency.number);
    expect(steps.map((s) => s.name)).toEqual(['信息化领导小组审批', '信息科主任审批（紧急变更）']);

    // 全院 is every department; a name nobody knows is still refused, naming it.
    expect((await apply('qian-bo', '变更', change({ level: 'normal', departments: '全院' }), 'engineers')).number).toMatch(/^SQ-/);
    const unknown = await apply('qian-bo', '变更', change({ level: 'normal', departments: '门诊部，太空科' }), 'engineers');
    expect(unknown.result).toMatchObject({ outcome: 'refused', toast: { text: expect.stringContaining('太空科') } });
  });

  it('finishes a revocation only after IT confirms: HR’s closing step waits for the deactivation', async () => {
    t = await createTestBot();
    const { number } = await apply('tang-wei', '销户', { person: 'ma-li', kind: '离职', date: '2026-11-30', systems: 'HIS 收费、OA' }, 'intake');
    await decide('guo-fang', number, '同意');
    await decide('song-jia', number, '同意');
    // HR tries to close before IT has deactivated the account.
    await t.say('song-jia', 'intake', `审批 ${number} 确认`);
    expect(await lastText('intake')).toBe(text('error.step_waiting', { step: '人事科确认办结', current: '信息科停用账号' }));
    const execute = await lastCard('engineers', number);
    await t.click(execute.id, 'zhu-lin', 'approval.claim', submitOf(execute, '认领执行').value);
    const claimed = await lastCard('engineers', number);
    await t.click(claimed.id, 'zhu-lin', 'approval.done', submitOf(claimed, '已完成').value, { comment: 'HIS、OA 账号已停用' });
    expect((await approval(number)).status).toBe('pending');
    // 唐薇 asked for it, so HR's closing is her colleague's: she neither gets the card nor may confirm by typing.
    expect((await dm('tang-wei')).some((m) => m.card?.title.includes(number))).toBe(false);
    await t.say('tang-wei', 'intake', `审批 ${number} 确认`);
    expect(await lastText('intake')).toBe(
      text('error.own_request', { number, what: text('approval.what.confirm'), instead: text('approval.duties.insteadApprovers', { names: '宋佳' }) }),
    );
    const closing = (await dm('song-jia')).filter((m) => m.card?.title.includes(number)).at(-1)!;
    expect(closing.card!.form!.submits.map((b) => b.label)).toEqual(['确认办结']);
    await decide('song-jia', number, '确认办结');
    expect((await approval(number)).status).toBe('approved');
    expect(await lastText('intake')).toBe(`@唐薇 ${text('approval.completed.revocation', { person: '马莉' })}`);
  });

  it('reminds a stale approver after 4 hours and tells the IT director after 8', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    const { number } = await apply('liu-yang', '数据导出', {
      scope: '10 月心内科出院患者诊断与费用',
      purpose: '科室质控分析',
      masking: 'yes',
      recipient: '刘洋',
    });
    await t.advance(4 * 60 + 1);
    expect((await dm('sun-hong')).at(-1)!.text).toBe(
      `提醒：敏感数据导出 ${number}（数据导出：10 月心内科出院患者诊断与费用）在「科室负责人审批」等待您处理已 4 小时。`,
    );
    await t.advance(4 * 60);
    expect((await dm('huang-jun')).at(-1)!.text).toBe(
      `督办：敏感数据导出 ${number}（数据导出：10 月心内科出院患者诊断与费用）在「科室负责人审批」已等待 8 小时，待 孙红 处理。`,
    );
    await decide('sun-hong', number, '驳回', '请先走科研处审批');
    expect(await lastText('intake')).toBe(
      `@刘洋 ${text('approval.rejected.notify', { kind: text('approval.kind.data_export'), number, title: text('approvalForm.dataExport.title', { scope: '10 月心内科出院患者诊断与费用' }), step: '科室负责人审批', actor: '孙红', reason: '请先走科研处审批' })}`,
    );
    expect((await approval(number)).steps.map((s) => s.status)).toEqual(['rejected', 'skipped', 'skipped']);
  });

  it('has IT carry out an approved data export before the requester is told it is done', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    const { number } = await apply('liu-yang', '数据导出', { scope: '11 月心内科门诊量', purpose: '科室质控分析', masking: 'yes', recipient: '刘洋' });
    await decide('sun-hong', number, '同意');
    await decide('huang-jun', number, '同意');
    // Approved is not done: the export waits for an engineer, and the requester hears nothing yet.
    expect((await approval(number)).status).toBe('pending');
    expect((await lastText('intake')) ?? '').not.toContain(text('approval.completed.dataExport', { number, note: '' }).slice(0, 12));
    const execute = await lastCard('engineers', number);
    await t.click(execute.id, 'wang-wei', 'approval.claim', submitOf(execute, '认领执行').value);
    const claimed = await lastCard('engineers', number);
    await t.click(claimed.id, 'wang-wei', 'approval.done', submitOf(claimed, '已完成').value, { comment: '已加密发送至刘洋邮箱' });
    expect((await approval(number)).status).toBe('approved');
    expect(await lastText('intake')).toBe(`@刘洋 ${text('approval.completed.dataExport', { number, note: '（已加密发送至刘洋邮箱）' })}`);
  });

  it('checks leave against seven working days and hands the duties to the named colleague', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    const long = await apply('zhou-min', '离岗', { start: '2026-12-01', end: '2026-12-14', reason: '进修', covered: 'wu-qiang' });
    expect(long.result.toast?.text).toBe(text('error.invalid_form', { reason: text('approvalForm.leave.tooLong', { max: 7, workdays: 10 }) }));
    const { number } = await apply('zhou-min', '离岗', { start: '2026-12-01', end: '2026-12-03', reason: '家事', covered: 'wu-qiang' });
    await decide('wu-qiang', number, '同意');
    expect((await approval(number)).status).toBe('approved');
    expect((await dm('wu-qiang')).at(-1)!.text).toBe(text('approval.completed.leave', { requester: '周敏', start: '2026-12-01', end: '2026-12-03' }));
  });

  it('runs a duty swap past the colleague and the IT director, and an asset requisition past IT', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await t.say('zhu-lin', 'engineers', '值班'); // the week's roster: 朱林 主班 11-24, 王伟 夜班 11-27
    // A radiology technician has no IT shifts to swap: no form is offered.
    await t.say('zheng-hao', 'intake', '申请 换班');
    const onlyDuty = text('error.not_allowed', {
      who: text('approval.swap.who'),
      what: text('approval.what.apply', { kind: text('approval.kind.duty_swap') }),
    });
    expect(await lastText('intake')).toBe(onlyDuty);
    expect(await t.bot.db.approval.count()).toBe(0);
    const swap = await apply('zhu-lin', '换班', { colleague: 'wang-wei', mine: '2026-11-24', theirs: '２０２６-１１-２７', reason: '家中有事' }, 'engineers');
    await decide('wang-wei', swap.number, '同意');
    await decide('huang-jun', swap.number, '同意');
    expect((await approval(swap.number)).status).toBe('approved');
    expect((await dm('wang-wei')).at(-1)!.text).toBe(
      text('approval.completed.swap', {
        requester: '朱林',
        mine: '2026-11-24',
        colleague: '王伟',
        theirs: '2026-11-27',
        updated: text('approval.completed.swapRoster'),
      }),
    );
    expect(await t.bot.db.auditLog.count({ where: { action: 'duty.swap' } })).toBe(1);

    // A swap for a day someone has no shift is refused at the last approval, changing nothing.
    const wrongDay = await apply('zhu-lin', '换班', { colleague: 'wang-wei', mine: '2026-11-30', theirs: '2026-11-23', reason: '调休' }, 'engineers');
    await decide('wang-wei', wrongDay.number, '同意');
    const director = (await dm('huang-jun')).filter((m) => m.card?.title.includes(wrongDay.number)).at(-1)!;
    const refused = await t.click(director.id, 'huang-jun', 'approval.decide', submitOf(director, '同意').value, { comment: '' });
    expect(refused.toast?.text).toBe(
      text('error.not_possible', { reason: text('duty.swap.notOnRoster', { missing: text('duty.swap.missing', { name: '朱林', day: '2026-11-30' }) }) }),
    );
    expect((await approval(wrongDay.number)).status).toBe('pending');

    const bad = await apply('zheng-hao', '领用', { item: '扫码枪', quantity: '很多', reason: '新增窗口' });
    expect(bad.result.toast?.text).toBe(
      text('error.invalid_form', { reason: text('approvalForm.asset.quantityRange', { label: text('approvalForm.asset.quantity') }) }),
    );
    const asset = await apply('zheng-hao', '领用', { item: '扫码枪', quantity: '2', reason: '新增窗口' });
    await decide('feng-lei', asset.number, '同意');
    const execute = await lastCard('engineers', asset.number);
    await t.click(execute.id, 'deng-chao', 'approval.claim', submitOf(execute, '认领执行').value);
    const second = await t.click(execute.id, 'wang-wei', 'approval.claim', submitOf(execute, '认领执行').value);
    expect(second.toast?.text).toBe(text('error.already_claimed', { number: asset.number, engineer: '邓工' }));
    await t.say('zheng-hao', 'intake', '我的申请');
    expect((await t.transcript('intake')).at(-1)!.card!.text).toContain(`${asset.number}｜资产领用｜审批中（当前：信息科发放）｜领用 扫码枪 ×2`);
  });
});
