import type { Platform } from '../chat/model.js';
import type { Incident, Ticket } from '../../generated/prisma/client.js';
import { t } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import type { Priority } from '../org/schema.js';
import type { DutyService } from '../duty/service.js';
import { servicesFor } from '../services.js';
import { Timer } from '../timer.js';
import { transact } from '../db/transact.js';

const BATCH = 50;

/**
 * Works the persisted deadlines: a response or resolution deadline that passed escalates along the
 * configured chain (duty engineer → group leader → IT director), repeating until someone acts; a
 * ticket worked for long reminds its engineer to update the reporter; a resolved ticket nobody
 * confirmed closes by itself. Each step is a compare-and-set in its own transaction, so with
 * several instances every step still happens once. The process only needs waking (a timer, or the
 * simulator's clock).
 */
export class DeadlineWatcher extends Timer {
  protected async work(): Promise<void> {
    const now = this.deps.clock.now();
    const due = (field: 'nextEscalationAt' | 'nextUpdateAt' | 'confirmDueAt', status: string[]) =>
      this.db.ticket.findMany({ where: { [field]: { lte: now }, status: { in: status } }, orderBy: { [field]: 'asc' }, take: BATCH });
    for (const ticket of await due('nextEscalationAt', ['open', 'claimed'])) await this.step(ticket, 'escalate');
    for (const ticket of await due('nextUpdateAt', ['claimed'])) await this.step(ticket, 'remind');
    for (const ticket of await due('confirmDueAt', ['resolved'])) await this.step(ticket, 'close');
    const incidents = await this.db.incident.findMany({ where: { status: 'open', nextEscalationAt: { lte: now } }, take: BATCH });
    for (const incident of incidents) await this.escalateIncident(incident);
  }

  /** An outage nobody has claimed escalates along the same chain as a ticket. */
  private async escalateIncident(incident: Incident): Promise<void> {
    try {
      await transact(this.db, async (tx) => {
        const now = this.deps.clock.now();
        const services = servicesFor(tx, this.deps);
        const claimed = await tx.incident.updateMany({
          where: { id: incident.id, version: incident.version },
          data: { version: { increment: 1 }, escalationLevel: { increment: 1 }, nextEscalationAt: services.deadlines.repeatEscalation(now) },
        });
        if (claimed.count === 0) return;
        const child = await tx.ticket.findFirst({ where: { incidentId: incident.id }, orderBy: { id: 'asc' } });
        if (!child) return;
        const target = await this.target({ ...child, status: 'open' }, incident.escalationLevel, services.duty);
        const engineers = await services.tickets.ledger.chatFor('engineers', child.sourcePlatform as Platform);
        if (!engineers) return;
        const minutes = Math.max(1, Math.round((now.getTime() - (incident.responseDueAt ?? incident.createdAt).getTime()) / 60_000));
        const text = t('incident.escalation', {
          number: incident.number,
          system: incident.system,
          minutes,
          level: incident.escalationLevel + 1,
          target: target ? this.deps.directory.callName(target) : '组长',
        });
        await services.outbox.send(engineers, { type: 'text', text, mentions: await services.tickets.ledger.mention(target, engineers.platform) });
        await services.audit.record({ actorId: null, action: 'incident.escalated', entityType: 'incident', entityId: incident.number, after: { level: incident.escalationLevel + 1, to: target?.id ?? null } });
      });
    } catch (err) {
      this.log.error({ err, incident: incident.number }, 'incident escalation failed');
    }
  }

  private async step(ticket: Ticket, kind: 'escalate' | 'remind' | 'close'): Promise<void> {
    try {
      await transact(this.db, async (tx) => {
        const services = servicesFor(tx, this.deps);
        const { ledger } = services.tickets;
        // Claim the step: only the instance whose update matches the row as read goes on.
        const claimed = await tx.ticket.updateMany({
          where: { id: ticket.id, version: ticket.version },
          data: { version: { increment: 1 } },
        });
        if (claimed.count === 0) return;
        const current = await tx.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
        if (kind === 'close') {
          await services.confirmation.autoClose(current);
          return;
        }
        if (kind === 'remind') {
          const elapsed = Math.round((this.deps.clock.now().getTime() - (current.claimedAt ?? current.createdAt).getTime()) / 60_000);
          const assignee = current.assigneeId ? this.deps.directory.person(current.assigneeId) : undefined;
          await ledger.change(current, { nextUpdateAt: services.deadlines.nextUpdate(current.priority as Priority, this.deps.clock.now()) }, { actor: null, type: 'update_reminder' });
          await ledger.tellEngineers(current, t('ticket.reminder.update', { number: current.number, elapsed: elapsed >= 60 ? `${Math.round(elapsed / 6) / 10} 小时` : `${elapsed} 分钟` }), [assignee]);
          return;
        }
        const what = current.status === 'open' ? 'response' : 'resolution';
        const deadline = what === 'response' ? current.responseDueAt : (current.resolveDueAt ?? current.responseDueAt);
        // Not late after all (the ticket moved to a later deadline): wait for it.
        if (deadline > this.deps.clock.now()) {
          await tx.ticket.update({ where: { id: current.id }, data: { nextEscalationAt: deadline } });
          return;
        }
        const target = await this.target(current, current.escalationLevel, services.duty);
        const level = current.escalationLevel + 1;
        const escalated = await ledger.change(
          current,
          { escalationLevel: level, nextEscalationAt: services.deadlines.repeatEscalation(this.deps.clock.now()) },
          { actor: null, type: 'escalated', data: { what, level, to: target?.id ?? null } },
        );
        const engineers = await ledger.chatFor('engineers', current.sourcePlatform as Platform);
        if (!engineers) return;
        const minutes = Math.max(1, Math.round((this.deps.clock.now().getTime() - deadline.getTime()) / 60_000));
        const targetName = target ? this.deps.directory.callName(target) : '';
        await ledger.postEscalation(engineers, escalated, { what, level, minutes, targetId: target?.id ?? null, targetName });
      });
    } catch (err) {
      this.log.error({ err, ticket: ticket.number, kind }, 'deadline step failed');
    }
  }

  /** Who the `level`-th step of the chain reaches; past the end, the last step again. */
  private async target(ticket: Ticket, level: number, duty: DutyService): Promise<Person | undefined> {
    const { directory } = this.deps;
    const chain = directory.org.tickets.escalation.chain;
    const step = chain[Math.min(level, chain.length - 1)]!;
    const person = (id: string | null | undefined) => (id ? directory.person(id) : undefined);
    switch (step) {
      case 'duty':
        return ticket.status === 'claimed' ? person(ticket.assigneeId) : duty.engineerOnDuty();
      case 'group_leader':
        return person(directory.org.itGroups.find((g) => g.id === ticket.itGroupId)?.leader) ?? directory.director();
      case 'it_director':
        return directory.director();
      default:
        return person(step);
    }
  }

}
