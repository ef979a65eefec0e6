import type { Platform } from '../chat/model.js';
import type { Approval } from '../../generated/prisma/client.js';
import type { ApprovalType } from '../org/approvals-schema.js';
import { approvers } from './cards.js';
import { itParties } from './duties.js';
import type { ChangeLifecycle } from './change.js';
import { elapsedText, t } from '../i18n/zh.js';
import { KINDS } from './kinds.js';
import type { ApprovalMessages } from './messages.js';
import type { ApprovalDeps, ApprovalService } from './service.js';

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
    private readonly messages: ApprovalMessages,
  ) {}

  /** An approved change whose next phase is due (`nextPhaseAt`). */
  async changeDue(change: Approval): Promise<void> {
    const claimed = await this.d.tx.approval.updateMany({ where: { id: change.id, version: change.version }, data: { version: { increment: 1 } } });
    if (claimed.count === 1) await this.changes.due(await this.approvals.get(change.number));
  }

  /** A step still pending at its `remindAt` (`was`, as the caller read it). */
  async remind(stepId: number, was: Date): Promise<void> {
    const { messages } = this;
    const { directory, clock, calendar } = this.d;
    const rules = directory.org.approvals;
    const step = await this.d.tx.approvalStep.findUniqueOrThrow({ where: { id: stepId }, include: { approval: true, decisions: true } });
    const nextAt = step.reminders === 0 ? calendar.add(step.startedAt ?? clock.now(), rules.escalateAfter) : calendar.add(clock.now(), rules.escalateAfter);
    const claimed = await this.d.tx.approvalStep.updateMany({ where: { id: stepId, remindAt: was }, data: { remindAt: nextAt, reminders: { increment: 1 } } });
    if (claimed.count === 0) return;
    const a = step.approval;
    const platform = a.sourcePlatform as Platform;
    const waited = elapsedText((clock.now().getTime() - (step.startedAt ?? a.createdAt).getTime()) / 60_000);
    const said = { kind: KINDS[a.type as ApprovalType].label, number: a.number, title: a.title, step: step.name, waited };
    const waiting = step.kind === 'execute' ? [] : approvers(step).filter((id) => !step.decisions.some((d) => d.approverId === id));
    if (step.reminders === 0) {
      for (const id of waiting) await messages.tellPerson(id, t('approval.followUp.remind', said), platform);
      if (step.kind === 'execute') {
        const engineers = await messages.reach.chatFor('engineers', platform);
        if (engineers) await this.d.outbox.send(engineers, { type: 'text', text: t('approval.followUp.execute', said) + this.othersOnly(a) });
      }
    } else {
      const to = rules.escalateTo === 'it_director' ? directory.director()?.id : rules.escalateTo;
      const who = waiting.map((id) => directory.person(id)?.name ?? id).join('、') || t('common.itDepartment');
      await messages.tellPerson(to, t('approval.followUp.supervise', { ...said, who }), platform);
    }
    await this.d.audit.record({
      actorId: null,
      action: step.reminders === 0 ? 'approval.remind' : 'approval.escalate',
      entityType: 'approval',
      entityId: a.number,
      after: { step: step.name },
    });
  }

  /** Said to the engineers about an execution step when engineers are parties to it: the others take it. */
  private othersOnly(a: Approval): string {
    const barred = itParties(a, this.d.directory);
    return barred.length > 0 ? t('approval.duties.executeNote', { names: barred.map((p) => p.name).join('、') }) : '';
  }
}
