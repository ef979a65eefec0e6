import type { Ticket } from '../../generated/prisma/client.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import type { Priority } from '../org/schema.js';
import { describeDuration } from './deadline.js';
import type { TicketDeps, TicketLedger } from './ledger.js';
import { statusText } from './status.js';

export interface Confirmation {
  solved: boolean;
  rating?: number;
  comment?: string;
}

/** Whoever shows an outage's confirmations in its chats: told when one of its reports is confirmed, reopened or closed by itself. */
export interface OutageConfirmations {
  childChanged(incidentId: number): Promise<void>;
}

/** The reporter's word on a resolved ticket: confirm and rate, or reopen; silence closes it later. */
export class TicketConfirmation {
  constructor(
    private readonly d: TicketDeps,
    private readonly ledger: TicketLedger,
    private readonly outages: OutageConfirmations,
  ) {}

  /** Only the reporter, or the head of the reporter's department, confirms. */
  private requireReporter(ticket: Ticket, person: Person): void {
    if (this.d.directory.speaksFor(person, ticket.reporterId)) return;
    const reporter = this.d.directory.person(ticket.reporterId);
    throw new BotError('not_reporter', { reporter: reporter?.name ?? ticket.reporterId, number: ticket.number });
  }

  async confirm(number: string, person: Person, answer: Confirmation): Promise<Ticket> {
    const ticket = await this.ledger.get(number);
    this.requireReporter(ticket, person);
    if (ticket.status !== 'resolved') throw new BotError('ticket_not_open', { number, status: statusText(ticket), what: t('ticket.what.confirm') });
    const comment = answer.comment?.trim() || null;
    if (answer.solved) {
      const closed = await this.ledger.change(
        ticket,
        { status: 'closed', closeReason: 'confirmed', closedAt: this.d.clock.now(), confirmDueAt: null, rating: answer.rating ?? null, ratingComment: comment },
        { actor: person, type: 'confirmed', data: { rating: answer.rating ?? null, comment } },
      );
      if (closed.incidentId) await this.outages.childChanged(closed.incidentId);
      return closed;
    }
    const now = this.d.clock.now();
    const reopened = await this.ledger.change(
      ticket,
      {
        status: 'claimed',
        resolvedAt: null,
        solution: null,
        confirmDueAt: null,
        escalationLevel: 0,
        nextEscalationAt: this.d.deadlines.escalationAfter(ticket.resolveDueAt, now),
        nextUpdateAt: this.d.deadlines.nextUpdate(ticket.priority as Priority, now),
      },
      { actor: person, type: 'reopened', data: { comment } },
    );
    const assignee = reopened.assigneeId ? this.d.directory.person(reopened.assigneeId) : undefined;
    await this.ledger.tellEngineers(reopened, t('ticket.reopen.notify', { number, comment: comment ? `（${comment}）` : '' }), [assignee]);
    if (reopened.incidentId) await this.outages.childChanged(reopened.incidentId);
    return reopened;
  }

  /** A resolved ticket nobody confirmed in time closes by itself, recorded as such. */
  async autoClose(ticket: Ticket): Promise<Ticket> {
    const closed = await this.ledger.change(
      ticket,
      { status: 'closed', closeReason: 'auto', closedAt: this.d.clock.now(), confirmDueAt: null },
      { actor: null, type: 'auto_closed' },
    );
    // An outage's reports: their chat's confirmation card shows it, rather than one message per reporter.
    if (closed.incidentId) {
      await this.outages.childChanged(closed.incidentId);
      return closed;
    }
    await this.ledger.tellReporter(
      closed,
      t('ticket.autoClosed', { number: closed.number, within: describeDuration(this.d.directory.org.tickets.autoCloseAfter) }),
    );
    return closed;
  }
}
