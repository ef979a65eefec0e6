import type { Ticket } from '../../generated/prisma/client.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import type { Priority } from '../org/schema.js';
import type { TicketGuards } from './guards.js';
import type { TicketDeps, TicketLedger } from './ledger.js';
import { yuanText } from './repair-cost.js';
import type { RepairAtResolution, TicketRepairs } from './repairs.js';
import { statusText } from './status.js';

/** Whom a ticket is transferred to: an engineer or an IT group. */
export type TransferTarget = { person: Person } | { group: { id: string; name: string } };

/** Engineers working a ticket: claim, transfer, note, progress, priority, spare parts, resolve. */
export class TicketWork {
  constructor(
    private readonly d: TicketDeps,
    private readonly ledger: TicketLedger,
    private readonly guards: TicketGuards,
    private readonly repairs: TicketRepairs,
  ) {}

  /** The assignee, a group leader or the IT director may act on a claimed ticket; incidents are checked the same way. */
  requireHandler(ticket: Pick<Ticket, 'assigneeId'>, person: Person, what: string): void {
    this.guards.requireHandler(ticket, person, what);
  }

  async claim(number: string, engineer: Person): Promise<Ticket> {
    const { directory, clock, deadlines } = this.d;
    this.guards.requireStaff(engineer, t('ticket.what.claimTicket'));
    const ticket = await this.ledger.get(number);
    await this.guards.requireNotInIncident(ticket);
    if (ticket.status !== 'open') {
      if (ticket.assigneeId === engineer.id) throw new BotError('already_claimed_by_you', { number: ticket.number });
      const holder = ticket.assigneeId ? directory.person(ticket.assigneeId) : undefined;
      if (holder && ticket.status === 'claimed') throw new BotError('already_claimed', { number: ticket.number, engineer: directory.callName(holder) });
      throw new BotError('ticket_not_open', { number: ticket.number, status: statusText(ticket), what: t('ticket.what.claim') });
    }
    const now = clock.now();
    const priority = ticket.priority as Priority;
    const claimed = await this.ledger.change(
      ticket,
      {
        status: 'claimed',
        assigneeId: engineer.id,
        claimedAt: now,
        escalationLevel: 0,
        nextEscalationAt: ticket.resolveDueAt,
        nextUpdateAt: deadlines.nextUpdate(priority, now),
      },
      { actor: engineer, type: 'claimed' },
    );
    const group = directory.itGroupName(engineer.itGroup) ?? directory.departmentName(engineer.department) ?? '';
    const phone = engineer.phone ? t('ticket.claim.phone', { phone: engineer.phone }) : '';
    await this.ledger.tellReporter(claimed, t('ticket.claim.notifyReporter', { number: claimed.number, engineer: directory.callName(engineer), group, phone }));
    return claimed;
  }

  /** Hands the ticket to an engineer (who now holds it) or back to a group's queue (open again). */
  async transfer(number: string, actor: Person, target: TransferTarget, reason: string): Promise<{ ticket: Ticket; targetName: string }> {
    const { directory, clock, deadlines } = this.d;
    const ticket = await this.ledger.get(number);
    this.guards.requireActive(ticket, t('ticket.what.transfer'));
    await this.guards.requireNotInIncident(ticket);
    this.guards.requireHandler(ticket, actor, t('ticket.what.transfer'));
    const now = clock.now();
    const priority = ticket.priority as Priority;
    let data;
    let targetName: string;
    let notify: Person[];
    if ('person' in target) {
      this.guards.requireStaff(target.person, t('ticket.what.receiveTransfer'));
      targetName = directory.callName(target.person);
      notify = [target.person];
      data = {
        status: 'claimed',
        assigneeId: target.person.id,
        itGroupId: target.person.itGroup ?? ticket.itGroupId,
        claimedAt: ticket.claimedAt ?? now,
        escalationLevel: 0,
        nextEscalationAt: deadlines.escalationAfter(ticket.resolveDueAt, now),
        nextUpdateAt: deadlines.nextUpdate(priority, now),
      };
    } else {
      targetName = target.group.name;
      const leaderId = directory.org.itGroups.find((g) => g.id === target.group.id)?.leader;
      notify = leaderId && directory.person(leaderId) ? [directory.person(leaderId)!] : [];
      data = {
        status: 'open',
        assigneeId: null,
        itGroupId: target.group.id,
        escalationLevel: 0,
        nextEscalationAt: deadlines.escalationAfter(ticket.responseDueAt, now),
        nextUpdateAt: null,
      };
    }
    const moved = await this.ledger.change(ticket, data, { actor, type: 'transferred', data: { to: targetName, reason } });
    const params = { number: moved.number, from: directory.callName(actor), target: targetName, reason: reason || '—' };
    await this.ledger.tellEngineers(moved, t('person' in target ? 'ticket.transfer.notifyPerson' : 'ticket.transfer.notify', params), notify);
    if ('person' in target) {
      const engineer = target.person;
      const group = directory.itGroupName(engineer.itGroup) ?? directory.departmentName(engineer.department) ?? '';
      const phone = engineer.phone ? t('ticket.claim.phone', { phone: engineer.phone }) : '';
      await this.ledger.tellReporter(
        moved,
        t('ticket.transfer.notifyReporter', { number: moved.number, engineer: directory.callName(engineer), group, phone }),
      );
    }
    return { ticket: moved, targetName };
  }

  /** An internal note on the timeline. */
  async note(number: string, actor: Person, text: string): Promise<Ticket> {
    this.guards.requireStaff(actor, t('ticket.what.note'));
    if (!text.trim()) throw new BotError('missing_text', { what: t('ticket.needs.note') });
    const ticket = await this.ledger.get(number);
    return this.ledger.change(ticket, {}, { actor, type: 'note', data: { text: text.trim() } });
  }

  /** Progress told to the reporter; resets the reminder to do so. */
  async progress(number: string, actor: Person, text: string): Promise<Ticket> {
    if (!text.trim()) throw new BotError('missing_text', { what: t('ticket.needs.progress') });
    const ticket = await this.ledger.get(number);
    this.guards.requireActive(ticket, t('ticket.what.progress'));
    this.guards.requireHandler(ticket, actor, t('ticket.what.progress'));
    const next = ticket.status === 'claimed' ? this.d.deadlines.nextUpdate(ticket.priority as Priority, this.d.clock.now()) : ticket.nextUpdateAt;
    const updated = await this.ledger.change(ticket, { nextUpdateAt: next }, { actor, type: 'progress', data: { text: text.trim() } });
    await this.ledger.tellReporter(
      updated,
      t('ticket.progress.toReporter', { number: updated.number, engineer: this.d.directory.callName(actor), text: text.trim() }),
    );
    return updated;
  }

  async changePriority(number: string, actor: Person, priority: Priority, reason: string): Promise<Ticket> {
    this.guards.requireStaff(actor, t('ticket.what.priority'));
    if (!reason.trim()) throw new BotError('missing_text', { what: t('ticket.needs.priorityReason') });
    const ticket = await this.ledger.get(number);
    this.guards.requireActive(ticket, t('ticket.what.priority'));
    // A report in an outage follows the incident's priority.
    await this.guards.requireNotInIncident(ticket);
    if (ticket.priority === priority) throw new BotError('priority_unchanged', { number: ticket.number, priority });
    const { deadlines } = this.d;
    const from = ticket.priority;
    const changed = await this.ledger.change(
      ticket,
      {
        priority,
        responseDueAt: deadlines.responseDue(priority, ticket.createdAt),
        resolveDueAt: deadlines.resolveDue(priority, ticket.createdAt),
        // Raised to a priority that pages at once (P1, P2): paged now, as a new report of it would be.
        nextEscalationAt:
          ticket.status === 'open'
            ? deadlines.policy(priority).atOnce.length > 0
              ? this.d.clock.now()
              : deadlines.responseDue(priority, ticket.createdAt)
            : deadlines.resolveDue(priority, ticket.createdAt),
        escalationLevel: 0,
      },
      { actor, type: 'priority_changed', data: { from, to: priority, reason: reason.trim() } },
    );
    await this.ledger.tellEngineers(changed, t('ticket.priority.changed', { number: changed.number, from, to: priority, reason: reason.trim() }), []);
    return changed;
  }

  /** Spare parts used on the ticket (the repair form charges them to the department). */
  async recordParts(number: string, actor: Person, parts: string): Promise<Ticket> {
    this.guards.requireStaff(actor, t('ticket.what.parts'));
    if (!parts.trim()) throw new BotError('missing_text', { what: t('ticket.needs.parts') });
    const ticket = await this.ledger.get(number);
    return this.ledger.change(ticket, {}, { actor, type: 'parts', data: { parts: parts.trim() } });
  }

  /**
   * Marks the ticket solved and asks the reporter to confirm and rate; with the spare parts and the
   * repair's cost (in fen) when given. A repair is charged to its department and enters the asset's history.
   */
  async resolve(number: string, actor: Person, solution: string, parts?: string, costFen?: number): Promise<Ticket> {
    if (!solution.trim()) throw new BotError('missing_text', { what: t('ticket.needs.solution') });
    const ticket = await this.ledger.get(number);
    this.guards.requireActive(ticket, t('ticket.what.resolve'));
    await this.guards.requireNotInIncident(ticket);
    this.guards.requireHandler(ticket, actor, t('ticket.what.resolve'));
    if (parts?.trim()) await this.ledger.record(ticket, 'parts', actor, { parts: parts.trim() });
    const repair = await this.repairs.atResolution(ticket, costFen);
    const resolved = await this.markResolved(ticket, actor, solution, false, repair);
    await this.repairs.resolved(resolved, actor, repair);
    return resolved;
  }

  /**
   * Resolution shared by tickets and the children of an incident; the solution as typed. A ticket's
   * reporter is told and gets a confirmation card; an incident's children are asked once per chat
   * by the incident instead (`byIncident`). A repair's cost and department are written with it.
   */
  async markResolved(ticket: Ticket, actor: Person, typed: string, byIncident = false, repair?: RepairAtResolution): Promise<Ticket> {
    const solution = tidySolution(typed);
    const now = this.d.clock.now();
    const costFen = repair?.columns.repairCostFen;
    const resolved = await this.ledger.change(
      ticket,
      {
        status: 'resolved',
        assigneeId: ticket.assigneeId ?? actor.id,
        claimedAt: ticket.claimedAt ?? now,
        resolvedAt: now,
        solution,
        nextEscalationAt: null,
        nextUpdateAt: null,
        awaitingUntil: null,
        confirmDueAt: this.d.deadlines.autoClose(now),
        ...repair?.columns,
      },
      { actor, type: 'resolved', data: typeof costFen === 'number' ? { solution, cost: costFen / 100 } : { solution } },
    );
    if (byIncident) return resolved;
    await this.ledger.tellReporter(resolved, this.resolvedText(resolved, solution));
    await this.ledger.post(this.ledger.source(resolved), resolved, 'confirm');
    return resolved;
  }

  /** What the reporter is told of the resolution: the solution, and the cost charged to their department when there is one. */
  private resolvedText(ticket: Ticket, solution: string): string {
    if (!ticket.repairCostFen) return t('ticket.resolve.notify', { number: ticket.number, solution });
    const department = this.d.directory.departmentName(ticket.chargedDepartmentId);
    const cost = yuanText(ticket.repairCostFen);
    return department
      ? t('repair.resolve.notify', { number: ticket.number, solution, cost, department })
      : t('repair.resolve.notifyNoDepartment', { number: ticket.number, solution, cost });
  }
}

/** A solution as recorded and told: trimmed, without the punctuation it was typed with at its end. */
export function tidySolution(typed: string): string {
  return typed.trim().replace(/[。.！!；;，,\s]+$/u, '');
}
