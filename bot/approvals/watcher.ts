import type { Platform } from '../chat/model.js';
import type { Tx } from '../db/client.js';
import type { ApprovalType } from '../org/approvals-schema.js';
import { servicesFor } from '../services.js';
import { Timer } from '../timer.js';
import { approvers } from './cards.js';
import { ChangeLifecycle } from './change.js';
import { KINDS } from './kinds.js';
import { transact } from '../db/transact.js';

const hours = (ms: number) => (ms >= 3_600_000 ? `${Math.round(ms / 360_000) / 10} 小时` : `${Math.max(1, Math.round(ms / 60_000))} 分钟`);

/**
 * Approval timers: a step pending too long reminds its approvers, then tells the escalation person
 * (again every escalateAfter); an approved change moves through its notice, start and review
 * reminders. Each step is a compare-and-set in its own transaction, so it happens once.
 */
export class ApprovalWatcher extends Timer {
  protected async work(): Promise<void> {
    const now = this.deps.clock.now();
    const steps = await this.db.approvalStep.findMany({ where: { status: 'pending', remindAt: { lte: now } }, take: 50, orderBy: { remindAt: 'asc' } });
    for (const step of steps) await this.inTx(`step ${step.id}`, (s) => this.remind(s, step.id, step.remindAt!));
    const changes = await this.db.approval.findMany({ where: { type: 'change', status: 'approved', nextPhaseAt: { lte: now } }, take: 50 });
    for (const change of changes) {
      await this.inTx(`change ${change.number}`, async (s) => {
        const claimed = await s.tx.approval.updateMany({ where: { id: change.id, version: change.version }, data: { version: { increment: 1 } } });
        if (claimed.count === 1) await new ChangeLifecycle(s.approvals).due(await s.approvals.get(change.number));
      });
    }
  }

  private async inTx(what: string, fn: (s: ReturnType<typeof servicesFor> & { tx: Tx }) => Promise<void>) {
    try {
      await transact(this.db, async (tx) => fn({ ...servicesFor(tx, this.deps), tx }));
    } catch (err) {
      this.log.error({ err, what }, 'approval timer failed');
    }
  }

  private async remind(s: ReturnType<typeof servicesFor>, stepId: number, was: Date): Promise<void> {
    const { approvals } = s;
    const { directory, clock, calendar } = this.deps;
    const rules = directory.org.approvals;
    const step = await approvals.d.tx.approvalStep.findUniqueOrThrow({ where: { id: stepId }, include: { approval: true, decisions: true } });
    const nextAt = step.reminders === 0 ? calendar.add(step.startedAt ?? clock.now(), rules.escalateAfter) : calendar.add(clock.now(), rules.escalateAfter);
    const claimed = await approvals.d.tx.approvalStep.updateMany({ where: { id: stepId, remindAt: was }, data: { remindAt: nextAt, reminders: { increment: 1 } } });
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
        if (engineers) await approvals.d.outbox.send(engineers, { type: 'text', text: `提醒：${label} ${a.number}（${a.title}）的「${step.name}」已等待 ${waited}，请认领执行。` });
      }
    } else {
      const to = rules.escalateTo === 'it_director' ? directory.director()?.id : rules.escalateTo;
      const who = waiting.map((id) => directory.person(id)?.name ?? id).join('、') || '信息科';
      await approvals.tellPerson(to, `督办：${label} ${a.number}（${a.title}）在「${step.name}」已等待 ${waited}，待 ${who} 处理。`, platform);
    }
    await approvals.d.audit.record({ actorId: null, action: step.reminders === 0 ? 'approval.remind' : 'approval.escalate', entityType: 'approval', entityId: a.number, after: { step: step.name } });
  }
}
