import type { Platform } from '../chat/model.js';
import type { Approval } from '../../generated/prisma/client.js';
import type { ApprovalType } from '../org/approvals-schema.js';
import { approvers } from './cards.js';
import type { ChangeLifecycle } from './change.js';
import { KINDS } from './kinds.js';
import type { ApprovalDeps, ApprovalService } from './service.js';

const hours = (ms: number) => (ms >= 3_600_000 ? `${Math.round(ms / 360_000) / 10} 小时` : `${Math.max(1, Math.round(ms / 60_000))} 分钟`);

/**
 * What time does to a request: a step pending too long reminds its approvers, then tells the
 * escalation person (again every escalateAfter); an approved change moves through its notice, start
 * and review reminders. Each is a compare-and-set on the row as the caller read it, so it happens once.
 */
export class ApprovalFollowUps {
  constructor(
    private readonly d: ApprovalDeps,
    private readonly approvals: ApprovalService,
    private readonly changes: ChangeLifecycle,
  ) {}

  /** An approved change whose next phase is due (`nextPhaseAt`). */
  async changeDue(change: Approval): Promise<void> {
    const claimed = await this.d.tx.approval.updateMany({ where: { id: change.id, version: change.version }, data: { version: { increment: 1 } } });
    if (claimed.count === 1) await this.changes.due(await this.approvals.get(change.number));
  }

  /** A step still pending at its `remindAt` (`was`, as the caller read it). */
  async remind(stepId: number, was: Date): Promise<void> {
    const { approvals } = this;
    const { directory, clock, calendar } = this.d;
    const rules = directory.org.approvals;
    const step = await this.d.tx.approvalStep.findUniqueOrThrow({ where: { id: stepId }, include: { approval: true, decisions: true } });
    const nextAt = step.reminders === 0 ? calendar.add(step.startedAt ?? clock.now(), rules.escalateAfter) : calendar.add(clock.now(), rules.escalateAfter);
    const claimed = await this.d.tx.approvalStep.updateMany({ where: { id: stepId, remindAt: was }, data: { remindAt: nextAt, reminders: { increment: 1 } } });
    if (claimed.count === 0) return;
    const a = step.approval;
    const platform = a.sourcePlatform as Platform;
    const waited = hours(clock.now().getTime() - (step.startedAt ?? a.createdAt).getTime());
    const label = KINDS[a.type as ApprovalType].label;
    const waiting = step.kind === 'execute' ? [] : approvers(step).filter((id) => !step.decisions.some((d) => d.approverId === id));
    if (step.reminders === 0) {
      for (const id of waiting) await approvals.tellPerson(id, `提醒：${label} ${a.number}（${a.title}）在「${step.name}」等待您处理已 ${waited}。`, platform);
      if (step.kind === 'execute') {
        const engineers = await approvals.reach.chatFor('engineers', platform);
        if (engineers)
          await this.d.outbox.send(engineers, {
            type: 'text',
            text: `提醒：${label} ${a.number}（${a.title}）的「${step.name}」已等待 ${waited}，请认领执行。`,
          });
      }
    } else {
      const to = rules.escalateTo === 'it_director' ? directory.director()?.id : rules.escalateTo;
      const who = waiting.map((id) => directory.person(id)?.name ?? id).join('、') || '信息科';
      await approvals.tellPerson(to, `督办：${label} ${a.number}（${a.title}）在「${step.name}」已等待 ${waited}，待 ${who} 处理。`, platform);
    }
    await this.d.audit.record({
      actorId: null,
      action: step.reminders === 0 ? 'approval.remind' : 'approval.escalate',
      entityType: 'approval',
      entityId: a.number,
      after: { step: step.name },
    });
  }
}
