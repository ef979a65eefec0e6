import { earliest, Timer } from './timer.js';

const BATCH = 50;

/**
 * Wakes the approvals' persisted times: a step pending past its reminder, an approved change whose
 * next phase is due. What each means is the domain's (`ApprovalFollowUps`).
 */
export class ApprovalWatcher extends Timer {
  protected async work(): Promise<void> {
    const now = this.deps.clock.now();
    const failed = 'approval timer failed';
    const steps = await this.db.approvalStep.findMany({ where: { status: 'pending', remindAt: { lte: now } }, take: BATCH, orderBy: { remindAt: 'asc' } });
    for (const step of steps) {
      await this.inUnit({ what: `step ${step.id}` }, failed, (s) => s.approvalFollowUps.remind(step.id, step.remindAt!));
    }
    const changes = await this.db.approval.findMany({ where: { type: 'change', status: 'approved', nextPhaseAt: { lte: now } }, take: BATCH });
    for (const change of changes) {
      await this.inUnit({ what: `change ${change.number}` }, failed, (s) => s.approvalFollowUps.changeDue(change));
    }
  }

  async nextDue(now: Date): Promise<Date | undefined> {
    const step = await this.db.approvalStep.aggregate({ where: { status: 'pending', remindAt: { gt: now } }, _min: { remindAt: true } });
    const change = await this.db.approval.aggregate({ where: { type: 'change', status: 'approved', nextPhaseAt: { gt: now } }, _min: { nextPhaseAt: true } });
    return earliest(step._min.remindAt, change._min.nextPhaseAt);
  }
}
