import { afterEach, describe, expect, it } from 'vitest';
import type { SimMessage } from '../../adapters/simulator/transcript.js';
import { t as text } from '../../bot/i18n/zh.js';
import { API_TOKEN, buttonOf, createTestBot, type TestBot } from '../helpers/bot.js';
import { importRegister } from '../helpers/repairs.js';

/** 2026-12-02 10:00 in the hospital: a Wednesday, in working hours. */
const NOW = new Date('2026-12-02T02:00:00Z');
const REGISTER = [
  '资产编号,类型,型号,科室,位置,使用人,购置日期,保修截止,厂商,厂商联系方式',
  'PC-0231,台式机,联想启天 M720,门诊部,门诊3楼212诊室,张丽,2024-07-01,2027-06-30,联想,400-990-8888',
].join('\n');
const TO_LAB = { toDepartment: 'laboratory', toLocation: '医技楼2楼检验科前台', toUser: '周敏', reason: '门诊部更换新机，旧机调检验科前台使用' };

const fieldsOf = (m: SimMessage) => Object.fromEntries(m.card!.fields.map((f) => [f.label, f.value]));
const refusal = (reason: string) => text('error.invalid_form', { reason });

describe('transferring an asset (资产调拨) through the approval engine', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  async function start() {
    t = await createTestBot({}, undefined, NOW);
    await importRegister(t, REGISTER);
  }
  const dm = (person: string) => t.transcript(`user:${person}`);
  const lastText = async (chat: string) => (await t.transcript(chat)).filter((m) => m.from === 'bot' && m.text).at(-1)?.text;
  async function apply(person: string, words: string, form: Record<string, string>) {
    await t.say(person, 'intake', `申请 ${words}`);
    const card = await t.card('intake', text('approval.formCard.title', { kind: text('approval.kind.asset_transfer') }));
    const result = await t.click(card.id, person, 'approval.submit', buttonOf(card, '提交申请').value, form);
    return { card, result, number: /SQ-\d{8}-\d{3}/.exec(result.toast?.text ?? '')?.[0] ?? '' };
  }
  async function decide(person: string, number: string, label: '同意' | '驳回', comment = '', cardOwner = person) {
    const card = (await dm(cardOwner)).filter((m) => m.card?.title.includes(number)).at(-1);
    if (!card) throw new Error(`${cardOwner} has no card of ${number}`);
    return t.click(card.id, person, 'approval.decide', buttonOf(card, label).value, { comment });
  }
  const asset = () => t.bot.db.asset.findUniqueOrThrow({ where: { number: 'PC-0231' }, include: { events: { orderBy: { id: 'asc' } } } });

  it('moves the asset to the receiving department, its new place and user once both heads approve and IT records it', async () => {
    await start();
    const { card, result, number } = await apply('zhang-li', '调拨 PC-0231', TO_LAB);
    // The form names the asset as registered and offers every other department.
    expect(fieldsOf(card)).toMatchObject({ 资产: 'PC-0231 台式机 联想启天 M720', 使用科室: '门诊部', 存放位置: '门诊3楼212诊室', 使用人: '张丽' });
    const offered = card.card!.form!.inputs.find((i) => i.name === 'toDepartment')!.options!.map((o) => o.value);
    expect(offered).toContain('laboratory');
    expect(offered).not.toContain('outpatient');
    expect(result.toast?.text).toBe(text('approval.submitted.toast', { number, steps: '调出科室负责人审批' }));
    const request = await t.card('intake', number);
    expect(request.card!.text).toBe('调拨 PC-0231：门诊部 → 检验科');
    expect(fieldsOf(request)).toMatchObject({ 调入: '检验科，医技楼2楼检验科前台，使用人 周敏' });
    expect(request.card!.markdown).toBe(
      ['1. **调出科室负责人审批**：⏳ 待 陈静 审批', '2. **调入科室负责人审批**：⏸ 未开始', '3. **信息科登记调拨**：⏸ 未开始'].join('\n'),
    );

    await decide('chen-jing', number, '同意', '同意调出');
    // The receiving head is asked only now; someone else on their card is refused.
    const wrong = await decide('zhou-min', number, '同意', '', 'wu-qiang');
    expect(wrong).toMatchObject({ outcome: 'refused', toast: { text: text('error.not_approver', { step: '调入科室负责人审批', approvers: '吴强' }) } });
    await decide('wu-qiang', number, '同意', '同意接收');
    expect((await asset()).departmentId).toBe('outpatient');

    const execute = await t.card('engineers', number);
    await t.click(execute.id, 'wang-wei', 'approval.claim', buttonOf(execute, '认领执行').value);
    const claimed = await t.card('engineers', number);
    await t.click(claimed.id, 'wang-wei', 'approval.done', buttonOf(claimed, '已完成').value, { comment: '已贴新标签，台账已核对' });

    const moved = await asset();
    expect(moved).toMatchObject({ departmentId: 'laboratory', location: '医技楼2楼检验科前台', userName: '周敏', status: 'active' });
    expect(moved.events.map((e) => e.type)).toEqual(['imported', 'transferred']);
    expect(moved.events[1]).toMatchObject({ actorId: 'wang-wei' });
    expect(moved.events[1]!.data).toMatchObject({
      request: number,
      reason: TO_LAB.reason,
      from: { departmentId: 'outpatient', location: '门诊3楼212诊室', userName: '张丽' },
      to: { departmentId: 'laboratory', location: '医技楼2楼检验科前台', userName: '周敏' },
      decisions: [
        { step: '调出科室负责人审批', by: 'chen-jing', decision: 'approve', comment: '同意调出' },
        { step: '调入科室负责人审批', by: 'wu-qiang', decision: 'approve', comment: '同意接收' },
        { step: '信息科登记调拨', by: 'wang-wei', decision: 'done', comment: '已贴新标签，台账已核对' },
      ],
    });
    expect(await lastText('intake')).toBe(
      `@张丽 ${text('approval.completed.transfer', { number: 'PC-0231', department: '检验科', location: '医技楼2楼检验科前台', user: '周敏' })}`,
    );
    const api = await t.bot.app.inject({ url: '/api/assets/PC-0231', headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(api.json()).toMatchObject({
      department: { id: 'laboratory', name: '检验科' },
      location: '医技楼2楼检验科前台',
      user: '周敏',
      events: [{ type: 'imported' }, { type: 'transferred', data: { request: number } }],
    });

    // Now in 检验科, a report naming it is filled from its new place.
    await t.say('zhou-min', 'intake', '电脑蓝屏了，资产号PC-0231');
    expect(await t.bot.db.ticket.findFirstOrThrow({ orderBy: { id: 'desc' } })).toMatchObject({ departmentId: 'laboratory', location: '医技楼2楼检验科前台' });
  });

  it('changes nothing when the receiving head rejects', async () => {
    await start();
    const { number } = await apply('zhang-li', '调拨 PC-0231', TO_LAB);
    await decide('chen-jing', number, '同意');
    await decide('wu-qiang', number, '驳回', '检验科前台已有设备，无需调入');
    const pc = await asset();
    expect(pc).toMatchObject({ departmentId: 'outpatient', location: '门诊3楼212诊室', userName: '张丽' });
    expect(pc.events.map((e) => e.type)).toEqual(['imported']);
    expect((await t.transcript('engineers')).some((m) => m.card?.title.includes(number))).toBe(false);
  });

  it('refuses an unknown asset, its own department, an outsider and a scrapped asset, creating nothing', async () => {
    await start();
    await t.say('zhang-li', 'intake', '申请 调拨 PC-9999');
    expect(await lastText('intake')).toBe(refusal(text('approvalForm.register.unknown', { number: 'PC-9999' })));
    const typed = await apply('zhang-li', '调拨', { asset: 'PC-9999', ...TO_LAB });
    expect(typed.result).toMatchObject({ outcome: 'refused', toast: { text: refusal(text('approvalForm.register.unknown', { number: 'PC-9999' })) } });
    const same = await apply('zhang-li', '调拨', { asset: 'PC-0231', ...TO_LAB, toDepartment: 'outpatient' });
    expect(same.result.toast?.text).toBe(refusal(text('approvalForm.transfer.sameDepartment', { number: 'PC-0231', department: '门诊部' })));
    const outsider = await apply('li-na', '调拨', { asset: 'PC-0231', ...TO_LAB });
    expect(outsider.result.toast?.text).toBe(refusal(text('approvalForm.transfer.notParty', { number: 'PC-0231', from: '门诊部', to: '检验科' })));
    await t.say('zhang-li', 'intake', '申请 权限 PC-0231');
    expect(await lastText('intake')).toContain('指令格式不对');
    expect(await t.bot.db.approval.count()).toBe(0);

    await t.bot.db.asset.update({ where: { number: 'PC-0231' }, data: { status: 'scrapped' } });
    await t.say('zhang-li', 'intake', '申请 调拨 PC-0231');
    expect(await lastText('intake')).toBe(refusal(text('approvalForm.register.scrapped', { number: 'PC-0231', kind: '资产调拨' })));
    expect(await t.bot.db.approval.count()).toBe(0);
  });
});
