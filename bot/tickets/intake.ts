import type { Attachment, MessageRef, OutgoingMessage } from '../chat/model.js';
import type { Prisma, Ticket } from '../../generated/prisma/client.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import type { Priority } from '../org/schema.js';
import { priorityName, statusText } from './cards.js';
import type { TicketConfirmation } from './confirm.js';
import { extractReport, type ReportFields } from './extract.js';
import { SCOPE_PRIORITY, type Scope } from './intent.js';
import type { TicketDeps, TicketLedger } from './ledger.js';
import type { TicketService } from './service.js';

export const INTAKE_ACTION = { merge: 'ticket.merge', scope: 'ticket.scope' } as const;
/** The scope question and the merge offer, remembered so answering them updates them in place. */
const SCOPE_CARD = 'ticket_scope';
const MERGE_CARD = 'ticket_merge';
const ACTIVE = ['open', 'claimed'];

type Filled = { asset?: string; phone?: string; location?: string; system?: string; images?: number };

/**
 * What a reporter adds to, or says about, a ticket after reporting it: more details, "still broken",
 * the answer to how far the fault reaches, or "this was part of my earlier report".
 */
export class TicketIntake {
  constructor(
    private readonly d: TicketDeps,
    private readonly ledger: TicketLedger,
    private readonly tickets: TicketService,
    private readonly confirmation: TicketConfirmation,
  ) {}

  /** The reporter, the head of their department, or IT staff may answer for a ticket. */
  requireOwner(ticket: Ticket, person: Person, what: string): void {
    const { directory } = this.d;
    if (directory.speaksFor(person, ticket.reporterId) || directory.isItStaff(person)) return;
    throw new BotError('not_own_ticket', { number: ticket.number, reporter: directory.person(ticket.reporterId)?.name ?? ticket.reporterId, what });
  }

  /** The ticket a message names (补充 IT-…, IT-… 好了): it must exist and be the sender's to speak for. */
  async named(number: string, actor: Person): Promise<Ticket> {
    const ticket = await this.ledger.get(number);
    this.requireOwner(ticket, actor, t('ticket.what.addOrEnd'));
    return ticket;
  }

  /**
   * The reporter's newest ticket in this chat that a message can still be about: being worked on and
   * touched within the organisation file's continue window, or resolved and waiting for them.
   */
  async recent(reporter: Person, source: MessageRef): Promise<Ticket | null> {
    const ticket = await this.d.tx.ticket.findFirst({
      where: { reporterId: reporter.id, sourcePlatform: source.platform, sourceChatId: source.chatId, status: { in: [...ACTIVE, 'resolved', 'closed'] } },
      orderBy: { id: 'desc' },
    });
    if (!ticket) return null;
    if (ticket.status === 'resolved') return ticket;
    const window = this.d.directory.org.intake.continueWindow;
    const minutes = 'minutes' in window ? window.minutes : window.workdays * 24 * 60;
    const since = new Date(this.d.clock.now().getTime() - minutes * 60_000);
    // Recent by what the reporter did (reported, added, answered), not by escalations or engineers' notes.
    const said = await this.d.tx.ticketEvent.findFirst({
      where: { ticketId: ticket.id, actorId: reporter.id },
      orderBy: { id: 'desc' },
      select: { createdAt: true },
    });
    const touched = [ticket.createdAt, said?.createdAt, ticket.closedAt].filter((d): d is Date => !!d);
    return touched.some((d) => d >= since) ? ticket : null;
  }

  /** Fills what the message gives (asset, phone, place, system, screenshots) and tells the reporter what was added. */
  async addTo(
    ticket: Ticket,
    reporter: Person,
    text: string,
    fields: ReportFields | undefined,
    attachments: Attachment[],
    source: MessageRef,
  ): Promise<Ticket> {
    const found: Filled = {};
    if (fields?.assetNumber && fields.assetNumber !== ticket.assetNumber) found.asset = fields.assetNumber;
    if (fields?.phone && fields.phone !== ticket.phone) found.phone = fields.phone;
    if (fields?.location && !ticket.location) found.location = fields.location.text;
    const system = !ticket.system ? fields?.system : undefined;
    if (system) found.system = system.name;
    if (attachments.length > 0) found.images = attachments.length;
    await this.tickets.keepAttachments(ticket, source, attachments);
    const awaited = ticket.awaiting?.split(',') ?? [];
    const still = awaited.filter((m) => !(m === 'asset' && found.asset) && !(m === 'phone' && found.phone) && !(m === 'system' && found.system));
    const updated = await this.ledger.change(
      ticket,
      {
        assetNumber: found.asset ?? ticket.assetNumber,
        phone: found.phone ?? ticket.phone,
        location: found.location ?? ticket.location,
        building: found.location ? (fields?.location?.building ?? null) : ticket.building,
        floor: found.location ? (fields?.location?.floor ?? null) : ticket.floor,
        room: found.location ? (fields?.location?.room ?? null) : ticket.room,
        system: found.system ?? ticket.system,
        category: system ? system.category : ticket.category,
        itGroupId: system ? system.itGroup : ticket.itGroupId,
        description: text.trim() ? `${ticket.description}\n${text.trim()}` : ticket.description,
        awaiting: still.length > 0 ? still.join(',') : null,
        awaitingUntil: still.length > 0 ? ticket.awaitingUntil : null,
      },
      { actor: reporter, type: 'info_added', data: { ...found, text: text.trim() || undefined } },
    );
    const current = text.trim() ? await this.reread(updated, reporter, text) : updated;
    const items = [
      found.asset && `${t('ticket.field.asset')} ${found.asset}`,
      found.phone && `${t('ticket.field.phone')} ${found.phone}`,
      found.location && `${t('ticket.field.location')} ${found.location}`,
      found.system && `${t('ticket.field.system')} ${found.system}`,
      found.images && t('ticket.filled.images', { n: found.images }),
    ].filter(Boolean);
    if (current !== updated) items.push(t('ticket.filled.priority', { priority: current.priority, priorityName: priorityName(current.priority) }));
    const said = items.length > 0 ? items.join('，') : t('ticket.filled.note', { text: clip(text.trim()) });
    await this.ledger.tellReporter(current, t('ticket.filled', { number: current.number, items: said }), source.messageId);
    // The engineer already on it hears of it; an unclaimed ticket's dispatch card shows it.
    const assignee = current.assigneeId ? this.d.directory.person(current.assigneeId) : undefined;
    if (assignee && current.status === 'claimed') {
      await this.ledger.tellEngineers(
        current,
        t('ticket.filled.notify', { number: current.number, items: items.length > 0 ? items.join('，') : clip(text.trim()) }),
        [assignee],
      );
    }
    return current;
  }

  /**
   * What the reporter adds may say how far it reaches (整个药房都没网, 不急 明天来也行): the whole
   * report is read again and the priority follows it, while no engineer has set it by hand and it
   * does not belong to an incident (whose priority it follows).
   */
  private async reread(ticket: Ticket, reporter: Person, text: string): Promise<Ticket> {
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

  /** "还是不行": a resolved ticket reopens; one being worked on hears it again (a closed one stays closed). */
  async stillBroken(ticket: Ticket, reporter: Person, text: string, source: MessageRef, fields?: ReportFields): Promise<Ticket> {
    if (ticket.status === 'resolved') {
      const reopened = await this.confirmation.confirm(ticket.number, reporter, { solved: false, comment: text.trim() });
      await this.ledger.tellReporter(reopened, t('ticket.confirm.reopened', { number: reopened.number }), source.messageId);
      return reopened;
    }
    // 重启也不行 PC-0412, 还是不行 分机2231: the details it gives reach the ticket too.
    const given = {
      ...(fields?.assetNumber && !ticket.assetNumber ? { assetNumber: fields.assetNumber } : {}),
      ...(fields?.phone ? { phone: fields.phone } : {}),
      ...(fields?.location && !ticket.location ? { location: fields.location.text } : {}),
    };
    const noted = await this.ledger.change(
      ticket,
      { description: `${ticket.description}\n${text.trim()}`, ...given },
      { actor: reporter, type: 'still_broken', data: { text: text.trim(), ...given } },
    );
    const updated = await this.reread(noted, reporter, text);
    const reply =
      updated !== noted
        ? t('ticket.stillBroken.priority', { number: updated.number, priority: updated.priority, priorityName: priorityName(updated.priority) })
        : t('ticket.stillBroken.reply', { number: updated.number });
    await this.ledger.tellReporter(updated, reply, source.messageId);
    const assignee = updated.assigneeId ? this.d.directory.person(updated.assigneeId) : undefined;
    await this.ledger.tellEngineers(updated, t('ticket.stillBroken.notify', { number: updated.number, text: clip(text.trim()) }), [assignee]);
    return updated;
  }

  /** A new ticket the bot could not tell from an addition: one button folds it into the earlier one. */
  async offerMerge(ticket: Ticket, into: Ticket): Promise<void> {
    await this.d.outbox.send(this.ledger.source(ticket), mergeCard(ticket.number, into.number, 'offered'), {
      entityType: MERGE_CARD,
      entityId: ticket.number,
      kind: 'offer',
    });
  }

  /** 「这是补充，并入 IT-…」: the newer ticket closes as a duplicate and what it said joins the earlier one. */
  async merge(number: string, intoNumber: string, actor: Person, source: MessageRef): Promise<Ticket> {
    const ticket = await this.ledger.get(number);
    const into = await this.ledger.get(intoNumber);
    this.requireOwner(ticket, actor, t('ticket.what.merge'));
    if (ticket.id === into.id) throw new BotError('not_possible', { reason: t('ticket.merge.itself', { number: ticket.number }) });
    // Only one reporter's tickets fold together; engineers may join any two.
    if (into.reporterId !== ticket.reporterId && !this.d.directory.isItStaff(actor)) this.requireOwner(into, actor, t('ticket.what.mergeInto'));
    if (!ACTIVE.includes(ticket.status))
      throw new BotError('ticket_not_open', { number: ticket.number, status: statusText(ticket), what: t('ticket.what.mergeFrom') });
    if (!ACTIVE.includes(into.status)) throw new BotError('ticket_not_open', { number: into.number, status: statusText(into), what: t('ticket.what.mergeTo') });
    // Screenshots move first, so both tickets' cards are drawn with them where they now belong.
    await this.d.tx.attachment.updateMany({ where: { ticketId: ticket.id }, data: { ticketId: into.id } });
    const closed = await this.ledger.change(
      ticket,
      {
        status: 'closed',
        closeReason: 'duplicate',
        duplicateOf: into.number,
        closedAt: this.d.clock.now(),
        nextEscalationAt: null,
        nextUpdateAt: null,
        awaitingUntil: null,
        awaiting: null,
      },
      { actor, type: 'merged', data: { into: into.number } },
    );
    const merged = {
      assetNumber: into.assetNumber ?? ticket.assetNumber,
      location: into.location ?? ticket.location,
      system: into.system ?? ticket.system,
    };
    const awaiting = (into.awaiting?.split(',') ?? []).filter((m) => !(m === 'asset' && merged.assetNumber) && !(m === 'system' && merged.system));
    await this.ledger.change(
      into,
      {
        ...merged,
        description: `${into.description}\n${ticket.description}`,
        category: into.category ?? ticket.category,
        itGroupId: into.itGroupId ?? ticket.itGroupId,
        awaiting: awaiting.length > 0 ? awaiting.join(',') : null,
      },
      { actor, type: 'merged_in', data: { from: ticket.number } },
    );
    await this.d.outbox.updateShown(MERGE_CARD, ticket.number, () => mergeCard(ticket.number, into.number, 'merged'));
    await this.ledger.tellReporter(closed, t('ticket.merge.done', { number: ticket.number, into: into.number }), source.messageId);
    return closed;
  }

  /** Asks once how far the fault reaches, with the details still missing, in one card. */
  async askScope(ticket: Ticket, missing: string[]): Promise<void> {
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
  async answerScope(number: string, actor: Person, scope: Scope): Promise<Ticket> {
    const ticket = await this.ledger.get(number);
    this.requireOwner(ticket, actor, t('ticket.what.answerScope'));
    if (!ACTIVE.includes(ticket.status))
      throw new BotError('ticket_not_open', { number: ticket.number, status: statusText(ticket), what: t('ticket.what.updateScope') });
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

const clip = (text: string) => ([...text].length > 60 ? `${[...text].slice(0, 60).join('')}…` : text);

function mergeCard(number: string, into: string, state: 'offered' | 'merged'): OutgoingMessage {
  return {
    type: 'card',
    card: {
      title: t('ticket.merge.title', { number }),
      color: state === 'merged' ? 'green' : 'blue',
      fields: [],
      markdown: state === 'merged' ? t('ticket.merge.done', { number, into }) : t('ticket.merge.offer', { number, into }),
      buttons:
        state === 'offered'
          ? [
              {
                label: t('ticket.merge.button', { into }),
                action: INTAKE_ACTION.merge,
                value: { ticket: number, into },
                command: t('ticket.command.merge', { number, into }),
              },
            ]
          : [],
    },
  };
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
      markdown: [t('ticket.scope.question'), missing.length > 0 ? t('ticket.missing.hint', { items: missing.join('、') }) : ''].filter(Boolean).join('\n'),
      note: answered ? t('ticket.scope.answered', { scope: t(`ticket.scope.${answered}`), priority, priorityName: priorityName(priority) }) : undefined,
      buttons: answered
        ? []
        : (['one', 'department', 'several'] as const).map((scope) => ({
            label: t(`ticket.scope.${scope}`),
            action: INTAKE_ACTION.scope,
            value: value(scope),
            command: t(`ticket.scope.${scope}`),
          })),
    },
  };
}
