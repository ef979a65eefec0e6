import { afterEach, describe, expect, it } from 'vitest';
import type { SimMessage } from '../../adapters/simulator/transcript.js';
import { t as text } from '../../bot/i18n/zh.js';
import { API_TOKEN, buttonOf, createTestBot, type TestBot } from '../helpers/bot.js';
import { importRegister } from '../helpers/repairs.js';

/** 2026-12-02 10:00 in the hospital: a Wednesday, in working hours. */
const NOW = new Date('2026-12-02T02:00:00Z');
const REGISTER = [
  '资产编号,类型,型号,科室,位置,使用人,购置日期,保修截止,厂商,厂商联系方式',
  'PC-0231,台式机,联想启天 M720,门诊部,门诊3楼212诊室,张丽,2018-07-01,2021-06-30,联想,400-990-8888',
  'PR-1002,激光打印机,惠普 M403d,门诊部,门诊1楼收费处,马莉,2017-03-01,2020-02-28,惠普,400-820-2255',
].join('\n');

const fieldsOf = (m: SimMessage) => Object.fromEntries(m.card!.fields.map((f) => [f.label, f.value]));
const refusal = (reason: string) => text('error.invalid_form', { reason });

describe('scrapping an asset (资产报废) through the approval engine', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  async function start() {
    t = await createTestBot({}, undefined, NOW);
    await importRegister(t, REGISTER);
  }
  const dm = (person: string) => t.transcript(`user:${person}`);
  const lastText = async (chat: string) => (await t.transcript(chat)).filter((m) => m.from === 'bot' && m.text).at(-1)?.text;
  const formCard = async (chat = 'intake') => t.card(chat, text('approval.formCard.title', { kind: text('approval.kind.asset_scrap') }));
  /** Opens the form with `申请 <words>` and submits it; the request's number, from the toast. */
  async function apply(person: string, words: string, form: Record<string, string>) {
    await t.say(person, 'intake', `申请 ${words}`);
    const card = await formCard();
    const result = await t.click(card.id, person, 'approval.submit', buttonOf(card, '提交申请').value, form);
    return { card, result, number: /SQ-\d{8}-\d{3}/.exec(result.toast?.text ?? '')?.[0] ?? '' };
  }
  /** Clicks a button on the card of `number` in the direct chat of `cardOwner`. */
  async function decide(person: string, number: string, label: '同意' | '驳回' | '确认办结', comment = '', cardOwner = person) {
    const card = (await dm(cardOwner)).filter((m) => m.card?.title.includes(number)).at(-1);
    if (!card) throw new Error(`${cardOwner} has no card of ${number}`);
    return t.click(card.id, person, 'approval.decide', buttonOf(card, label).value, { comment });
  }
  const asset = (number: string) => t.bot.db.asset.findUniqueOrThrow({ where: { number }, include: { events: { orderBy: { id: 'asc' } } } });

  it('runs a PC’s whole chain by the right people’s clicks, destroys its disk and marks it scrapped', async () => {
    await start();
    await t.say('zhang-li', 'intake', '申请 报废 PC-0231');
    const form = await formCard();
    // The form names the machine as the register has it, and does not ask about storage media: a PC holds them.
    expect(fieldsOf(form)).toEqual({
      资产: 'PC-0231 台式机 联想启天 M720',
      使用科室: '门诊部',
      存放位置: '门诊3楼212诊室',
      使用人: '张丽',
      存储介质: '有，须销毁并经信息科确认',
    });
    expect(form.card!.form!.inputs.map((i) => i.name)).toEqual(['reason']);
    const result = await t.click(form.id, 'zhang-li', 'approval.submit', buttonOf(form, '提交申请').value, { reason: '主板损坏，开机无显示，已使用 8 年' });
    const number = /SQ-\d{8}-\d{3}/.exec(result.toast?.text ?? '')![0];
    expect(result.toast?.text).toBe(text('approval.submitted.toast', { number, steps: '使用科室负责人审批' }));
    const request = await t.card('intake', number);
    expect(request.card!.text).toBe('报废 PC-0231 台式机 联想启天 M720（门诊部）');
    expect(request.card!.markdown).toBe(
      [
        '1. **使用科室负责人审批**：⏳ 待 陈静 审批',
        '2. **信息科技术鉴定**：⏸ 未开始',
        '3. **资产管理部门处置**：⏸ 未开始',
        '4. **存储介质销毁确认**：⏸ 未开始',
      ].join('\n'),
    );

    // Someone else clicking the head's card is refused, and nothing moves.
    const wrong = await decide('li-na', number, '同意', '', 'chen-jing');
    expect(wrong).toMatchObject({ outcome: 'refused', toast: { text: text('error.not_approver', { step: '使用科室负责人审批', approvers: '陈静' }) } });
    await decide('chen-jing', number, '同意', '同意报废');

    // The appraisal goes to the engineers of the group that looks after PCs (系统组), not to a network engineer.
    expect((await dm('yang-fan')).some((m) => m.card?.title.includes(number))).toBe(false);
    const appraiserCard = (await dm('qian-bo')).filter((m) => m.card?.title.includes(number)).at(-1)!;
    const network = await t.click(appraiserCard.id, 'yang-fan', 'approval.decide', buttonOf(appraiserCard, '同意').value, { comment: '' });
    expect(network.toast?.text).toBe(text('error.not_approver', { step: '信息科技术鉴定', approvers: '钱博、王伟' }));
    await decide('wang-wei', number, '同意', '主板损坏，维修费用超过残值，同意报废');

    // The asset office (设备科) disposes.
    await decide('lu-qing', number, '同意', '同意报废，交回收商处置');
    expect((await asset('PC-0231')).status).toBe('active');

    // Its disk destroyed the next morning, an engineer confirms: only now is the asset scrapped.
    t.clock.advance(23 * 60);
    const confirmCard = (await dm('wang-wei')).filter((m) => m.card?.title.includes(number)).at(-1)!;
    expect(confirmCard.card!.form!.submits.map((s) => s.label)).toEqual(['确认办结']);
    await decide('wang-wei', number, '确认办结', '硬盘已消磁并物理粉碎');

    const scrapped = await asset('PC-0231');
    expect(scrapped.status).toBe('scrapped');
    const event = scrapped.events.at(-1)!;
    expect(event).toMatchObject({ type: 'scrapped', actorId: 'wang-wei' });
    expect(event.data).toMatchObject({
      request: number,
      reason: '主板损坏，开机无显示，已使用 8 年',
      appraisal: { step: '信息科技术鉴定', by: 'wang-wei', comment: '主板损坏，维修费用超过残值，同意报废' },
      storageMedia: true,
      mediaDestroyed: {
        step: '存储介质销毁确认',
        by: 'wang-wei',
        name: '王伟',
        comment: '硬盘已消磁并物理粉碎',
        at: expect.stringMatching(/^2026-12-03T01:0/),
      },
      placement: { departmentId: 'outpatient', location: '门诊3楼212诊室', userName: '张丽' },
    });
    expect((event.data as { decisions: unknown[] }).decisions.map((d) => (d as { by: string }).by)).toEqual(['chen-jing', 'wang-wei', 'lu-qing', 'wang-wei']);
    expect(await lastText('intake')).toBe(
      `@张丽 ${text('approval.completed.scrap', { number: 'PC-0231', media: text('approval.completed.scrapMedia', { name: '王伟' }) })}`,
    );
    expect((await t.card('intake', number)).card!.title).toBe(`资产报废 ${number} · 已通过`);

    // The register's history says so over the API.
    const api = await t.bot.app.inject({ url: '/api/assets/PC-0231', headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(api.json()).toMatchObject({
      status: 'scrapped',
      events: [{ type: 'imported' }, { type: 'scrapped', actorId: 'wang-wei', data: { request: number } }],
    });
    expect(await t.bot.db.auditLog.count({ where: { action: 'asset.scrapped', entityId: 'PC-0231' } })).toBe(1);

    // Scrapped, it cannot be asked for again; a fault report naming it is flagged to the engineers.
    await t.say('zhang-li', 'intake', '申请 报废 PC-0231');
    expect(await lastText('intake')).toBe(refusal(text('approvalForm.register.scrapped', { number: 'PC-0231', kind: '资产报废' })));
    await t.say('zhang-li', 'intake', '门诊3楼212诊室电脑开不了机，资产号PC-0231，电话8123');
    const ticket = await t.bot.db.ticket.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(fieldsOf(await t.card('engineers', ticket.number))[text('asset.card.register')]).toBe(text('asset.card.scrapped', { number: 'PC-0231' }));
  });

  it('asks about storage media for a printer, and without them leaves out the destruction step', async () => {
    await start();
    await t.say('ma-li', 'intake', '申请 报废 PR-1002');
    // 马莉 uses it but works in 财务科: only the using department (门诊部) or IT may apply.
    expect(await lastText('intake')).toBe(refusal(text('approvalForm.scrap.notUser', { number: 'PR-1002', department: '门诊部' })));

    const { card, number } = await apply('zhang-li', '报废 PR-1002', { reason: '定影组件老化，配件已停产', media: 'no' });
    expect(card.card!.form!.inputs.map((i) => i.name)).toEqual(['reason', 'media']);
    expect((await t.card('intake', number)).card!.markdown).toBe(
      ['1. **使用科室负责人审批**：⏳ 待 陈静 审批', '2. **信息科技术鉴定**：⏸ 未开始', '3. **资产管理部门处置**：⏸ 未开始'].join('\n'),
    );
    await decide('chen-jing', number, '同意');
    await decide('qian-bo', number, '同意', '配件停产，无维修价值');
    await decide('qiu-ming', number, '同意');
    const printer = await asset('PR-1002');
    expect(printer.status).toBe('scrapped');
    expect(printer.events.at(-1)!.data).toMatchObject({ request: number, storageMedia: false, mediaDestroyed: null, appraisal: { by: 'qian-bo' } });
  });

  it('refuses a PC declared without storage media, an unknown asset, another department’s asset and a second request, creating nothing', async () => {
    await start();
    // Typed into the form: the PC said to hold no media is refused, the register knows better.
    const noMedia = await apply('zhang-li', '报废', { asset: 'pc0231', reason: '主板损坏', media: 'no' });
    expect(noMedia.result).toMatchObject({
      outcome: 'refused',
      toast: { text: refusal(text('approvalForm.scrap.mediaRequired', { number: 'PC-0231', kind: '台式机', label: text('approvalForm.scrap.media') })) },
    });
    const unknown = await apply('zhang-li', '报废', { asset: 'PC-9999', reason: '主板损坏', media: 'yes' });
    expect(unknown.result.toast?.text).toBe(refusal(text('approvalForm.register.unknown', { number: 'PC-9999' })));
    await t.say('zhang-li', 'intake', '申请 报废 PC-9999');
    expect(await lastText('intake')).toBe(refusal(text('approvalForm.register.unknown', { number: 'PC-9999' })));
    const other = await apply('li-na', '报废', { asset: 'PC-0231', reason: '主板损坏', media: 'yes' });
    expect(other.result.toast?.text).toBe(refusal(text('approvalForm.scrap.notUser', { number: 'PC-0231', department: '门诊部' })));
    expect(await t.bot.db.approval.count()).toBe(0);

    // One request at a time per asset.
    const first = await apply('zhang-li', '报废', { asset: 'PC-0231', reason: '主板损坏', media: 'yes' });
    expect(first.number).not.toBe('');
    await t.say('chen-jing', 'intake', '申请 报废 PC-0231');
    expect(await lastText('intake')).toBe(refusal(text('approvalForm.register.inProgress', { number: 'PC-0231', kind: '资产报废', request: first.number })));
    expect(await t.bot.db.approval.count()).toBe(1);
  });

  it('changes nothing when the appraisal finds the asset repairable', async () => {
    await start();
    const { number } = await apply('zhang-li', '报废 PC-0231', { reason: '开机慢' });
    await decide('chen-jing', number, '同意');
    await decide('qian-bo', number, '驳回', '更换固态硬盘即可继续使用，不予报废');
    expect((await t.bot.db.approval.findUniqueOrThrow({ where: { number } })).status).toBe('rejected');
    const pc = await asset('PC-0231');
    expect(pc.status).toBe('active');
    expect(pc.events.map((e) => e.type)).toEqual(['imported']);
    // The asset office never got a card.
    expect((await dm('lu-qing')).length).toBe(0);
  });
});
