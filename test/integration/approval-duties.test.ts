import { afterEach, describe, expect, it } from 'vitest';
import type { SimMessage } from '../../adapters/simulator/transcript.js';
import { t as text } from '../../bot/i18n/zh.js';
import { buttonOf, createTestBot, type TestBot } from '../helpers/bot.js';
import { settledState } from '../helpers/every-platform.js';

const at = (local: string) => new Date(`${local}+08:00`);

/**
 * Separation of duties: the requester of a request, and the person it is about, never decide,
 * carry out or confirm a step of it — not as themselves, not as anyone's delegate.
 */
describe('separation of duties in approvals', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const cardsOf = async (chat: string, number: string) => (await t.transcript(chat)).filter((m) => m.card?.title.includes(number));
  const lastText = async (chat: string) => (await t.transcript(chat)).filter((m) => m.from === 'bot' && m.text).at(-1)?.text;
  const approval = (number: string) =>
    t.bot.db.approval.findUniqueOrThrow({
      where: { number },
      include: { steps: { orderBy: [{ stage: 'asc' }, { id: 'asc' }], include: { decisions: true } } },
    });

  async function apply(person: string, word: string, form: Record<string, string>, chat = 'intake') {
    await t.say(person, chat, `申请 ${word}`);
    const card = await t.card(chat, '填写');
    const result = await t.click(card.id, person, 'approval.submit', buttonOf(card, '提交申请').value, form);
    return /SQ-\d{8}-\d{3}/.exec(result.toast?.text ?? '')![0];
  }
  async function decide(person: string, number: string, label: string) {
    const card = (await cardsOf(`user:${person}`, number)).at(-1)!;
    return t.click(card.id, person, 'approval.decide', buttonOf(card, label).value, { comment: '' });
  }
  /** A click refused with this warning, and nothing in the database changed. */
  async function expectRefused(card: SimMessage, person: string, action: string, value: Record<string, unknown>, toast: string) {
    const before = await settledState(t.bot);
    expect(await t.click(card.id, person, action, value, { comment: '' })).toEqual({ outcome: 'refused', toast: { type: 'warning', text: toast } });
    expect(await settledState(t.bot)).toEqual(before);
  }
  const ownRequest = (number: string, what: string, instead: string) => text('error.own_request', { number, what, instead });
  const byApprovers = (names: string) => text('approval.duties.insteadApprovers', { names });

  it('never lets a delegate approve her own request, though she stands in for its approver', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    const nurse = { person: 'zhang-li', system: 'nurse-ws', action: 'create', permissions: '护士站 医嘱执行', reason: '新入职' };
    const before = await apply('zhang-li', '权限', nurse);
    await t.say('chen-jing', 'intake', '委托 张丽 2026-11-30 18:00 外出培训');
    expect(await lastText('intake')).toBe(text('approval.delegate.done', { name: '张丽', until: '2026-11-30 18:00' }));
    const after = await apply('zhang-li', '权限', { ...nurse, system: 'doctor-ws', permissions: '医生站 查阅' });

    // Neither the request waiting when the delegation began nor the one after reaches her to decide.
    expect(await cardsOf('user:zhang-li', before)).toHaveLength(0);
    expect(await cardsOf('user:zhang-li', after)).toHaveLength(0);
    const refusal = ownRequest(after, text('approval.what.decide'), byApprovers('陈静'));
    const head = (await cardsOf('user:chen-jing', after)).at(-1)!;
    await expectRefused(head, 'zhang-li', 'approval.decide', buttonOf(head, '同意').value, refusal);
    await expectRefused(head, 'zhang-li', 'approval.decide', buttonOf(head, '驳回').value, refusal);
    await t.say('zhang-li', 'intake', `审批 ${after} 同意 我替主任批`);
    expect(await lastText('intake')).toBe(refusal);
    expect((await approval(after)).steps[0]!.decisions).toEqual([]);

    // 陈静 still decides herself; her decision is hers, not on anyone's behalf.
    await decide('chen-jing', after, '同意');
    expect((await approval(after)).steps[0]!.decisions).toMatchObject([{ approverId: 'chen-jing', actorId: 'chen-jing', decision: 'approve' }]);
  });

  it('leaves the execution of an engineer’s own request to the other engineers, and says so on the card', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    const number = await apply(
      'wang-wei',
      '权限',
      { person: 'wang-wei', system: 'nurse-ws', action: 'create', permissions: '护士站 只读', reason: '排查护士站故障' },
      'engineers',
    );
    await decide('huang-jun', number, '同意');
    await decide('gao-yan', number, '同意');
    const othersOnly = text('approval.duties.executeNote', { names: '王伟' });
    const execute = (await cardsOf('engineers', number)).at(-1)!;
    expect(execute.card!.note).toBe(othersOnly);
    const claim = buttonOf(execute, '认领执行').value;
    const refusal = ownRequest(number, text('approval.what.claim'), text('approval.duties.insteadEngineers'));
    await expectRefused(execute, 'wang-wei', 'approval.claim', claim, refusal);
    expect((await approval(number)).steps[2]!.claimedById).toBeNull();

    // Nobody took it in 4 hours: the engineers are reminded, and told it is not his to take.
    await t.advance(4 * 60 + 1);
    expect(await lastText('engineers')).toContain(othersOnly);

    await t.click(execute.id, 'qian-bo', 'approval.claim', claim);
    const claimed = (await cardsOf('engineers', number)).at(-1)!;
    const done = buttonOf(claimed, '已完成').value;
    await expectRefused(
      claimed,
      'wang-wei',
      'approval.done',
      done,
      ownRequest(number, text('approval.what.complete'), text('approval.duties.insteadEngineers')),
    );
    await t.click(claimed.id, 'qian-bo', 'approval.done', done, { comment: '已开通只读' });
    const final = await approval(number);
    expect(final.status).toBe('approved');
    expect(final.steps[2]!.decisions).toMatchObject([{ approverId: 'qian-bo', actorId: 'qian-bo', decision: 'done' }]);
  });

  it('frees an execution a party claimed before the rule, for the others to take', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    const number = await apply('wang-wei', '领用', { item: '笔记本电脑', quantity: '1', reason: '值班用' }, 'engineers');
    await decide('huang-jun', number, '同意');
    const execute = (await cardsOf('engineers', number)).at(-1)!;
    const step = (await approval(number)).steps[1]!;
    await t.bot.db.approvalStep.update({ where: { id: step.id }, data: { claimedById: 'wang-wei' } });
    const claimed = await t.click(execute.id, 'deng-chao', 'approval.claim', buttonOf(execute, '认领执行').value);
    expect(claimed.toast?.text).toBe(text('approval.claimed.toast', { number }));
    expect((await approval(number)).steps[1]!.claimedById).toBe('deng-chao');
  });

  it('does not count a leaver’s own 人事科确认, nor let the leaver carry out her own revocation', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    // 宋佳 of HR files her own revocation: HR's steps are her head's alone.
    const own = await apply('song-jia', '销户', { person: 'song-jia', kind: '离职', date: '2026-11-30', systems: 'OA、人事系统' });
    expect((await approval(own)).steps.map((s) => s.approvers)).toEqual([['tang-wei'], ['tang-wei'], expect.not.arrayContaining(['song-jia']), ['tang-wei']]);
    await decide('tang-wei', own, '同意');
    await decide('tang-wei', own, '同意');
    const execute = (await cardsOf('engineers', own)).at(-1)!;
    await t.click(execute.id, 'zhu-lin', 'approval.claim', buttonOf(execute, '认领执行').value);
    const claimed = (await cardsOf('engineers', own)).at(-1)!;
    await t.click(claimed.id, 'zhu-lin', 'approval.done', buttonOf(claimed, '已完成').value, { comment: '已停用' });
    await t.say('song-jia', 'intake', `审批 ${own} 确认`);
    expect(await lastText('intake')).toBe(ownRequest(own, text('approval.what.confirm'), byApprovers('唐薇')));
    expect((await approval(own)).steps[3]!.decisions).toEqual([]);
    await decide('tang-wei', own, '确认办结');
    expect((await approval(own)).status).toBe('approved');

    // The IT director files a leaving engineer's revocation: the first signature goes past him to
    // the vice president for IT, and the leaver may not deactivate his own account.
    const engineer = await apply('huang-jun', '销户', { person: 'wang-wei', kind: '离职', date: '2026-11-30', systems: 'HIS、服务器运维账号' }, 'engineers');
    expect((await approval(engineer)).steps[0]!.approvers).toEqual(['jiang-hua']);
    await decide('jiang-hua', engineer, '同意');
    await decide('song-jia', engineer, '同意');
    const deactivate = (await cardsOf('engineers', engineer)).at(-1)!;
    expect(deactivate.card!.note).toBe(text('approval.duties.executeNote', { names: '黄军、王伟' }));
    await expectRefused(
      deactivate,
      'wang-wei',
      'approval.claim',
      buttonOf(deactivate, '认领执行').value,
      text('error.own_subject', { number: engineer, what: text('approval.what.claim'), instead: text('approval.duties.insteadEngineers') }),
    );
    await expectRefused(
      deactivate,
      'huang-jun',
      'approval.claim',
      buttonOf(deactivate, '认领执行').value,
      ownRequest(engineer, text('approval.what.claim'), text('approval.duties.insteadEngineers')),
    );
  });
});
