import type { Ticket } from '../../generated/prisma/client.js';
import { BotError } from '../errors.js';
import { t, type TextKey, type TextParams } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import type { TicketGuards } from './guards.js';
import type { TicketDeps, TicketLedger } from './ledger.js';
import { statusText } from './status.js';

/** Why an engineer closes a ticket that needs no fix; a duplicate names the ticket it repeats. */
export type CloseReason = { kind: 'false_alarm' } | { kind: 'duplicate'; of: string /* ticket number */ } | { kind: 'not_needed' };

/** Someone other than the reporter tried to withdraw a ticket: the not_reporter refusal, worded for 撤销. */
class NotReporterToCancel extends BotError {
  constructor(params: TextParams) {
    super('not_reporter', params);
  }

  override get textKey(): TextKey {
    return 'ticket.cancel.notReporter';
  }
}

const CLOSABLE = ['open', 'claimed', 'resolved'];

/** Tickets that end without a fix: an engineer closes one that needs none, or the reporter withdraws it. */
export class TicketClosing {
  constructor(
    private readonly d: TicketDeps,
    private readonly ledger: TicketLedger,
    private readonly guards: TicketGuards,
  ) {}

  /**
   * Closes a ticket that needs no fix: a false alarm, a repeat of another ticket, or nothing to do.
   * Any IT engineer may; the reporter hears why, and whoever held the ticket is told.
   */
  async close(number: string, actor: Person, reason: CloseReason, note = ''): Promise<Ticket> {
    const { directory, clock } = this.d;
    this.guards.requireStaff(actor, t('ticket.what.closeTicket'));
    const ticket = await this.ledger.get(number);
    if (!CLOSABLE.includes(ticket.status))
      throw new BotError('ticket_not_open', { number: ticket.number, status: statusText(ticket), what: t('ticket.what.close') });
    await this.guards.requireNotInIncident(ticket);
    let of: string | null = null;
    if (reason.kind === 'duplicate') {
      const original = await this.ledger.get(reason.of);
      if (original.id === ticket.id) throw new BotError('not_possible', { reason: t('ticket.close.duplicateOfItself', { number: ticket.number }) });
      of = original.number;
    }
    const text = note.trim();
    const closed = await this.ledger.change(
      ticket,
      {
        status: 'closed',
        closeReason: reason.kind,
        duplicateOf: of,
        closedAt: clock.now(),
        nextEscalationAt: null,
        nextUpdateAt: null,
        awaitingUntil: null,
        confirmDueAt: null,
      },
      { actor, type: 'closed', data: { reason: reason.kind, ...(of ? { of } : {}), ...(text ? { note: text } : {}) } },
    );
    const engineer = directory.callName(actor);
    const params = { number: closed.number, engineer, of: of ?? '', note: text ? t('ticket.close.noteSuffix', { note: text }) : '' };
    await this.ledger.tellReporter(closed, t(`ticket.close.toReporter.${reason.kind}`, params));
    const holder = ticket.assigneeId && ticket.assigneeId !== actor.id ? directory.person(ticket.assigneeId) : undefined;
    if (holder)
      await this.ledger.tellEngineers(closed, t('ticket.close.notifyHolder', { number: closed.number, engineer, reason: closeReasonText(closed) }), [holder]);
    return closed;
  }

  /** The reporter (or the head of the reporter's department) withdraws a ticket nobody has solved yet. */
  async cancel(ticket: Ticket, reporter: Person): Promise<Ticket> {
    const { directory, clock } = this.d;
    const owner = directory.person(ticket.reporterId);
    if (!directory.speaksFor(reporter, ticket.reporterId)) throw new NotReporterToCancel({ reporter: owner?.name ?? ticket.reporterId, number: ticket.number });
    this.guards.requireActive(ticket, t('ticket.what.cancel'));
    const cancelled = await this.ledger.change(
      ticket,
      {
        status: 'closed',
        closeReason: 'cancelled',
        closedAt: clock.now(),
        nextEscalationAt: null,
        nextUpdateAt: null,
        awaitingUntil: null,
        confirmDueAt: null,
      },
      { actor: reporter, type: 'cancelled' },
    );
    const by = reporter.id === ticket.reporterId ? '' : t('ticket.cancel.by', { who: reporter.name });
    await this.ledger.tellReporter(cancelled, t('ticket.cancel.reply', { number: cancelled.number, by }));
    const assignee = cancelled.assigneeId ? directory.person(cancelled.assigneeId) : undefined;
    if (assignee)
      await this.ledger.tellEngineers(cancelled, t('ticket.cancel.notify', { number: cancelled.number, reporter: owner?.name ?? ticket.reporterId }), [
        assignee,
      ]);
    return cancelled;
  }
}

/** Why a closed ticket was closed without a fix, in a few words (误报, 重复报修（同 IT-…）, 无需处理). */
export function closeReasonText(ticket: Pick<Ticket, 'closeReason' | 'duplicateOf'>): string {
  if (ticket.closeReason === 'duplicate') return t('ticket.closeReason.duplicateOf', { of: ticket.duplicateOf ?? '—' });
  if (ticket.closeReason === 'false_alarm' || ticket.closeReason === 'not_needed') return t(`ticket.closeReason.${ticket.closeReason}`);
  return statusText({ status: 'closed', closeReason: ticket.closeReason, duplicateOf: ticket.duplicateOf });
}
