import type { Platform } from '../chat/model.js';
import type { Incident, Ticket } from '../../generated/prisma/client.js';
import { isRecordGone } from '../db/errors.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import { PRIORITIES, type Priority } from '../org/schema.js';
import type { TicketDeps, TicketLedger } from '../tickets/ledger.js';
import { nextNumber } from '../tickets/number.js';
import { INCIDENT, type IncidentMessages } from './messages.js';
import { departmentKeysOf, reportsOf } from './reports.js';
import { countJoined, openIncidentOf } from './rows.js';
import { similarUnjoined } from '../tickets/rows.js';

export { INCIDENT };
export { INCIDENT_ACTION } from './cards.js';
/** The states of an outage (and of its reports) still being worked on. */
export const ACTIVE = ['open', 'claimed'];

/**
 * Outages: when similar reports pile up (same system, several reporters and departments within a
 * window), one incident takes them as children and each reporter hears at once that theirs joined
 * it; an outage's priority, claim and the number its reports share. What it shows in chat is drawn by
 * IncidentMessages; progress, the resolution and the reporters' confirmations are IncidentUpdates'.
 */
export class IncidentService {
  constructor(
    private readonly d: TicketDeps,
    private readonly ledger: TicketLedger,
    private readonly messages: IncidentMessages,
  ) {}

  /** After a report: joins the ticket to its system's open incident, or opens one. Null when neither. */
  async absorb(ticket: Ticket): Promise<Incident | null> {
    if (!ticket.system) return null;
    const { tx, clock, directory } = this.d;
    const rules = directory.org.incidents;
    const since = new Date(clock.now().getTime() - rules.windowMinutes * 60_000);
    // An outage still being reported: its newest report is within the window.
    const open = await openIncidentOf(tx, ticket.system, since);
    if (open) {
      // The outage grows: a more urgent report raises the incident, enough departments make it P1.
      const raised = await this.raiseFor(open, ticket);
      const joined = await this.join(raised, [ticket]);
      await this.messages.refresh(joined);
      return joined;
    }
    const similar = await similarUnjoined(tx, ticket.system, since);
    const reporters = new Set(similar.map((s) => s.reporterId));
    const departments = new Set(similar.map((s) => s.departmentId ?? s.reporterId));
    if (similar.length < rules.minReports || reporters.size < rules.minReporters || departments.size < rules.minDepartments) return null;

    const highest = PRIORITIES.find((p) => similar.some((s) => s.priority === p)) ?? 'P2';
    const priority: Priority = departments.size >= rules.p1Departments ? 'P1' : highest === 'P1' ? 'P1' : 'P2';
    const incident = await tx.incident.create({
      data: {
        number: await nextNumber(tx, this.d.timeZone, 'INC', clock.now()),
        status: 'open',
        priority,
        system: ticket.system,
        title: ticket.title,
        createdAt: clock.now(),
        ...reportsOf(similar),
        responseDueAt: this.d.deadlines.responseDue(priority, clock.now()),
        // Due at once: whoever the priority's policy pages hears of the outage now (IncidentEscalation).
        nextEscalationAt: clock.now(),
      },
    });
    await this.d.audit.record({
      actorId: null,
      action: 'incident.open',
      entityType: INCIDENT,
      entityId: incident.number,
      after: { system: incident.system, priority, reports: similar.length },
    });
    await this.join(incident, similar, { counted: true });
    await this.messages.announce(incident, ticket.sourcePlatform as Platform);
    return incident;
  }

  /** Reports of the outage made before monitoring's alert opened its incident join it (each reporter is told, as any). */
  async adopt(incident: Incident, reports: Ticket[]): Promise<Incident> {
    return reports.length > 0 ? this.join(incident, reports) : incident;
  }

  /**
   * Children take the incident's priority and deadlines; the timeline row says from which priority.
   * The incident's row counts them (unless `counted` already): returns it as it now stands.
   */
  private async join(incident: Incident, children: Ticket[], opts: { counted?: boolean } = {}): Promise<Incident> {
    const deadlines = this.deadlinesOf(incident);
    for (const child of children) {
      const claimed = incident.status === 'claimed' && child.status === 'open' && incident.assigneeId;
      await this.ledger.change(
        child,
        {
          incidentId: incident.id,
          nextEscalationAt: null,
          ...deadlines,
          ...(claimed ? { status: 'claimed', assigneeId: incident.assigneeId, claimedAt: this.d.clock.now() } : {}),
        },
        {
          actor: null,
          type: 'joined_incident',
          data: { incident: incident.number, ...(child.priority !== incident.priority ? { from: child.priority, to: incident.priority } : {}) },
        },
      );
    }
    await this.messages.joined(incident, children);
    if (opts.counted) return incident;
    return countJoined(this.d.tx, incident.id, { ...reportsOf(children, incident), reports: children.length });
  }

  /** The priority and deadlines an incident gives its children: counted from when the outage was first seen. */
  private deadlinesOf(incident: Incident): { priority: string; responseDueAt: Date; resolveDueAt: Date } {
    const priority = incident.priority as Priority;
    return {
      priority,
      responseDueAt: incident.responseDueAt ?? this.d.deadlines.responseDue(priority, incident.createdAt),
      resolveDueAt: this.d.deadlines.resolveDue(priority, incident.createdAt),
    };
  }

  /** Raises an incident to a joining report's higher priority, or to P1 when the outage reaches enough departments. */
  private async raiseFor(incident: Incident, joining: Ticket): Promise<Incident> {
    if (incident.priority === 'P1') return incident;
    const rank = (p: string) => PRIORITIES.indexOf(p as Priority);
    const departments = departmentKeysOf(reportsOf([joining], incident).departmentKeys);
    if (departments.length >= this.d.directory.org.incidents.p1Departments) {
      return this.setPriority(incident, 'P1', null, t('incident.priority.departments', { n: departments.length }));
    }
    if (rank(joining.priority) < rank(incident.priority)) {
      const priority = joining.priority as Priority;
      return this.setPriority(incident, priority, null, t('incident.priority.report', { ticket: joining.number, priority }));
    }
    return incident;
  }

  /** Raises an unresolved incident to a more urgent priority (a monitoring alert's), saying why; unchanged otherwise. */
  async raise(incident: Incident, priority: Priority, reason: string): Promise<Incident> {
    const rank = (p: string) => PRIORITIES.indexOf(p as Priority);
    if (!ACTIVE.includes(incident.status) || rank(priority) >= rank(incident.priority)) return incident;
    return this.setPriority(incident, priority, null, reason);
  }

  /** An engineer sets an unresolved incident's priority; every report in it follows. */
  async changePriority(number: string, actor: Person, priority: Priority, reason: string): Promise<Incident> {
    if (!this.d.directory.isItStaff(actor)) throw new BotError('not_it_staff', { what: t('incident.what.priority') });
    if (!reason.trim()) throw new BotError('missing_text', { what: t('ticket.needs.priorityReason') });
    const incident = await this.get(number);
    if (!ACTIVE.includes(incident.status))
      throw new BotError('ticket_not_open', { number: incident.number, status: t('incident.status.resolved'), what: t('ticket.what.priority') });
    if (incident.priority === priority) return incident;
    const changed = await this.setPriority(incident, priority, actor, reason.trim());
    return this.messages.refresh(changed);
  }

  /**
   * The incident's new priority and response deadline (from when it opened), audited; its unresolved
   * children follow with a timeline row each, and the engineers hear of it once.
   */
  private async setPriority(incident: Incident, priority: Priority, actor: Person | null, reason: string): Promise<Incident> {
    const { tx, deadlines, clock } = this.d;
    const responseDueAt = deadlines.responseDue(priority, incident.createdAt);
    const changed = await tx.incident
      .update({
        where: { id: incident.id, version: incident.version },
        data: {
          priority,
          responseDueAt,
          // Escalation starts over by the new priority's policy (its pages go out once only).
          ...(incident.status === 'open' ? { nextEscalationAt: clock.now(), escalationLevel: 0 } : {}),
          ...(incident.status === 'claimed' ? { nextEscalationAt: deadlines.resolveDue(priority, incident.createdAt), escalationLevel: 0 } : {}),
          version: { increment: 1 },
        },
      })
      .catch((err: unknown) => {
        if (isRecordGone(err)) throw new BotError('ticket_changed', { number: incident.number });
        throw err;
      });
    await this.d.audit.record({
      actorId: actor?.id ?? null,
      action: 'incident.priority_changed',
      entityType: INCIDENT,
      entityId: incident.number,
      before: { priority: incident.priority, responseDueAt: incident.responseDueAt?.toISOString() ?? null },
      after: { priority, responseDueAt: responseDueAt.toISOString(), reason },
    });
    const follow = this.deadlinesOf(changed);
    const children = await tx.ticket.findMany({ where: { incidentId: incident.id, status: { in: ACTIVE } }, orderBy: { id: 'asc' } });
    for (const child of children) {
      await this.ledger.change(child, follow, {
        actor,
        type: 'priority_changed',
        data: { from: child.priority, to: priority, reason, incident: incident.number },
      });
    }
    const text = t('incident.priority.changed', { number: incident.number, from: incident.priority, to: priority, reason, n: children.length });
    await this.messages.tellEngineers(changed, text);
    return changed;
  }

  async get(number: string): Promise<Incident> {
    const incident = await this.d.tx.incident.findUnique({ where: { number: number.toUpperCase() } });
    if (!incident) throw new BotError('incident_not_found', { number });
    return incident;
  }

  async claim(number: string, engineer: Person): Promise<Incident> {
    const { directory, tx, clock } = this.d;
    if (!directory.isItStaff(engineer)) throw new BotError('not_it_staff', { what: t('incident.what.claim') });
    const incident = await this.get(number);
    if (incident.status !== 'open') {
      const holder = incident.assigneeId ? directory.person(incident.assigneeId) : undefined;
      if (incident.assigneeId === engineer.id) throw new BotError('already_claimed_by_you', { number: incident.number });
      throw new BotError('already_claimed', { number: incident.number, engineer: holder ? directory.callName(holder) : '—' });
    }
    const done = await tx.incident.updateMany({
      where: { id: incident.id, version: incident.version },
      data: {
        status: 'claimed',
        assigneeId: engineer.id,
        claimedAt: clock.now(),
        // From now on the resolution deadline escalates (the holder first, by the priority's policy).
        escalationLevel: 0,
        nextEscalationAt: this.d.deadlines.resolveDue(incident.priority as Priority, incident.createdAt),
        version: { increment: 1 },
      },
    });
    if (done.count === 0) throw new BotError('ticket_changed', { number: incident.number });
    await this.d.audit.record({
      actorId: engineer.id,
      action: 'incident.claim',
      entityType: INCIDENT,
      entityId: incident.number,
      after: { assigneeId: engineer.id },
    });
    for (const child of await tx.ticket.findMany({ where: { incidentId: incident.id, status: 'open' } })) {
      await this.ledger.change(
        child,
        { status: 'claimed', assigneeId: engineer.id, claimedAt: clock.now() },
        { actor: engineer, type: 'claimed', data: { incident: incident.number } },
      );
    }
    return this.messages.refresh(incident.id);
  }
}
