import type { Mention, OutgoingMessage, Platform } from '../chat/model.js';
import type { MessageRef, Prisma, Ticket } from '../../generated/prisma/client.js';
import type { AuditLog } from '../audit.js';
import type { Clock } from '../clock.js';
import { sqlOf, type Tx } from '../db/client.js';
import { Query } from '../db/sql.js';
import { isRecordGone } from '../db/errors.js';
import { BotError } from '../errors.js';
import type { Directory, Person } from '../org/directory.js';
import type { ChatPurpose, Priority } from '../org/schema.js';
import { escalationColumns, shownEscalationOf, type ChatTarget, type Outbox, type ShownEntity, type ShownEscalation } from '../outbox/outbox.js';
import { ensureKnown } from '../people/store.js';
import { Reach } from '../reach.js';
import { matchKnowledge } from './knowledge.js';
import { assetOnTicket, attachmentCount, ticketByNumber, updateTicket } from './rows.js';
import { repairsSince } from './cards-asset.js';
import { incidentShownOnTicket } from '../incidents/rows.js';
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

const TIMELINE = new Query('INSERT INTO "TicketEvent" ("ticketId", "type", "actorId", "data", "createdAt") VALUES ($1, $2, $3, $4::jsonb, $5)');

/**
 * What every change to a ticket goes through: a compare-and-set on its version, a timeline row,
 * an audit row, and every card of the ticket re-rendered in place; plus the ways to reach the
 * people around a ticket.
 */
export class TicketLedger {
  readonly reach: Reach;

  constructor(private readonly d: TicketDeps) {
    this.reach = new Reach(d.tx, d.directory);
  }

  async get(number: string): Promise<Ticket> {
    const ticket = await ticketByNumber(this.d.tx, number.toUpperCase());
    if (!ticket) throw new BotError('ticket_not_found', { number });
    return ticket;
  }

  /** Applies `data` if nobody changed the ticket since it was read; records and shows the change. */
  async change(
    before: Ticket,
    data: Prisma.TicketUncheckedUpdateManyInput,
    change: { actor: Person | null; type: string; data?: object },
    opts: { redraw?: boolean } = {},
  ): Promise<Ticket> {
    // One statement: the compare-and-set returns the row as it now is (none when the version moved on).
    const written = await updateTicket(this.d.tx, before.id, before.version, data);
    const after =
      written !== undefined
        ? written
        : await this.d.tx.ticket
            .update({ where: { id: before.id, version: before.version }, data: { ...data, version: { increment: 1 } } })
            .catch((err: unknown) => {
              if (isRecordGone(err)) return null;
              throw err;
            });
    if (!after) throw new BotError('ticket_changed', { number: before.number });
    await this.record(after, change.type, change.actor, change.data ?? {}, {
      before: pick(before, Object.keys(data)),
      after: pick(after, Object.keys(data)),
    });
    // An escalation step redraws only its own card (showEscalation), not every card of the ticket.
    if (opts.redraw !== false) await this.refresh(after);
    return after;
  }

  /** A timeline row and its audit row. */
  async record(ticket: Ticket, type: string, actor: Person | null, data: object, audit?: { before?: object; after?: object }): Promise<void> {
    await sqlOf(this.d.tx).run(TIMELINE, [ticket.id, type, actor?.id ?? null, JSON.stringify(data), this.d.clock.now()]);
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
    // A reporter remembered from a platform's directory by another instance is read from the database.
    await ensureKnown(this.d.tx, this.d.directory, [ticket.reporterId, ticket.assigneeId]);
    const attachments = await attachmentCount(this.d.tx, ticket.id);
    const incident = ticket.incidentId ? await incidentShownOnTicket(this.d.tx, ticket.incidentId) : null;
    const asset = ticket.assetNumber ? await assetOnTicket(this.d.tx, ticket, repairsSince(ticket)) : undefined;
    return {
      directory: this.d.directory,
      timeZone: this.d.timeZone,
      respondWithin: this.d.deadlines.respondWithin(ticket.priority as Priority),
      attachments,
      incident: incident ?? undefined,
      asset,
      // Suggestions show only while the ticket is still being worked on.
      knowledge: ticket.status === 'open' || ticket.status === 'claimed' ? await matchKnowledge(this.d.tx, this.d.directory, ticket.description) : undefined,
      ...extra,
    };
  }

  async card(ticket: Ticket, kind: TicketCardKind, extra: Partial<TicketCardContext> = {}): Promise<OutgoingMessage> {
    return ticketCard(ticket, kind, await this.context(ticket, extra));
  }

  /** Re-renders every card of the ticket, wherever it was posted, keeping what each card was for. */
  async refresh(ticket: Ticket): Promise<void> {
    const refs = await this.d.outbox.shown(TICKET, ticket.number);
    // A ticket with no card yet (one that joined an incident as it came in) has nothing to re-render.
    if (refs.length === 0) return;
    const c = await this.context(ticket);
    const rendered = new Map<number, OutgoingMessage>();
    const seen = new Map<string, OutgoingMessage>();
    for (const ref of refs) {
      const step = escalationOf(ref);
      const key = JSON.stringify([ref.platform, ref.kind, step ?? null]);
      if (!seen.has(key)) seen.set(key, await this.render(ticket, ref.kind as TicketCardKind, ref.platform as Platform, c, step));
      rendered.set(ref.id, seen.get(key)!);
    }
    await this.d.outbox.updateShown(TICKET, ticket.number, (ref) => rendered.get(ref.id)!, refs);
  }

  /** A card for a stored kind: `intake`, `dispatch`, `confirm` (mentions the reporter) or an escalation step. */
  private async render(ticket: Ticket, kind: TicketCardKind, platform: Platform, c: TicketCardContext, step?: EscalationStep): Promise<OutgoingMessage> {
    const escalation = kind === 'escalation' ? step : undefined;
    const shown = escalation && { what: escalation.what, level: escalation.level, minutes: escalation.minutes, target: escalation.targetName };
    const message = ticketCard(ticket, kind, shown ? { ...c, escalation: shown } : c);
    const mentioned = escalation ? escalation.targetId : kind === 'confirm' ? ticket.reporterId : undefined;
    if (message.type === 'card' && mentioned) message.card.mentions = await this.mention(this.d.directory.person(mentioned), platform);
    return message;
  }

  /** Posts a card of the ticket that later changes will update (`c`: the context, when already known). */
  async post(target: ChatTarget, ticket: Ticket, kind: TicketCardKind, replyTo?: string, c?: TicketCardContext): Promise<void> {
    const message = await this.render(ticket, kind, target.platform, c ?? (await this.context(ticket)));
    await this.d.outbox.send(target, { ...message, replyTo }, { entityType: TICKET, entityId: ticket.number, kind });
  }

  /** Posts an escalation step; its card keeps saying which step it was when the ticket changes. */
  async postEscalation(target: ChatTarget, ticket: Ticket, step: EscalationStep): Promise<void> {
    const message = await this.render(ticket, 'escalation', target.platform, await this.context(ticket), step);
    await this.d.outbox.send(target, message, { entityType: TICKET, entityId: ticket.number, kind: 'escalation', escalation: step });
  }

  /** The ticket's one escalation card in a chat: posted the first time, then redrawn in place with the step. */
  async showEscalation(target: ChatTarget, ticket: Ticket, step: EscalationStep): Promise<void> {
    const where = { entityType: TICKET, entityId: ticket.number, kind: 'escalation', platform: target.platform, chatId: target.chatId };
    const ref = await this.d.tx.messageRef.findFirst({ where, orderBy: { id: 'desc' } });
    if (!ref) return this.postEscalation(target, ticket, step);
    const shown = await this.d.tx.messageRef.update({ where: { id: ref.id }, data: escalationColumns(step) });
    const message = await this.render(ticket, 'escalation', target.platform, await this.context(ticket), step);
    await this.d.outbox.updateShown(TICKET, ticket.number, () => message, [shown]);
  }

  async chatFor(purpose: ChatPurpose, platform: Platform): Promise<ChatTarget | undefined> {
    return this.reach.chatFor(purpose, platform);
  }

  async mention(person: Person | undefined, platform: Platform): Promise<Mention[]> {
    return this.reach.mention(person, platform);
  }

  source(ticket: Ticket): ChatTarget {
    return { platform: ticket.sourcePlatform as Platform, chatId: ticket.sourceChatId };
  }

  /** A text to the reporter, in the chat they reported from, with an @-mention. */
  async tellReporter(ticket: Ticket, text: string, replyTo?: string, remember?: ShownEntity): Promise<void> {
    const target = this.source(ticket);
    await ensureKnown(this.d.tx, this.d.directory, [ticket.reporterId]);
    const mentions = await this.mention(this.d.directory.person(ticket.reporterId), target.platform);
    await this.d.outbox.send(target, { type: 'text', text, mentions, replyTo }, remember);
  }

  /** A text in the engineers' group, @-mentioning the people concerned. */
  async tellEngineers(ticket: Ticket, text: string, people: (Person | undefined)[]): Promise<void> {
    const target = await this.chatFor('engineers', ticket.sourcePlatform as Platform);
    if (!target) return;
    const mentions = (await Promise.all(people.map((p) => this.mention(p, target.platform)))).flat();
    await this.d.outbox.send(target, { type: 'text', text, mentions });
  }
}

/** An escalation step, as its message shows it. */
export type EscalationStep = ShownEscalation;

/** The step an escalation message announced, from its columns. */
function escalationOf(ref: MessageRef): EscalationStep | undefined {
  return ref.kind === 'escalation' ? shownEscalationOf(ref) : undefined;
}

function pick(ticket: Ticket, keys: string[]): Record<string, unknown> {
  const row = ticket as unknown as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => k !== 'version').map((k) => [k, row[k] instanceof Date ? (row[k] as Date).toISOString() : row[k]]));
}
