import type { WorkCalendar } from '../calendar.js';
import { t } from '../i18n/zh.js';
import type { Duration, Org, Priority } from '../org/schema.js';

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

  repeatEscalation(from: Date): Date {
    return new Date(from.getTime() + this.tickets.escalation.repeatMinutes * 60_000);
  }

  /** The next escalation of a deadline: the deadline itself, or a repeat interval from now if it passed. */
  escalationAfter(deadline: Date | null, now: Date): Date {
    const repeat = this.repeatEscalation(now);
    return deadline && deadline > repeat ? deadline : repeat;
  }
}
