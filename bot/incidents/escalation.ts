import type { Platform } from '../chat/model.js';
import type { Incident } from '../../generated/prisma/client.js';
import { elapsedText, t, type TextKey } from '../i18n/zh.js';
import type { Priority } from '../org/schema.js';
import { describeDuration } from '../tickets/deadline.js';
import type { EscalationSteps, EscalationSubject } from '../tickets/escalation-steps.js';
import type { TicketDeps } from '../tickets/ledger.js';
import { priorityName } from '../tickets/status.js';
import { INCIDENT, type IncidentMessages } from './messages.js';

/**
 * An outage escalates by its priority's policy, as a ticket does: the moment it opens, whoever the
 * policy pages at once hears of it directly; once its response deadline passes unclaimed (or its
 * resolution deadline passes while claimed), each step in turn gets a direct message and the
 * leadership group a notice. The engineers' group keeps its one incident card, which names the step
 * and who was asked. Each step is a compare-and-set on the row as read, so it happens once.
 */
export class IncidentEscalation {
  constructor(
    private readonly d: TicketDeps,
    private readonly steps: EscalationSteps,
    private readonly messages: IncidentMessages,
  ) {}

  async escalate(incident: Incident): Promise<void> {
    const { tx, clock, deadlines } = this.d;
    const claimed = await tx.incident.updateMany({ where: { id: incident.id, version: incident.version }, data: { version: { increment: 1 } } });
    if (claimed.count === 0) return;
    const current = await tx.incident.findUniqueOrThrow({ where: { id: incident.id } });
    const first = await tx.ticket.findFirst({ where: { incidentId: current.id }, orderBy: { id: 'asc' } });
    // An outage only monitoring has seen escalates too: to its system's IT group, on the engineers' platform.
    if (current.status === 'resolved' || (!first && current.alertCount === 0)) {
      await tx.incident.update({ where: { id: current.id }, data: { nextEscalationAt: null } });
      return;
    }
    const now = clock.now();
    const priority = current.priority as Priority;
    const what = current.status === 'open' ? 'response' : 'resolution';
    const deadline =
      what === 'response' ? (current.responseDueAt ?? deadlines.responseDue(priority, current.createdAt)) : deadlines.resolveDue(priority, current.createdAt);
    const itGroupId = first ? first.itGroupId : (this.d.directory.org.systems.find((s) => s.name === current.system)?.itGroup ?? null);
    const subject: EscalationSubject = { status: current.status, assigneeId: current.assigneeId, itGroupId };
    const platform = first ? (first.sourcePlatform as Platform) : await this.messages.platformOf(current);
    const reports = await tx.ticket.count({ where: { incidentId: current.id } });
    const alerts = current.alertCount;
    const seen = t('incident.seen.alerts', { alerts, reports });
    const params = { number: current.number, priority, priorityName: priorityName(priority), system: current.system, reports, seen };
    const key = (base: 'page' | 'direct' | 'toLeadership') =>
      alerts > 0 ? (`incident.escalation.${base}Alerts` as const) : (`incident.escalation.${base}` as const);
    const level = current.escalationLevel;
    if (deadline > now) {
      if (what === 'response' && level === 0) await this.page(current, subject, platform, params, key('page'));
      await tx.incident.update({ where: { id: current.id }, data: { nextEscalationAt: deadline } });
      return;
    }
    const move = this.steps.move(priority, deadline, level, now);
    if ('at' in move) {
      await tx.incident.update({ where: { id: current.id }, data: { nextEscalationAt: move.at } });
      return;
    }
    const { to } = move;
    const target = to === 'leadership' ? undefined : await this.steps.target(subject, to);
    const escalated = await tx.incident.update({ where: { id: current.id }, data: { escalationLevel: level + 1, nextEscalationAt: move.next } });
    await this.d.audit.record({
      actorId: null,
      action: 'incident.escalated',
      entityType: INCIDENT,
      entityId: current.number,
      after: { what, level: level + 1, to: target?.id ?? (to === 'leadership' ? to : null) },
    });
    const minutes = Math.max(1, Math.round((now.getTime() - deadline.getTime()) / 60_000));
    const told = { ...params, what: t(`ticket.escalation.${what}`), late: elapsedText(minutes) };
    if (to === 'leadership') await this.steps.tellLeadership(platform, t(key('toLeadership'), told));
    else if (target) await this.steps.tell(target, platform, t(key('direct'), { ...told, call: this.d.directory.callName(target) }));
    await this.messages.showEscalation(escalated, {
      what,
      level: level + 1,
      minutes,
      targetId: target?.id ?? null,
      targetName: this.steps.targetName(to, target),
    });
  }

  /** The moment the outage opens: whoever the policy pages at once is told directly; the card names them. */
  private async page(
    incident: Incident,
    subject: EscalationSubject,
    platform: Platform,
    params: Record<string, string | number>,
    text: TextKey,
  ): Promise<void> {
    const priority = incident.priority as Priority;
    const { tx } = this.d;
    if (await tx.auditLog.findFirst({ where: { entityType: INCIDENT, entityId: incident.number, action: 'incident.paged' } })) return;
    const people = await this.steps.atOnce(priority, subject);
    if (people.length === 0) return;
    const within = describeDuration(this.d.deadlines.respondWithin(priority));
    for (const person of people) {
      await this.steps.tell(person, platform, t(text, { ...params, within, call: this.d.directory.callName(person) }));
    }
    await this.d.audit.record({
      actorId: null,
      action: 'incident.paged',
      entityType: INCIDENT,
      entityId: incident.number,
      after: { to: people.map((p) => p.id) },
    });
    const targetName = people.map((p) => this.d.directory.callName(p)).join('、');
    await this.messages.showEscalation(incident, { what: 'response', level: 0, minutes: 0, targetId: people[0]!.id, targetName });
  }
}
