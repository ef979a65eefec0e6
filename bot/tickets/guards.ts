import type { Ticket } from '../../generated/prisma/client.js';
import { BotError } from '../errors.js';
import type { Person } from '../org/directory.js';
import type { TicketDeps } from './ledger.js';
import { statusText } from './status.js';

/**
 * Who may act on a ticket, and whether it is still in a state to act on: the checks the ticket
 * operations start with. `what` names the action for the refusal (认领, 转派, 补充信息 …).
 */
export class TicketGuards {
  constructor(private readonly d: Pick<TicketDeps, 'tx' | 'directory'>) {}

  requireStaff(person: Person, what: string): void {
    if (!this.d.directory.isItStaff(person)) throw new BotError('not_it_staff', { what });
  }

  /** The assignee, a group leader or the IT director may act on a claimed ticket (or incident). */
  requireHandler(ticket: Pick<Ticket, 'assigneeId'>, person: Person, what: string): void {
    this.requireStaff(person, what);
    const { directory } = this.d;
    if (!ticket.assigneeId || ticket.assigneeId === person.id || directory.hasRole(person, 'it_group_leader', 'it_director')) return;
    const holder = directory.person(ticket.assigneeId);
    throw new BotError('not_assignee', { engineer: holder ? directory.callName(holder) : ticket.assigneeId, what });
  }

  /** The reporter, the head of their department, or IT staff may answer for a ticket. */
  requireOwner(ticket: Ticket, person: Person, what: string): void {
    const { directory } = this.d;
    if (directory.speaksFor(person, ticket.reporterId) || directory.isItStaff(person)) return;
    throw new BotError('not_own_ticket', { number: ticket.number, reporter: directory.person(ticket.reporterId)?.name ?? ticket.reporterId, what });
  }

  /** The ticket is still open or being worked on. */
  requireActive(ticket: Ticket, what: string): void {
    if (ticket.status !== 'open' && ticket.status !== 'claimed') {
      throw new BotError('ticket_not_open', { number: ticket.number, status: statusText(ticket), what });
    }
  }

  /** A ticket in an unresolved incident is worked through the incident. */
  async requireNotInIncident(ticket: Ticket): Promise<void> {
    if (!ticket.incidentId) return;
    const incident = await this.d.tx.incident.findUnique({ where: { id: ticket.incidentId } });
    if (incident && incident.status !== 'resolved') throw new BotError('in_incident', { number: ticket.number, incident: incident.number });
  }
}
