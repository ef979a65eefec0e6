import { earliest, Timer } from './timer.js';

/**
 * Wakes what people were to do by a time: reminders nobody completed by their deadline (reminded
 * once more, then the leader told) and handovers nobody accepted. What each means is the domain's
 * (`ReminderService.overdue`, `HandoverService.overdue`).
 */
export class FollowUpWatcher extends Timer {
  protected async work(): Promise<void> {
    const late = await this.db.handover.findMany({ where: { status: 'submitted', acceptDueAt: { lte: this.deps.clock.now() } }, take: 20 });
    for (const h of late) {
      await this.inUnit({ handover: h.id }, 'handover follow-up failed', (s) => s.handovers.overdue(h));
    }
    const due = await this.db.reminderFire.findMany({ where: { nextCheckAt: { lte: this.deps.clock.now() }, doneAt: null }, take: 50 });
    for (const fire of due) {
      await this.inUnit({ fire: fire.id }, 'reminder follow-up failed', (s) => s.reminders.overdue(fire));
    }
  }

  async nextDue(now: Date): Promise<Date | undefined> {
    const handover = await this.db.handover.aggregate({ where: { status: 'submitted', acceptDueAt: { gt: now } }, _min: { acceptDueAt: true } });
    const fire = await this.db.reminderFire.aggregate({ where: { doneAt: null, nextCheckAt: { gt: now } }, _min: { nextCheckAt: true } });
    return earliest(handover._min.acceptDueAt, fire._min.nextCheckAt);
  }
}
