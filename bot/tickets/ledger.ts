import type { Mention, OutgoingMessage, Platform } from '../../adapters/types.js';
import type { Prisma, Ticket } from '../../generated/prisma/client.js';
import type { AuditLog } from '../audit.js';
import type { Clock } from '../clock.js';
import type { Tx } from '../db/client.js';
import { BotError } from '../errors.js';
import type { Directory, Person } from '../org/directory.js';
import type { ChatPurpose, Priority } from '../org/schema.js';
import type { ChatTarget, Outbox } from '../outbox/outbox.js';
import { matchKnowledge } from './knowledge.js';
import { ticketCard, type TicketCardContext, type TicketCardKind } from './cards.js';
import type { Deadlines } from './deadline.js';

export interface TicketDeps {
  tx: Tx;
  directory: Directory;
  clock: Clock;
  timeZone: string;
  deadlines: Deadlines;
  outbox: Outbox;
  audit: AuditLog;
}

export const TICKET = 'ticket';

/**
 * What every change to a ticket goes through: a compare-and-set on its version, a timeline row,
 * an audit row, and every card of the ticket re-rendered in place; plus the ways to reach the
 * people around a ticket.
 */
export class TicketLedger {
  constructor(readonly d: TicketDeps) {}

  async get(number: string): Promise<Ticket> {
    const ticket = await this.d.tx.ticket.findUnique({ where: { number: number.toUpperCase() } });
    if (!ticket) throw new BotError('ticket_not_found', { number });
    return ticket;
  }

  /** Applies `data` if nobody changed the ticket since it was read; records and shows the change. */
  async change(
    before: Ticket,
    data: Prisma.TicketUncheckedUpdateManyInput,
    change: { actor: Person | null; type: string; data?: object },
  ): Promise<Ticket> {
    const done = await this.d.tx.ticket.updateMany({
      where: { id: before.id, version: before.version },
      data: { ...data, version: { increment: 1 } },
    });
    if (done.count === 0) throw new BotError('ticket_changed', { number: before.number });
    const after = await this.d.tx.ticket.findUniqueOrThrow({ where: { id: before.id } });
    await this.record(after, change.type, change.actor, change.data ?? {}, {
      before: pick(before, Object.keys(data)),
      after: pick(after, Object.keys(data)),
    });
    await this.refresh(after);
    return after;
  }

  /** A timeline row and its audit row. */
  async record(ticket: Ticket, type: string, actor: Person | null, data: object, audit?: { before?: object; after?: object }): Promise<void> {
    await this.d.tx.ticketEvent.create({ data: { ticketId: ticket.id, type, actorId: actor?.id ?? null, data, createdAt: this.d.clock.now() } });
    await this.d.audit.record({
      actorId: actor?.id ?? null,
      action: `ticket.${type}`,
      entityType: TICKET,
      entityId: ticket.number,
      before: audit?.before,
      after: audit?.after ?? data,
    });
  }

  async context(ticket: Ticket, extra: Partial<TicketCardContext> = {}): Promise<TicketCardContext> {
    const [attachments, incident] = await Promise.all([
      this.d.tx.attachment.count({ where: { ticketId: ticket.id } }),
      ticket.incidentId ? this.d.tx.incident.findUnique({ where: { id: ticket.incidentId }, select: { number: true } }) : null,
    ]);
    return {
      directory: this.d.directory,
      timeZone: this.d.timeZone,
      respondWithin: this.d.deadlines.respondWithin(ticket.priority as Priority),
      attachments,
      incidentNumber: incident?.number,
      knowledge: await matchKnowledge(this.d.tx, this.d.directory, ticket.description),
      ...extra,
    };
  }

  async card(ticket: Ticket, kind: TicketCardKind, extra: Partial<TicketCardContext> = {}): Promise<OutgoingMessage> {
    return ticketCard(ticket, kind, await this.context(ticket, extra));
  }

  /** Re-renders every card of the ticket, wherever it was posted. */
  async refresh(ticket: Ticket): Promise<void> {
    const c = await this.context(ticket);
    await this.d.outbox.updateShown(TICKET, ticket.number, (kind) => ticketCard(ticket, kind as TicketCardKind, c));
  }

  /** Posts a card of the ticket that later changes will update. */
  async post(target: ChatTarget, ticket: Ticket, kind: TicketCardKind, extra: Partial<TicketCardContext> = {}, replyTo?: string): Promise<void> {
    const message = await this.card(ticket, kind, extra);
    await this.d.outbox.send(target, { ...message, replyTo }, { entityType: TICKET, entityId: ticket.number, kind });
  }

  /** The platform chat of the organisation's chat with this purpose, on the same platform if bound there. */
  async chatFor(purpose: ChatPurpose, platform: Platform): Promise<ChatTarget | undefined> {
    const chat = this.d.directory.chatByPurpose(purpose);
    if (!chat) return undefined;
    const bindings = await this.d.tx.chatBinding.findMany({ where: { chatId: chat.id } });
    const binding = bindings.find((b) => b.platform === platform) ?? bindings.find((b) => b.platform !== 'simulator') ?? bindings[0];
    return binding ? { platform: binding.platform as Platform, chatId: binding.platformChatId } : undefined;
  }

  async mention(person: Person | undefined, platform: Platform): Promise<Mention[]> {
    if (!person) return [];
    const identity = await this.d.tx.platformIdentity.findFirst({ where: { personId: person.id, platform } });
    return identity ? [{ platformUserId: identity.platformUserId, name: person.name }] : [];
  }

  source(ticket: Ticket): ChatTarget {
    return { platform: ticket.sourcePlatform as Platform, chatId: ticket.sourceChatId };
  }

  /** A text to the reporter, in the chat they reported from, with an @-mention. */
  async tellReporter(ticket: Ticket, text: string, replyTo?: string): Promise<void> {
    const target = this.source(ticket);
    const mentions = await this.mention(this.d.directory.person(ticket.reporterId), target.platform);
    await this.d.outbox.send(target, { type: 'text', text, mentions, replyTo });
  }

  /** A text in the engineers' group, @-mentioning the people concerned. */
  async tellEngineers(ticket: Ticket, text: string, people: (Person | undefined)[]): Promise<void> {
    const target = await this.chatFor('engineers', ticket.sourcePlatform as Platform);
    if (!target) return;
    const mentions = (await Promise.all(people.map((p) => this.mention(p, target.platform)))).flat();
    await this.d.outbox.send(target, { type: 'text', text, mentions });
  }
}

function pick(ticket: Ticket, keys: string[]): Record<string, unknown> {
  const row = ticket as unknown as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => k !== 'version').map((k) => [k, row[k] instanceof Date ? (row[k] as Date).toISOString() : row[k]]));
}
