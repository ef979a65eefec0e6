import type { Incident, Ticket } from '../../generated/prisma/client.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import type { ChatTarget } from '../outbox/outbox.js';
import type { Confirmation, TicketConfirmation } from '../tickets/confirm.js';
import type { TicketDeps, TicketLedger } from '../tickets/ledger.js';
import { statusText } from '../tickets/status.js';
import { tidySolution, type TicketWork } from '../tickets/work.js';
import type { IncidentMessages } from './messages.js';
import { ACTIVE, INCIDENT, type IncidentService } from './service.js';

/**
 * What an outage's reporters hear once someone works on it: progress to every chat it was reported
 * from, the one resolution that resolves every report (one card per chat), and each reporter's word
 * on that card.
 */
export class IncidentUpdates {
  constructor(
    private readonly d: TicketDeps,
    private readonly ledger: TicketLedger,
    private readonly incidents: IncidentService,
    private readonly work: TicketWork,
    private readonly messages: IncidentMessages,
    private readonly confirmation: TicketConfirmation,
  ) {}

  /** One resolution for the outage: every child is resolved and its reporter asked to confirm. */
  async resolve(number: string, engineer: Person, solution: string): Promise<{ incident: Incident; children: number }> {
    const { directory, tx, clock } = this.d;
    if (!directory.isItStaff(engineer)) throw new BotError('not_it_staff', { what: t('incident.what.resolve') });
    if (!solution.trim()) throw new BotError('missing_text', { what: t('ticket.needs.solution') });
    const incident = await this.incidents.get(number);
    if (!ACTIVE.includes(incident.status))
      throw new BotError('ticket_not_open', { number: incident.number, status: t('incident.status.resolved'), what: t('ticket.what.resolve') });
    // Whoever holds the outage resolves it, or a group leader or the IT director.
    this.work.requireHandler(incident, engineer, t('incident.what.resolve'));
    const done = await tx.incident.updateMany({
      where: { id: incident.id, version: incident.version },
      data: {
        status: 'resolved',
        assigneeId: incident.assigneeId ?? engineer.id,
        solution: tidySolution(solution),
        resolvedAt: clock.now(),
        nextEscalationAt: null,
        version: { increment: 1 },
      },
    });
    if (done.count === 0) throw new BotError('ticket_changed', { number: incident.number });
    await this.d.audit.record({
      actorId: engineer.id,
      action: 'incident.resolve',
      entityType: INCIDENT,
      entityId: incident.number,
      after: { solution: solution.trim() },
    });
    const children = await tx.ticket.findMany({ where: { incidentId: incident.id, status: { in: ACTIVE } }, orderBy: { id: 'asc' } });
    const resolved = [];
    for (const child of children) resolved.push(await this.work.markResolved(child, engineer, solution, true));
    const current = await this.messages.refresh(incident.id);
    // One message per chat: the solution, mentioning its reporters, each asked to confirm their own report.
    await this.messages.askConfirmation(current, resolved);
    return { incident: current, children: children.length };
  }

  /**
   * A reporter answers the confirmation card of their chat: their own reports in the outage are
   * confirmed (or reopened) as a ticket's are. A department head answers for their department's
   * reporters in that chat when they reported nothing themselves.
   */
  async confirm(number: string, person: Person, answer: Confirmation, chat?: ChatTarget): Promise<Ticket[]> {
    const incident = await this.incidents.get(number);
    const children = await this.d.tx.ticket.findMany({ where: { incidentId: incident.id }, orderBy: { id: 'asc' } });
    const own = children.filter((c) => c.reporterId === person.id);
    const inChat = (c: Ticket) => !chat || (c.sourcePlatform === chat.platform && c.sourceChatId === chat.chatId);
    const mine = own.length > 0 ? own : children.filter((c) => inChat(c) && this.d.directory.speaksFor(person, c.reporterId));
    if (mine.length === 0) throw new BotError('not_incident_reporter', { number: incident.number });
    const waiting = mine.filter((c) => c.status === 'resolved');
    if (waiting.length === 0) throw new BotError('incident_already_confirmed', { number: incident.number, status: statusText(mine[0]!) });
    const answered = [];
    for (const child of waiting) answered.push(await this.confirmation.confirm(child.number, person, answer));
    return answered;
  }

  /** Progress on the outage: a timeline row on each report, one message to every chat it was reported from. */
  async progress(number: string, actor: Person, text: string): Promise<{ incident: Incident; chats: number }> {
    if (!text.trim()) throw new BotError('missing_text', { what: t('ticket.needs.progress') });
    const incident = await this.incidents.get(number);
    if (!ACTIVE.includes(incident.status))
      throw new BotError('ticket_not_open', { number: incident.number, status: t('incident.status.resolved'), what: t('ticket.what.progress') });
    this.work.requireHandler(incident, actor, t('ticket.what.progress'));
    const { tx, audit, directory } = this.d;
    await audit.record({ actorId: actor.id, action: 'incident.progress', entityType: INCIDENT, entityId: incident.number, after: { text: text.trim() } });
    const children = await tx.ticket.findMany({ where: { incidentId: incident.id, status: { in: ACTIVE } }, orderBy: { id: 'asc' } });
    for (const child of children) await this.ledger.record(child, 'progress', actor, { text: text.trim(), incident: incident.number });
    const told = t('incident.progress.toReporters', { number: incident.number, engineer: directory.callName(actor), text: text.trim() });
    return { incident, chats: await this.messages.toChats(children, told) };
  }
}
