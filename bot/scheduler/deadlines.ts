import { earliest, Timer } from './timer.js';

const BATCH = 50;

/**
 * Wakes the tickets' and incidents' persisted deadlines: a response or resolution deadline that
 * passed, a ticket due for an update reminder, a resolved ticket due to close by itself, an outage
 * past its deadline, an outage whose alerts have recovered and stayed so. What each means is the
 * domain's (`TicketEscalation`, `IncidentEscalation`, `IncidentRecovery`).
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
    const settled = await this.db.incident.findMany({
      where: { ...this.recovered(), alertsResolvedAt: { lte: new Date(now.getTime() - this.settleMs()) } },
      orderBy: { alertsResolvedAt: 'asc' },
      take: BATCH,
    });
    for (const incident of settled) {
      await this.inUnit({ incident: incident.number, kind: 'recovery' }, 'incident recovery question failed', (s) => s.incidentRecovery.settled(incident));
    }
  }

  /** Active incidents whose alerts have all resolved, not asked about since (IncidentRecovery). */
  private recovered() {
    return {
      status: { in: ['open', 'claimed'] },
      alertCount: { gt: 0 },
      alertsFiring: 0,
      OR: [{ confirmAskedAt: null }, { confirmAskedAt: { lt: this.db.incident.fields.alertsResolvedAt } }],
    };
  }

  private settleMs(): number {
    return this.deps.directory.org.monitoring.settleMinutes * 60_000;
  }

  async nextDue(now: Date): Promise<Date | undefined> {
    const next = async (field: 'nextEscalationAt' | 'nextUpdateAt' | 'confirmDueAt', status: string[]) =>
      (await this.db.ticket.aggregate({ where: { [field]: { gt: now }, status: { in: status } }, _min: { [field]: true } }))._min[field];
    const incident = await this.db.incident.aggregate({
      where: { status: { in: ['open', 'claimed'] }, nextEscalationAt: { gt: now } },
      _min: { nextEscalationAt: true },
    });
    const recovery = await this.db.incident.aggregate({
      where: { ...this.recovered(), alertsResolvedAt: { gt: new Date(now.getTime() - this.settleMs()) } },
      _min: { alertsResolvedAt: true },
    });
    const recoveryDue = recovery._min.alertsResolvedAt && new Date(recovery._min.alertsResolvedAt.getTime() + this.settleMs());
    return earliest(
      await next('nextEscalationAt', ['open', 'claimed']),
      await next('nextUpdateAt', ['claimed']),
      await next('confirmDueAt', ['resolved']),
      incident._min.nextEscalationAt,
      recoveryDue,
    );
  }
}
