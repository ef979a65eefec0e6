import { earliest, Timer } from './timer.js';

const BATCH = 50;

/**
 * Wakes the tickets' and incidents' persisted deadlines: a response or resolution deadline that
 * passed, a ticket due for an update reminder, a resolved ticket due to close by itself, an outage
 * past its deadline. What each means is the domain's (`TicketEscalation`, `IncidentEscalation`).
 */
export class DeadlineWatcher extends Timer {
  protected async work(): Promise<void> {
    const now = this.deps.clock.now();
    const due = (field: 'nextEscalationAt' | 'nextUpdateAt' | 'confirmDueAt', status: string[]) =>
      this.db.ticket.findMany({ where: { [field]: { lte: now }, status: { in: status } }, orderBy: { [field]: 'asc' }, take: BATCH });
    const failed = 'deadline step failed';
    for (const ticket of await due('nextEscalationAt', ['open', 'claimed'])) {
      await this.inUnit({ ticket: ticket.number, kind: 'escalate' }, failed, (s) => s.escalation.escalate(ticket));
    }
    for (const ticket of await due('nextUpdateAt', ['claimed'])) {
      await this.inUnit({ ticket: ticket.number, kind: 'remind' }, failed, (s) => s.escalation.remindUpdate(ticket));
    }
    for (const ticket of await due('confirmDueAt', ['resolved'])) {
      await this.inUnit({ ticket: ticket.number, kind: 'close' }, failed, (s) => s.escalation.autoClose(ticket));
    }
    const incidents = await this.db.incident.findMany({
      where: { status: { in: ['open', 'claimed'] }, nextEscalationAt: { lte: now } },
      orderBy: { nextEscalationAt: 'asc' },
      take: BATCH,
    });
    for (const incident of incidents) {
      await this.inUnit({ incident: incident.number }, 'incident escalation failed', (s) => s.incidentEscalation.escalate(incident));
    }
  }

  async nextDue(now: Date): Promise<Date | undefined> {
    const next = async (field: 'nextEscalationAt' | 'nextUpdateAt' | 'confirmDueAt', status: string[]) =>
      (await this.db.ticket.aggregate({ where: { [field]: { gt: now }, status: { in: status } }, _min: { [field]: true } }))._min[field];
    const incident = await this.db.incident.aggregate({
      where: { status: { in: ['open', 'claimed'] }, nextEscalationAt: { gt: now } },
      _min: { nextEscalationAt: true },
    });
    return earliest(
      await next('nextEscalationAt', ['open', 'claimed']),
      await next('nextUpdateAt', ['claimed']),
      await next('confirmDueAt', ['resolved']),
      incident._min.nextEscalationAt,
    );
  }
}
