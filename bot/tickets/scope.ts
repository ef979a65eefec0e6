import type { OutgoingMessage } from '../chat/model.js';
import type { Prisma, Ticket } from '../../generated/prisma/client.js';
import { BotError } from '../errors.js';
import { mdJoin } from '../chat/markdown.js';
import { t } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import type { Priority } from '../org/schema.js';
import { extractReport } from './extract.js';
import type { TicketGuards } from './guards.js';
import { SCOPE_PRIORITY, type Scope } from './intent.js';
import type { TicketDeps, TicketLedger } from './ledger.js';
import { priorityName } from './status.js';

export const SCOPE_ACTION = 'ticket.scope';
/** The scope question, remembered so answering it updates it in place. */
const SCOPE_CARD = 'ticket_scope';

/**
 * How far a fault reaches, and the priority that follows from it: the question asked once after a
 * report, its answer, and the report read again when the reporter adds to it.
 */
export class TicketScope {
  constructor(
    private readonly d: TicketDeps,
    private readonly ledger: TicketLedger,
    private readonly guards: TicketGuards,
  ) {}

  /** Asks once how far the fault reaches, with the details still missing, in one card. */
  async ask(ticket: Ticket, missing: string[]): Promise<void> {
    const items = missing.filter((m) => m !== 'scope').map((m) => t(`ticket.missing.${m as 'asset' | 'phone' | 'system'}`));
    const target = this.ledger.source(ticket);
    const mentions = await this.ledger.mention(this.d.directory.person(ticket.reporterId), target.platform);
    const card = scopeCard(ticket, items, undefined);
    card.card.mentions = mentions;
    await this.d.outbox.send(
      target,
      { ...card, replyTo: ticket.sourceMessageId ?? undefined },
      { entityType: SCOPE_CARD, entityId: ticket.number, kind: 'ask' },
    );
  }

  /** The reporter (or an engineer) says how far it reaches: the priority and its deadlines follow. */
  async answer(number: string, actor: Person, scope: Scope): Promise<Ticket> {
    const ticket = await this.ledger.get(number);
    this.guards.requireOwner(ticket, actor, t('ticket.what.answerScope'));
    this.guards.requireActive(ticket, t('ticket.what.updateScope'));
    const asked = ticket.awaiting?.split(',') ?? [];
    // Answered once; a later change of priority is an engineer's (优先级 IT-… P2 原因).
    if (!asked.includes('scope')) throw new BotError('not_possible', { reason: t('ticket.scope.alreadyAnswered', { number: ticket.number }) });
    const awaiting = asked.filter((m) => m !== 'scope');
    const rest = { awaiting: awaiting.length > 0 ? awaiting.join(',') : null };
    // A ticket in an incident follows the incident's priority; one an engineer set keeps it.
    const byHand = await this.d.tx.ticketEvent.count({ where: { ticketId: ticket.id, type: 'priority_changed' } });
    const to = ticket.incidentId || byHand > 0 ? (ticket.priority as Priority) : SCOPE_PRIORITY[scope];
    const updated = await this.reprioritise(ticket, to, actor, 'scope_answered', { scope }, rest);
    await this.d.outbox.updateShown(SCOPE_CARD, ticket.number, () => scopeCard(updated, [], scope));
    return updated;
  }

  /**
   * What the reporter adds may say how far it reaches (整个药房都没网, 不急 明天来也行): the whole
   * report is read again and the priority follows it, while no engineer has set it by hand and it
   * does not belong to an incident (whose priority it follows).
   */
  async reread(ticket: Ticket, reporter: Person, text: string): Promise<Ticket> {
    const priority = extractReport(ticket.description, reporter, this.d.directory).priority;
    if (priority === ticket.priority || ticket.incidentId) return ticket;
    const byHand = await this.d.tx.ticketEvent.count({ where: { ticketId: ticket.id, type: { in: ['priority_changed', 'scope_answered'] } } });
    if (byHand > 0) return ticket;
    return this.reprioritise(ticket, priority, reporter, 'priority_reread', { text: text.trim() });
  }

  /** A new priority with the deadlines it brings, counted from the report; a timeline row says why. */
  private async reprioritise(
    ticket: Ticket,
    to: Priority,
    actor: Person,
    type: string,
    data: object,
    extra: Prisma.TicketUncheckedUpdateManyInput = {},
  ): Promise<Ticket> {
    const { deadlines } = this.d;
    const from = ticket.priority;
    const moved =
      from === to
        ? {}
        : {
            priority: to,
            responseDueAt: deadlines.responseDue(to, ticket.createdAt),
            resolveDueAt: deadlines.resolveDue(to, ticket.createdAt),
            nextEscalationAt: ticket.status === 'open' ? deadlines.responseDue(to, ticket.createdAt) : deadlines.resolveDue(to, ticket.createdAt),
            escalationLevel: 0,
          };
    const updated = await this.ledger.change(ticket, { ...moved, ...extra }, { actor, type, data: { ...data, from, to } });
    if (from !== to)
      await this.ledger.tellEngineers(
        updated,
        t('ticket.priority.changed', { number: updated.number, from, to, reason: t(`ticket.reason.${type as 'scope_answered'}`) }),
        [],
      );
    return updated;
  }
}

/** What the reporter hears once the scope is answered. */
export function scopeThanks(ticket: Ticket, scope: Scope): string {
  return t('ticket.scope.thanks', {
    number: ticket.number,
    scope: t(`ticket.scope.${scope}`),
    priority: ticket.priority,
    priorityName: priorityName(ticket.priority),
  });
}

function scopeCard(ticket: Ticket, missing: string[], answered: Scope | undefined): OutgoingMessage & { type: 'card' } {
  const value = (scope: Scope) => ({ ticket: ticket.number, scope });
  const priority = ticket.priority as Priority;
  return {
    type: 'card',
    card: {
      title: t('ticket.scope.title', { number: ticket.number }),
      color: answered ? 'green' : 'orange',
      fields: [],
      markdown: mdJoin([t('ticket.scope.question'), ...(missing.length > 0 ? [t('ticket.missing.hint', { items: missing.join('、') })] : [])]),
      note: answered ? t('ticket.scope.answered', { scope: t(`ticket.scope.${answered}`), priority, priorityName: priorityName(priority) }) : undefined,
      buttons: answered
        ? []
        : (['one', 'department', 'several'] as const).map((scope) => ({
            label: t(`ticket.scope.${scope}`),
            action: SCOPE_ACTION,
            value: value(scope),
            command: t(`ticket.scope.${scope}`),
          })),
    },
  };
}
