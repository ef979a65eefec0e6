import { describe, expect, it } from 'vitest';
import { resolveChain } from '../../../../bot/approvals/routing.js';
import { DEFAULT_CHAINS, type ChainStep } from '../../../../bot/org/approvals-schema.js';
import { sampleDirectory } from '../../../helpers/db.js';

describe('approval routing and separation of duties', () => {
  const directory = sampleDirectory();
  const person = (id: string) => directory.person(id)!;
  const engineers = directory
    .allPeople()
    .filter((p) => p.roles.includes('it_engineer'))
    .map((p) => p.id);
  const route = (chain: ChainStep[], requester: string, form: Record<string, string> = {}, subjectId?: string) =>
    resolveChain(chain, { directory, requester: person(requester), subjectId, form }).map((s) => ({ name: s.name, approvers: s.approvers, quorum: s.quorum }));

  it('keeps an engineer off the execution of his own request, leaving it to the other engineers', () => {
    const steps = route(DEFAULT_CHAINS.permission, 'wang-wei', { system: 'nurse-ws', person: 'wang-wei' }, 'wang-wei');
    expect(steps.map((s) => s.approvers)).toEqual([['huang-jun'], ['gao-yan'], engineers.filter((id) => id !== 'wang-wei')]);
  });

  it('keeps the leaver off every step of her revocation, HR’s confirmation included', () => {
    const steps = route(DEFAULT_CHAINS.revocation, 'song-jia', { person: 'song-jia' }, 'song-jia');
    expect(steps.map((s) => s.approvers)).toEqual([['tang-wei'], ['tang-wei'], engineers, ['tang-wei']]);
  });

  it('keeps the requester off confirmation steps too, and the subject off the engineers’ step', () => {
    const hr = route(DEFAULT_CHAINS.revocation, 'tang-wei', { person: 'ma-li' }, 'ma-li');
    expect(hr.map((s) => s.approvers)).toEqual([['guo-fang'], ['song-jia'], engineers, ['song-jia']]);
    // The IT director files a leaving engineer's revocation: he is the subject's head and the
    // escalation person, so the first step goes to the vice president for IT.
    const it = route(DEFAULT_CHAINS.revocation, 'huang-jun', { person: 'wang-wei' }, 'wang-wei');
    expect(it.map((s) => s.approvers)).toEqual([
      ['jiang-hua'],
      ['tang-wei', 'song-jia'],
      engineers.filter((id) => id !== 'wang-wei'),
      ['tang-wei', 'song-jia'],
    ]);
  });

  it('gives a step whose only people are parties to the superior, then the IT director: never nobody', () => {
    // Both HR people are parties (唐薇 files 宋佳's revocation): HR's steps go to the IT director.
    const both = route(DEFAULT_CHAINS.revocation, 'tang-wei', { person: 'song-jia' }, 'song-jia');
    expect(both.map((s) => s.approvers)).toEqual([['huang-jun'], ['huang-jun'], engineers, ['huang-jun']]);
    // An execution named for one engineer, who asked himself: his group leader does it.
    const own: ChainStep[] = [{ name: '数据库授权', kind: 'execute', approver: { person: 'wang-wei' }, parallel: false }];
    expect(route(own, 'wang-wei')).toEqual([{ name: '数据库授权', approvers: ['qian-bo'], quorum: 1 }]);
    // A group leader's: the IT director (the vice president for IT is no engineer).
    const leader: ChainStep[] = [{ name: '数据库授权', kind: 'execute', approver: { person: 'qian-bo' }, parallel: false }];
    expect(route(leader, 'qian-bo')[0]!.approvers).toEqual(['huang-jun']);
    // A department head asking for herself: the IT director, as before.
    expect(route(DEFAULT_CHAINS.leave, 'chen-jing')[0]!.approvers).toEqual(['huang-jun']);
  });

  it('keeps a quorum whole when a party is left out of it, from the stand-ins', () => {
    const two: ChainStep[] = [{ name: '双人审批', kind: 'approve', approver: { people: ['yang-fan', 'zhu-lin'], rule: 'quorum', quorum: 2 }, parallel: false }];
    expect(route(two, 'zhu-lin')).toEqual([{ name: '双人审批', approvers: ['yang-fan', 'huang-jun'], quorum: 2 }]);
    // Two of the leadership group, one of them the requester: the other two.
    expect(route(DEFAULT_CHAINS.change_major, 'jiang-hua')).toEqual([{ name: '信息化领导小组审批', approvers: ['qin-guo', 'xia-lan'], quorum: 2 }]);
  });

  it('routes a request about an asset by the register: its department’s head, the receiving head, the engineers of its kind of device', () => {
    const scrap = route(DEFAULT_CHAINS.asset_scrap, 'zhang-li', { asset: 'PC-0231', department: 'outpatient' });
    expect(scrap.map((s) => s.approvers)).toEqual([['chen-jing'], ['qian-bo', 'wang-wei'], ['qiu-ming', 'lu-qing']]);
    // A printer is the systems group's too; a label no kind names goes to every engineer.
    expect(route(DEFAULT_CHAINS.asset_scrap_media, 'zhang-li', { asset: 'PR-1002' })[0]!.approvers).toEqual(['qian-bo', 'wang-wei']);
    expect(route(DEFAULT_CHAINS.asset_scrap_media, 'zhang-li', { asset: 'XY-0001' })[0]!.approvers).toEqual(engineers);
    // The engineer who asks is left out of the appraisal of his own request.
    expect(route(DEFAULT_CHAINS.asset_scrap, 'wang-wei', { asset: 'PC-0231', department: 'outpatient' })[1]!.approvers).toEqual(['qian-bo']);
    const transfer = route(DEFAULT_CHAINS.asset_transfer, 'zhang-li', { asset: 'PC-0231', department: 'outpatient', toDepartment: 'laboratory' });
    expect(transfer.map((s) => s.approvers)).toEqual([['chen-jing'], ['wu-qiang'], engineers]);
    // An asset the register gives no department: the IT director stands in for its head.
    expect(route(DEFAULT_CHAINS.asset_transfer, 'zhang-li', { asset: 'PC-0231', department: '', toDepartment: 'laboratory' })[0]!.approvers).toEqual([
      'huang-jun',
    ]);
  });
});
