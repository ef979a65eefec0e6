import type { Alert, Approval, Incident } from '../../generated/prisma/client.js';
import { silencingChange } from '../alerts/silences.js';
import type { AlertIncidents, AlertTransitions } from '../alerts/types.js';
import { APPROVAL } from '../approvals/cards.js';
import type { Tx } from '../db/client.js';
import { t } from '../i18n/zh.js';
import { PRIORITIES, type Priority } from '../org/schema.js';
import type { TicketDeps } from '../tickets/ledger.js';
import { nextNumber } from '../tickets/number.js';
import { similarUnjoined } from '../tickets/rows.js';
import { INCIDENT, type IncidentMessages } from './messages.js';
import { openIncidentOf } from './rows.js';
import { ACTIVE, type IncidentService } from './service.js';

const rank = (p: string) => PRIORITIES.indexOf(p as Priority);
const earlier = (a: Date, b: Date) => (a < b ? a : b);

/**
 * What monitoring alerts do to incidents (the incident side the alert intake hands its
 * transitions to, in the delivery's transaction):
 * - a firing alert of a system inside an approved change's window is silenced: recorded on the
 *   change, paging nobody (alerts/silences.ts);
 * - any other firing alert of a known system joins the system's active incident (a more urgent one
 *   raises it) or opens one (`origin: monitoring`, unless reports it takes in came first), announced
 *   to the engineers and escalated as any;
 * - a resolve or re-fire recounts the incident's alerts; when the last one resolves, the scheduler
 *   asks the engineers to confirm once they stayed so (recovery.ts); a re-fire cancels that quietly.
 * Each touched incident's cards are drawn once per delivery, however many alerts it brought.
 */
export class AlertIncidentService implements AlertIncidents {
  constructor(
    private readonly d: TicketDeps,
    private readonly incidents: IncidentService,
    private readonly messages: IncidentMessages,
    private readonly changes: { refresh(number: string): Promise<void> },
  ) {}

  async apply(_tx: Tx, transitions: AlertTransitions): Promise<void> {
    // The intake's transaction is the one this service is bound to (servicesFor builds both on it).
    const touched = new Set<number>();
    const opened = new Set<number>();
    const silencedBy = new Set<string>();
    // The most urgent first: an incident opens at the highest priority of the delivery, raised by none of the rest.
    const firing = [...transitions.opened, ...transitions.refired].sort((a, b) => rank(a.priority) - rank(b.priority) || a.id - b.id);
    for (const alert of firing) {
      if (!alert.system || alert.state === 'unmapped') continue;
      const own = await this.activeIncidentOf(alert);
      if (own) {
        touched.add(own.id);
        continue;
      }
      const change = await silencingChange(this.d.tx, this.d.directory, alert.system, alert.firedAt);
      if (change) {
        if (await this.silence(alert, change)) silencedBy.add(change.number);
        continue;
      }
      const incident = await this.page(alert, opened);
      if (incident) touched.add(incident.id);
    }
    for (const alert of transitions.resolved) if (alert.incidentId) touched.add(alert.incidentId);
    for (const id of touched) await this.recount(id, opened.has(id));
    for (const number of silencedBy) await this.changes.refresh(number);
  }

  /** The active incident a re-fired alert already belongs to: it stays there, as it was. */
  private async activeIncidentOf(alert: Alert): Promise<Incident | null> {
    if (!alert.incidentId) return null;
    const incident = await this.d.tx.incident.findUnique({ where: { id: alert.incidentId } });
    return incident && ACTIVE.includes(incident.status) ? incident : null;
  }

  /** Silences the alert for the change (once per firing): true when it was not silenced by it already. */
  private async silence(alert: Alert, change: Approval): Promise<boolean> {
    if (alert.state === 'silenced' && alert.changeId === change.id) return false;
    await this.d.tx.alert.update({ where: { id: alert.id }, data: { state: 'silenced', changeId: change.id } });
    await this.d.audit.record({
      actorId: null,
      action: 'change.alert_silenced',
      entityType: APPROVAL,
      entityId: change.number,
      after: { alert: alert.id, source: alert.source, system: alert.system, summary: alert.summary, startsAt: alert.firedAt.toISOString() },
    });
    return true;
  }

  /** Joins the alert to its system's active incident (raising it when more urgent), or opens one. */
  private async page(alert: Alert, opened: Set<number>): Promise<Incident | null> {
    const { tx, clock, directory } = this.d;
    const system = directory.org.systems.find((s) => s.id === alert.system);
    if (!system) return null;
    const since = new Date(clock.now().getTime() - directory.org.incidents.windowMinutes * 60_000);
    let incident = await openIncidentOf(tx, system.name, since);
    if (!incident) {
      incident = await this.open(alert, system.name);
      opened.add(incident.id);
    } else {
      if (!opened.has(incident.id)) {
        const why = t('incident.priority.alert', { summary: alert.summary.slice(0, 60), priority: alert.priority });
        incident = await this.incidents.raise(incident, alert.priority as Priority, why);
      }
      await this.d.audit.record({
        actorId: null,
        action: 'incident.alert_joined',
        entityType: INCIDENT,
        entityId: incident.number,
        after: { alert: alert.id, source: alert.source, priority: alert.priority, summary: alert.summary },
      });
    }
    await tx.alert.update({ where: { id: alert.id }, data: { incidentId: incident.id, state: 'paged' } });
    return incident;
  }

  /**
   * The incident of an alert no incident of its system has: it opens now, due to escalate at once.
   * The system's reports within the window that no incident took join it; whoever came first, the
   * alert or a report, is its origin. Its priority is the most urgent of theirs (P1 across enough departments).
   */
  private async open(alert: Alert, system: string): Promise<Incident> {
    const { tx, clock, deadlines, directory } = this.d;
    const now = clock.now();
    const rules = directory.org.incidents;
    const reports = await similarUnjoined(tx, system, new Date(now.getTime() - rules.windowMinutes * 60_000));
    const departments = new Set(reports.map((r) => r.departmentId ?? r.reporterId)).size;
    const urgent = [alert.priority, ...reports.map((r) => r.priority)].sort((a, b) => rank(a) - rank(b))[0] as Priority;
    const priority: Priority = departments >= rules.p1Departments ? 'P1' : urgent;
    const firstAlertAt = earlier(alert.firedAt, now);
    const origin = reports[0] && reports[0].createdAt < firstAlertAt ? 'people' : 'monitoring';
    const created = await tx.incident.create({
      data: {
        number: await nextNumber(tx, this.d.timeZone, 'INC', now),
        status: 'open',
        priority,
        system,
        title: alert.summary,
        createdAt: now,
        origin,
        firstAlertAt,
        // Counted again once the delivery is through (recount); the reports joining now hear monitoring saw it.
        alertCount: 1,
        alertsFiring: 1,
        responseDueAt: deadlines.responseDue(priority, now),
        // Whoever the priority's policy pages at once hears of it now (IncidentEscalation).
        nextEscalationAt: now,
      },
    });
    await this.d.audit.record({
      actorId: null,
      action: 'incident.open',
      entityType: INCIDENT,
      entityId: created.number,
      after: { system, priority, origin, alert: alert.id, source: alert.source, reports: reports.length },
    });
    return this.incidents.adopt(created, reports);
  }

  /**
   * The incident's alert columns counted again from its alerts; the moment the last one resolves
   * (or one fires again) is audited, and its cards are drawn as it now stands: announced when new.
   */
  private async recount(id: number, isNew: boolean): Promise<void> {
    const { tx, clock } = this.d;
    const now = clock.now();
    const before = await tx.incident.findUniqueOrThrow({ where: { id } });
    const [count, firing, first] = await Promise.all([
      tx.alert.count({ where: { incidentId: id } }),
      tx.alert.count({ where: { incidentId: id, status: 'firing' } }),
      tx.alert.aggregate({ where: { incidentId: id }, _min: { firedAt: true } }),
    ]);
    const recovered = count > 0 && firing === 0;
    const incident = await tx.incident.update({
      where: { id },
      data: {
        alertCount: count,
        alertsFiring: firing,
        alertsResolvedAt: !recovered ? null : before.alertsFiring > 0 || !before.alertsResolvedAt ? now : before.alertsResolvedAt,
        firstAlertAt: before.firstAlertAt ?? (first._min.firedAt ? earlier(first._min.firedAt, now) : null),
      },
    });
    if (ACTIVE.includes(incident.status) && before.alertsFiring !== firing && (before.alertsFiring === 0 || firing === 0) && before.alertCount > 0) {
      await this.d.audit.record({
        actorId: null,
        action: recovered ? 'incident.alerts_recovered' : 'incident.alerts_firing_again',
        entityType: INCIDENT,
        entityId: incident.number,
        after: { alerts: count, firing },
      });
    }
    // Leadership hears of an outage as urgent as the ones people report (P1, P2), not of every warning:
    // of a warning's incident once an alert raises it that far.
    const urgent = rank(incident.priority) <= rank('P2');
    if (isNew) {
      await this.messages.announce(incident, await this.messages.platformOf(incident), urgent ? ['engineers', 'leadership'] : ['engineers']);
      return;
    }
    await this.messages.refresh(incident);
    if (urgent && ACTIVE.includes(incident.status) && !(await this.d.outbox.shown(INCIDENT, incident.number)).some((ref) => ref.kind === 'leadership')) {
      await this.messages.announce(incident, await this.messages.platformOf(incident), ['leadership']);
    }
  }
}
