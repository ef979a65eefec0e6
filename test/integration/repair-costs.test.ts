import { afterEach, describe, expect, it } from 'vitest';
import type { SimMessage } from '../../adapters/simulator/transcript.js';
import { t as text } from '../../bot/i18n/zh.js';
import { API_TOKEN, buttonOf, createTestBot, type TestBot } from '../helpers/bot.js';
import { settledState } from '../helpers/every-platform.js';
import { importRegister, lastReply, REPAIR_NOW, reportAndClaim } from '../helpers/repairs.js';

const fieldsOf = (m: SimMessage) => Object.fromEntries(m.card!.fields.map((f) => [f.label, f.value]));

describe('a repair’s cost recorded at resolution', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const ticket = (number: string) => t.bot.db.ticket.findUniqueOrThrow({ where: { number } });
  const api = async (url: string) => (await t.bot.app.inject({ url, headers: { authorization: `Bearer ${API_TOKEN}` } })).json();

  it('reads the cost as engineers write it, keeps the solution without it and charges the asset’s department', async () => {
    t = await createTestBot({}, undefined, REPAIR_NOW);
    await importRegister(t);
    const cases = [
      {
        reporter: 'zhang-li',
        said: '门诊收费处打印机卡纸，打不出发票，资产号PR-1002',
        resolve: '更换硒鼓 费用 120 元',
        solution: '更换硒鼓',
        fen: 12000,
        charged: 'outpatient',
      },
      // The report names cardiology, where the machine stands; the register says it is the laboratory's: the laboratory pays.
      {
        reporter: 'liu-yang',
        said: '心内科医生办公室电脑开不了机，资产号PC-0450',
        resolve: '费用120元，更换电源',
        solution: '更换电源',
        fen: 12000,
        charged: 'laboratory',
      },
      {
        reporter: 'chen-jing',
        said: '主任办公室电脑蓝屏，资产号PC-0231',
        resolve: '更换内存条 费用：¥85.5',
        solution: '更换内存条',
        fen: 8550,
        charged: 'outpatient',
      },
      // No asset: the ticket's own department pays.
      {
        reporter: 'li-na',
        said: '急诊2楼分诊台网线断了，上不了网，电话8201',
        resolve: '更换网线和水晶头 花费 300元',
        solution: '更换网线和水晶头',
        fen: 30000,
        charged: 'emergency',
      },
    ];
    for (const c of cases) {
      const number = await reportAndClaim(t, c.reporter, c.said);
      const result = await t.say('wang-wei', 'engineers', `解决 ${number} ${c.resolve}`);
      expect(result.outcome, c.resolve).toBe('handled');
      const resolved = await ticket(number);
      expect(resolved, c.resolve).toMatchObject({ status: 'resolved', solution: c.solution, repairCostFen: c.fen, chargedDepartmentId: c.charged });
      const department = t.bot.organisation.directory.departmentName(c.charged)!;
      const cost = (c.fen / 100).toFixed(2);
      expect(await lastReply(t, 'engineers')).toBe(text('repair.resolve.toast', { number, cost, department }));
      // The reporter is told what it cost and who pays; the cards say so too.
      const told = (await t.transcript('intake')).filter((m) => m.from === 'bot' && m.text?.includes(number)).at(-1)!.text!;
      expect(told).toContain(text('repair.resolve.notify', { number, solution: c.solution, cost, department }));
      const dispatch = (await t.transcript('engineers')).find((m) => m.card?.title.includes(number))!;
      expect(fieldsOf(dispatch)[text('repair.card.cost')]).toBe(text('repair.card.costCharged', { cost, department }));
      const event = await t.bot.db.ticketEvent.findFirstOrThrow({ where: { ticket: { number }, type: 'resolved' } });
      expect(event.data).toEqual({ solution: c.solution, cost: c.fen / 100 });
      expect(await api(`/api/tickets/${number}`)).toMatchObject({ repairCost: c.fen / 100, chargedDepartment: { id: c.charged, name: department } });
    }

    // Time spent is no cost, and a ticket without an asset, parts or a cost is no repair.
    const his = await reportAndClaim(t, 'zhou-min', '检验科LIS登不上了，电话8401');
    await t.say('wang-wei', 'engineers', `解决 ${his} 重置密码，花费 2 小时`);
    expect(await ticket(his)).toMatchObject({ status: 'resolved', solution: '重置密码，花费 2 小时', repairCostFen: null, chargedDepartmentId: null });
    expect(await lastReply(t, 'engineers')).toBe(text('ticket.resolve.toast', { number: his }));
  });

  it('takes the cost from the card’s form, and the parts recorded before, into the asset’s history', async () => {
    t = await createTestBot({}, undefined, REPAIR_NOW);
    await importRegister(t);
    const number = await reportAndClaim(t, 'zhang-li', '门诊收费处打印机卡纸，资产号PR-1002');
    await t.say('wang-wei', 'engineers', `备件 ${number} 硒鼓×1`);
    const work = (await t.transcript('engineers')).find((m) => m.card?.title.includes(number))!;
    expect(work.card!.form!.inputs.map((i) => i.name)).toContain('cost');
    const clicked = await t.click(work.id, 'wang-wei', 'ticket.resolve', buttonOf(work, '解决').value, {
      text: '更换定影组件',
      parts: '定影组件×1',
      cost: '85.5 元',
    });
    expect(clicked.toast?.text).toBe(text('repair.resolve.toast', { number, cost: '85.50', department: '门诊部' }));
    expect(await ticket(number)).toMatchObject({ solution: '更换定影组件', repairCostFen: 8550, chargedDepartmentId: 'outpatient' });

    const asset = await api('/api/assets/PR-1002');
    expect(asset.repairs).toEqual([expect.objectContaining({ number, cost: 85.5 })]);
    expect(asset.events.at(-1)).toEqual({
      type: 'repaired',
      actorId: 'wang-wei',
      data: { ticket: number, cost: 85.5, parts: ['硒鼓×1', '定影组件×1'], engineer: { id: 'wang-wei', name: '王伟' }, department: 'outpatient' },
      at: expect.any(String),
    });
    expect(await t.bot.db.auditLog.count({ where: { action: 'asset.repaired', entityId: 'PR-1002' } })).toBe(1);

    // Reopened and resolved again without a cost: the cost stays, and the history tells of the second repair.
    const confirm = await t.card('intake', `请确认 ${number}`);
    await t.click(confirm.id, 'zhang-li', 'ticket.confirm', buttonOf(confirm, '未解决').value, { comment: '还是卡纸' });
    await t.say('wang-wei', 'engineers', `解决 ${number} 清洁搓纸轮`);
    expect(await ticket(number)).toMatchObject({ status: 'resolved', repairCostFen: 8550 });
    const events = (await api('/api/assets/PR-1002')).events.filter((e: { type: string }) => e.type === 'repaired');
    expect(events.map((e: { data: { cost: number } }) => e.data.cost)).toEqual([85.5, 85.5]);
  });

  it('refuses a cost that cannot be right, typed or on the card, and changes nothing', async () => {
    t = await createTestBot({}, undefined, REPAIR_NOW);
    await importRegister(t);
    const number = await reportAndClaim(t, 'zhang-li', '门诊收费处打印机卡纸，资产号PR-1002');
    const state = async () => ({
      ...(await settledState(t.bot)),
      row: await ticket(number),
      assetEvents: await t.bot.db.assetEvent.count(),
    });
    const ignoringReply = (s: Awaited<ReturnType<typeof state>>) => ({ ...s, counts: { ...s.counts, Outbox: 0, InboundEvent: 0 } });
    const bad = (reason: string) => text('error.bad_cost', { reason });
    const typed: [string, string][] = [
      [`解决 ${number} 更换硒鼓 费用 -50 元`, bad(text('repair.cost.negative'))],
      [`解决 ${number} 更换硒鼓 费用 12.345 元`, bad(text('repair.cost.decimals', { amount: '12.345' }))],
      [`解决 ${number} 更换硒鼓 费用 5000000 元`, bad(text('repair.cost.tooLarge', { amount: '5000000', max: '1000000' }))],
      [`解决 ${number} 更换硒鼓 费用一百二十元`, bad(text('repair.cost.notDigits', { written: '费用一百二十元' }))],
      [`解决 ${number} 更换硒鼓 费用 120 元 另 花费 30 元`, bad(text('repair.cost.twice', { n: 2 }))],
      [`费用 ${number} -5 元`, bad(text('repair.cost.negative'))],
      [`费用 ${number} 很贵`, text('error.bad_arguments', { usage: text('repair.cost.usage') })],
    ];
    for (const [said, reply] of typed) {
      const before = await state();
      const result = await t.say('wang-wei', 'engineers', said);
      expect(result.outcome, said).toBe('refused');
      expect(await lastReply(t, 'engineers'), said).toBe(reply);
      expect(ignoringReply(await state()), said).toEqual(ignoringReply(before));
    }
    const work = (await t.transcript('engineers')).find((m) => m.card?.title.includes(number))!;
    for (const [cost, reason] of [
      ['abc', text('repair.cost.notAmount', { value: 'abc' })],
      ['-20', text('repair.cost.negative')],
      ['120 元 现金', text('repair.cost.notAmount', { value: '120 元 现金' })],
    ]) {
      const before = await state();
      const clicked = await t.click(work.id, 'wang-wei', 'ticket.resolve', buttonOf(work, '解决').value, { text: '更换硒鼓', cost });
      expect(clicked, cost).toEqual({ outcome: 'refused', toast: { type: 'warning', text: bad(reason!) } });
      expect(ignoringReply(await state()), cost).toEqual(ignoringReply(before));
    }
    expect(await ticket(number)).toMatchObject({ status: 'claimed', repairCostFen: null, solution: null });
  });

  it('lets whoever handles the ticket correct its cost later, audited and in the asset’s history', async () => {
    t = await createTestBot({}, undefined, REPAIR_NOW);
    await importRegister(t);
    const number = await reportAndClaim(t, 'zhang-li', '门诊收费处打印机卡纸，资产号PR-1002');
    await t.say('wang-wei', 'engineers', `解决 ${number} 更换硒鼓 费用 120 元`);
    const confirm = await t.card('intake', `请确认 ${number}`);
    await t.click(confirm.id, 'zhang-li', 'ticket.confirm', buttonOf(confirm, '已解决').value, { rating: '5', comment: '' });
    expect(await ticket(number)).toMatchObject({ status: 'closed', closeReason: 'confirmed' });

    // Another engineer, or the reporter, may not.
    expect((await t.say('han-mei', 'engineers', `费用 ${number} 150 元`)).outcome).toBe('refused');
    expect(await lastReply(t, 'engineers')).toBe(text('error.not_assignee', { engineer: '王工', what: text('repair.what.cost') }));
    expect((await t.say('zhang-li', 'intake', `费用 ${number} 10 元`)).outcome).toBe('refused');
    expect(await lastReply(t, 'intake')).toBe(text('error.not_it_staff', { what: text('repair.what.cost') }));
    expect((await ticket(number)).repairCostFen).toBe(12000);

    expect((await t.say('wang-wei', 'engineers', `费用 ${number} 150 元 按发票更正`)).outcome).toBe('handled');
    expect(await lastReply(t, 'engineers')).toBe(text('repair.cost.corrected', { number, from: '120.00', cost: '150.00', department: '门诊部' }));
    expect(await ticket(number)).toMatchObject({ status: 'closed', repairCostFen: 15000, chargedDepartmentId: 'outpatient' });
    const timeline = await t.bot.db.ticketEvent.findMany({ where: { ticket: { number }, type: 'cost' } });
    expect(timeline.map((e) => [e.actorId, e.data])).toEqual([['wang-wei', { from: 120, to: 150, reason: '按发票更正' }]]);
    const audit = await t.bot.db.auditLog.findFirstOrThrow({ where: { action: 'ticket.cost', entityId: number } });
    expect(audit).toMatchObject({ actorId: 'wang-wei', before: { repairCostFen: 12000 }, after: { repairCostFen: 15000 } });
    const history = (await api('/api/assets/PR-1002')).events.at(-1);
    expect(history).toMatchObject({ type: 'repair_cost', actorId: 'wang-wei', data: { ticket: number, from: 120, to: 150, reason: '按发票更正' } });
    expect((await api('/api/assets/PR-1002')).repairs[0].cost).toBe(150);

    // The same amount again changes nothing; a group leader may correct too.
    expect((await t.say('wang-wei', 'engineers', `费用 ${number} 150`)).outcome).toBe('refused');
    expect(await lastReply(t, 'engineers')).toBe(text('error.not_possible', { reason: text('repair.cost.unchanged', { number, cost: '150.00' }) }));
    await t.say('luo-xin', 'engineers', `费用 ${number} ¥160`);
    expect((await ticket(number)).repairCostFen).toBe(16000);

    // An unclaimed ticket, or one its reporter closed as solved by themselves, has no repair to cost.
    await t.say('li-na', 'intake', '急诊2楼分诊台电脑蓝屏，资产号PC-0231');
    const open = (await t.bot.db.ticket.findFirstOrThrow({ orderBy: { id: 'desc' } })).number;
    expect((await t.say('wang-wei', 'engineers', `费用 ${open} 50 元`)).outcome).toBe('refused');
    await t.say('li-na', 'intake', '好了');
    expect(await ticket(open)).toMatchObject({ status: 'closed', closeReason: 'self_solved' });
    expect((await t.say('huang-jun', 'engineers', `费用 ${open} 50 元`)).outcome).toBe('refused');
    expect(await lastReply(t, 'engineers')).toBe(
      text('error.no_repair', { number: open, status: text('ticket.close.self_solved'), what: text('repair.what.cost') }),
    );
    expect((await ticket(open)).repairCostFen).toBeNull();
  });
});
