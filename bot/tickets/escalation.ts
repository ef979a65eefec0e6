import type { Platform } from '../chat/model.js';
import type { Incident, Ticket } from '../../generated/prisma/client.js';
import { elapsedText, t } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import type { Priority } from '../org/schema.js';
import type { DutyService } from '../duty/service.js';
import type { TicketConfirmation } from './confirm.js';
import type { TicketDeps, TicketLedger } from './ledger.js';

/**
 * What a passed deadline of a ticket does: a response or resolution deadline that passed escalates
 * along the configured chain (duty engineer → group leader → IT director), repeating until someone
 * acts; a ticket worked for long reminds its engineer to update the reporter; a resolved ticket
 * nobody confirmed closes by itself. Each step is a compare-and-set on the row as the caller read
 * it, so with several instances every step still happens once.
 */
export class TicketEscalation {
  constructor(
    private readonly d: TicketDeps,
    private readonly ledger: TicketLedger,
    private readonly confirmation: TicketConfirmation,
    private readonly duty: DutyService,
  ) {}

  /** Claims the step: only the instance whose update matches the row as read goes on. */
  private async claim(ticket: Ticket): Promise<Ticket | undefined> {
    const claimed = await this.d.tx.ticket.updateMany({
      where: { id: ticket.id, version: ticket.version },
      data: { version: { increment: 1 } },
    });
    if (claimed.count === 0) return undefined;
    return this.d.tx.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
  }

  /** A resolved ticket nobody confirmed by its deadline closes by itself. */
  async autoClose(ticket: Ticket): Promise<void> {
    const current = await this.claim(ticket);
    if (current) await this.confirmation.autoClose(current);
  }

  /** A ticket worked on for long: its engineer is reminded to update the reporter. */
  async remindUpdate(ticket: Ticket): Promise<void> {
    const current = await this.claim(ticket);
    if (!current) return;
    const { ledger } = this;
    const elapsed = Math.round((this.d.clock.now().getTime() - (current.claimedAt ?? current.createdAt).getTime()) / 60_000);
    const assignee = current.assigneeId ? this.d.directory.person(current.assigneeId) : undefined;
    await ledger.change(
      current,
      { nextUpdateAt: this.d.deadlines.nextUpdate(current.priority as Priority, this.d.clock.now()) },
      { actor: null, type: 'update_reminder' },
    );
    await ledger.tellEngineers(current, t('ticket.reminder.update', { number: current.number, elapsed: elapsedText(elapsed) }), [assignee]);
  }

  /** A response or resolution deadline passed: the next step of the chain is told, in the engineers' group. */
  async escalate(ticket: Ticket): Promise<void> {
    const current = await this.claim(ticket);
    if (!current) return;
    const { ledger } = this;
    const what = current.status === 'open' ? 'response' : 'resolution';
    const deadline = what === 'response' ? current.responseDueAt : (current.resolveDueAt ?? current.responseDueAt);
    // Not late after all (the ticket moved to a later deadline): wait for it.
    if (deadline > this.d.clock.now()) {
      await this.d.tx.ticket.update({ where: { id: current.id }, data: { nextEscalationAt: deadline } });
      return;
    }
    const target = await this.target(current, current.escalationLevel);
    const level = current.escalationLevel + 1;
    const escalated = await ledger.change(
      current,
      { escalationLevel: level, nextEscalationAt: this.d.deadlines.repeatEscalation(this.d.clock.now()) },
      { actor: null, type: 'escalated', data: { what, level, to: target?.id ?? null } },
    );
    const engineers = await ledger.chatFor('engineers', current.sourcePlatform as Platform);
    if (!engineers) return;
    const minutes = Math.max(1, Math.round((this.d.clock.now().getTime() - deadline.getTime()) / 60_000));
    const targetName = target ? this.d.directory.callName(target) : '';
    await ledger.postEscalation(engineers, escalated, { what, level, minutes, targetId: target?.id ?? null, targetName });
  }

  /** An outage nobody has claimed escalates along the same chain as a ticket. */
  async escalateIncident(incident: Incident): Promise<void> {
    const { tx } = this.d;
    const now = this.d.clock.now();
    const claimed = await tx.incident.updateMany({
      where: { id: incident.id, version: incident.version },
      data: { version: { increment: 1 }, escalationLevel: { increment: 1 }, nextEscalationAt: this.d.deadlines.repeatEscalation(now) },
    });
    if (claimed.count === 0) return;
    const child = await tx.ticket.findFirst({ where: { incidentId: incident.id }, orderBy: { id: 'asc' } });
    if (!child) return;
    const target = await this.target({ ...child, status: 'open' }, incident.escalationLevel);
    const engineers = await this.ledger.chatFor('engineers', child.sourcePlatform as Platform);
    if (!engineers) return;
    const minutes = Math.max(1, Math.round((now.getTime() - (incident.responseDueAt ?? incident.createdAt).getTime()) / 60_000));
    const text = t('incident.escalation', {
      number: incident.number,
      system: incident.system,
      minutes,
      level: incident.escalationLevel + 1,
      target: target ? this.d.directory.callName(target) : t('common.groupLeader'),
    });
    await this.d.outbox.send(engineers, { type: 'text', text, mentions: await this.ledger.mention(target, engineers.platform) });
    await this.d.audit.record({
      actorId: null,
      action: 'incident.escalated',
      entityType: 'incident',
      entityId: incident.number,
      after: { level: incident.escalationLevel + 1, to: target?.id ?? null },
    });
  }

  /** Who the `level`-th step of the chain reaches; past the end, the last step again. */
  private async target(ticket: Ticket, level: number): Promise<Person | undefined> {
    const { directory } = this.d;
    const chain = directory.org.tickets.escalation.chain;
    const step = chain[Math.min(level, chain.length - 1)]!;
    const person = (id: string | null | undefined) => (id ? directory.person(id) : undefined);
    switch (step) {
      case 'duty':
        return ticket.status === 'claimed' ? person(ticket.assigneeId) : this.duty.engineerOnDuty();
      case 'group_leader':
        return person(directory.org.itGroups.find((g) => g.id === ticket.itGroupId)?.leader) ?? directory.director();
      case 'it_director':
        return directory.director();
      default:
        return person(step);
    }
  }
}
