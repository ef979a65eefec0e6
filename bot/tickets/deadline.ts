import type { WorkCalendar } from '../calendar.js';
import { t } from '../i18n/zh.js';
import type { EscalationPolicy } from '../org/escalation-schema.js';
import type { Duration, Org, Priority } from '../org/schema.js';

/** How long an escalation that starts over waits, at least, before its first step. */
const RESTART_GRACE_MINUTES = 15;

/** "15 分钟", "2 小时", "1 个工作日", as cards say it. */
export function describeDuration(d: Duration): string {
  if ('workdays' in d) return t('duration.workdays', { n: d.workdays });
  if (d.minutes % (24 * 60) === 0) return t('duration.days', { n: d.minutes / (24 * 60) });
  if (d.minutes % 60 === 0) return t('duration.hours', { n: d.minutes / 60 });
  return t('duration.minutes', { n: d.minutes });
}

/**
 * The deadlines of a ticket from the organisation file's SLA (响应时限 and resolution targets),
 * on the hospital's working calendar.
 */
export class Deadlines {
  constructor(
    private readonly calendar: WorkCalendar,
    private readonly tickets: Org['tickets'],
  ) {}

  respondWithin(priority: Priority): Duration {
    return this.tickets.sla[priority].respond;
  }

  responseDue(priority: Priority, from: Date): Date {
    return this.calendar.add(from, this.tickets.sla[priority].respond);
  }

  resolveDue(priority: Priority, from: Date): Date {
    return this.calendar.add(from, this.tickets.sla[priority].resolve);
  }

  nextUpdate(priority: Priority, from: Date): Date {
    return this.calendar.add(from, this.tickets.updateEvery[priority]);
  }

  autoClose(from: Date): Date {
    return this.calendar.add(from, this.tickets.autoCloseAfter);
  }

  followUpUntil(from: Date): Date {
    return this.calendar.add(from, this.tickets.followUpWindow);
  }

  /** The escalation policy of a priority (organisation file, `tickets.escalation.policy`). */
  policy(priority: Priority): EscalationPolicy {
    return this.tickets.escalation.policy[priority];
  }

  /** When step `index` of a priority's escalation falls due, for a deadline that passed at `deadline`. */
  escalationStep(priority: Priority, deadline: Date, index: number): Date {
    const policy = this.policy(priority);
    const step = policy.steps[Math.min(index, policy.steps.length - 1)]!;
    return this.onPolicyHours(policy, deadline, step.after);
  }

  /**
   * The reminder after the last step: `remindEvery` from now, on the policy's hours, then each time
   * twice as long as the one before (`given` reminders so far), never longer than a day, so a night
   * nobody acts on asks the last person a few times rather than every half hour.
   */
  escalationReminder(priority: Priority, now: Date, given = 0): Date {
    const policy = this.policy(priority);
    const every = policy.remindEvery;
    if ('workdays' in every) return this.onPolicyHours(policy, now, every);
    const day = 24 * 60;
    const minutes = Math.max(every.minutes, Math.min(every.minutes * 2 ** Math.min(given, 16), day));
    return this.onPolicyHours(policy, now, { minutes });
  }

  /** The first moment at or after `at` that a priority's escalation may speak. */
  escalationMayRun(priority: Priority, at: Date): Date {
    return this.onPolicyHours(this.policy(priority), at, { minutes: 0 });
  }

  /** `from` plus `after`: any hour, or (a working-hours policy) working time only. */
  private onPolicyHours(policy: EscalationPolicy, from: Date, after: Duration): Date {
    if (policy.hours === 'always') return this.calendar.add(from, after);
    const minutes = 'workdays' in after ? after.workdays * this.calendar.dayMinutes : after.minutes;
    // A day or more is that much later on the clock, then the next working moment.
    if (minutes >= 24 * 60) return this.calendar.addWorkingMinutes(new Date(from.getTime() + minutes * 60_000), 0);
    return this.calendar.addWorkingMinutes(from, minutes);
  }

  /**
   * Where an escalation starts over (a transfer, a reopened ticket): at the deadline, but never
   * sooner than a grace period from now, so the new holder is not escalated the moment they take it.
   */
  escalationAfter(deadline: Date | null, now: Date): Date {
    const grace = new Date(now.getTime() + RESTART_GRACE_MINUTES * 60_000);
    return deadline && deadline > grace ? deadline : grace;
  }
}
