import type { Attachment, MessageRef } from '../chat/model.js';
import type { Ticket } from '../../generated/prisma/client.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import { extractReport, type ReportFields } from './extract.js';
import type { KnowledgeBase } from './knowledge.js';
import type { TicketDeps, TicketLedger } from './ledger.js';
import { nextNumber } from './number.js';
import { assetByNumber, insertTicket, newestTicketOf } from './rows.js';
import { statusText } from './status.js';

export interface ReportInput {
  reporter: Person;
  text: string;
  source: MessageRef;
  /** Files sent with the report; fetched after the event is acknowledged. */
  attachments?: Attachment[];
  /** What the text says, when the caller has extracted it already. */
  fields?: ReportFields;
}

const ACTIVE = ['open', 'claimed'];
/** The bot's questions about a report, remembered (not re-rendered) so a reply to them is recognized. */
const ASK = 'ticket_ask';
type Missing = ReportFields['missing'][number];
/** What the bot waits for from the reporter: a missing detail, or how far the fault reaches. */
type Awaiting = Missing | 'scope';

/** Intake: reports become tickets, follow-ups fill them, reporters may say it fixed itself. */
export class TicketService {
  constructor(
    private readonly d: TicketDeps,
    readonly ledger: TicketLedger,
    readonly knowledge: KnowledgeBase,
  ) {}

  async report({ reporter, text, source, attachments = [], fields = extractReport(text, reporter, this.d.directory) }: ReportInput): Promise<Ticket> {
    const { tx, clock, deadlines } = this.d;
    const now = clock.now();
    const awaited: Awaiting[] = [...fields.missing, ...(fields.askScope ? (['scope'] as const) : [])];
    // A registered asset says where it stands and whose it is, when the report does not say so itself.
    const asset = fields.assetNumber ? await assetByNumber(tx, fields.assetNumber) : null;
    // Only a department of the file in force (a register may name one the bot has not loaded yet).
    const assetDepartment = this.d.directory.department(asset?.departmentId)?.id;
    const fromAsset = {
      department: !fields.departmentNamed ? assetDepartment : undefined,
      location: !fields.location && asset?.location ? asset.location : undefined,
    };
    const ticket = await insertTicket(tx, {
      number: await nextNumber(this.d.tx, this.d.timeZone, 'IT', now),
      status: 'open',
      priority: fields.priority,
      title: fields.title,
      description: text.trim(),
      reporterId: reporter.id,
      departmentId: fromAsset.department ?? fields.departmentId ?? null,
      location: fromAsset.location ?? fields.location?.text ?? null,
      building: fields.location?.building ?? null,
      floor: fields.location?.floor ?? null,
      room: fields.location?.room ?? null,
      assetNumber: fields.assetNumber ?? null,
      phone: fields.phone ?? reporter.phone ?? null,
      system: fields.system?.name ?? null,
      category: fields.system?.category ?? null,
      itGroupId: fields.system?.itGroup ?? null,
      responseDueAt: deadlines.responseDue(fields.priority, now),
      resolveDueAt: deadlines.resolveDue(fields.priority, now),
      // A priority whose policy pages someone at once is looked at right away (TicketEscalation.escalate).
      nextEscalationAt: deadlines.policy(fields.priority).atOnce.length > 0 ? now : deadlines.responseDue(fields.priority, now),
      awaiting: awaited.length > 0 ? awaited.join(',') : null,
      awaitingUntil: awaited.length > 0 ? deadlines.followUpUntil(now) : null,
      sourcePlatform: source.platform,
      sourceChatId: source.chatId,
      sourceMessageId: source.messageId,
      createdAt: now,
    });
    await this.keepAttachments(ticket, source, attachments);
    const filled = Object.keys(fromAsset).filter((k) => fromAsset[k as keyof typeof fromAsset] !== undefined);
    await this.ledger.record(ticket, 'created', reporter, {
      priority: ticket.priority,
      system: ticket.system,
      ...(filled.length > 0 ? { fromAsset: filled } : {}),
    });
    return ticket;
  }

  /** Announces a ticket that is not part of an incident: the reporter's card, the dispatch card, what is missing. */
  async announce(ticket: Ticket): Promise<void> {
    const intake = this.ledger.source(ticket);
    const c = await this.ledger.context(ticket);
    await this.ledger.post(intake, ticket, 'intake', ticket.sourceMessageId ?? undefined, c);
    const engineers = await this.ledger.chatFor('engineers', intake.platform);
    if (engineers) await this.ledger.post(engineers, ticket, 'dispatch', undefined, c);
    const awaited = (ticket.awaiting?.split(',') ?? []) as Awaiting[];
    // The scope question carries the missing details in its own card (TicketIntake.askScope).
    if (awaited.length > 0 && !awaited.includes('scope')) await this.askFor(ticket, awaited as Missing[]);
  }

  /** The reporter's ticket in this chat that is still waiting for information, if any. */
  async awaitingInfo(reporter: Person, source: MessageRef): Promise<Ticket | null> {
    return newestTicketOf(this.d.tx, { ...this.of(reporter, source), statuses: ACTIVE, awaitingAfter: this.d.clock.now() });
  }

  private of(reporter: Person, source: MessageRef) {
    return { reporterId: reporter.id, platform: source.platform, chatId: source.chatId };
  }

  /** The reporter says it works again: the ticket closes as self-solved. */
  async selfSolve(ticket: Ticket, reporter: Person): Promise<Ticket> {
    if (ticket.status !== 'open' && ticket.status !== 'claimed') {
      throw new BotError('ticket_not_open', { number: ticket.number, status: statusText(ticket), what: t('ticket.what.selfSolve') });
    }
    const closed = await this.ledger.change(
      ticket,
      { status: 'closed', closeReason: 'self_solved', closedAt: this.d.clock.now(), nextEscalationAt: null, nextUpdateAt: null, awaitingUntil: null },
      { actor: reporter, type: 'self_solved' },
    );
    await this.ledger.tellReporter(closed, t('ticket.selfSolved.reply', { number: closed.number }));
    if (closed.assigneeId) {
      await this.ledger.tellEngineers(closed, t('ticket.selfSolved.notify', { number: closed.number }), [this.d.directory.person(closed.assigneeId)]);
    }
    return closed;
  }

  /** 问题已解决 on the reporter's card (offered with a knowledge suggestion): the reporter alone may press it. */
  async selfSolveByReporter(number: string, person: Person): Promise<Ticket> {
    const ticket = await this.get(number);
    if (ticket.reporterId !== person.id) {
      throw new BotError('not_reporter', { reporter: this.d.directory.person(ticket.reporterId)?.name ?? ticket.reporterId, number: ticket.number });
    }
    return this.selfSolve(ticket, person);
  }

  /** The reporter's newest open ticket in this chat. */
  async latestActive(reporter: Person, source: MessageRef): Promise<Ticket | null> {
    return newestTicketOf(this.d.tx, { ...this.of(reporter, source), statuses: ACTIVE });
  }

  async get(number: string): Promise<Ticket> {
    return this.ledger.get(number);
  }

  /** Tickets a person reported or works on that are not closed. */
  async mine(person: Person): Promise<Ticket[]> {
    return this.d.tx.ticket.findMany({
      where: { status: { not: 'closed' }, OR: [{ reporterId: person.id }, { assigneeId: person.id }] },
      orderBy: [{ priority: 'asc' }, { id: 'asc' }],
      take: 20,
    });
  }

  private async askFor(ticket: Ticket, missing: Missing[]): Promise<void> {
    const items = missing.map((m) => t(`ticket.missing.${m}`)).join('、');
    await this.ledger.tellReporter(ticket, t('ticket.missing.hint', { items }), ticket.sourceMessageId ?? undefined, {
      entityType: ASK,
      entityId: ticket.number,
      kind: 'ask',
    });
  }

  /** Whether a message replies to the report or to the bot's question about it. */
  async isReplyTo(ticket: Ticket, replyTo: MessageRef | undefined): Promise<boolean> {
    if (!replyTo) return false;
    if (replyTo.messageId === ticket.sourceMessageId) return true;
    return (await this.d.tx.messageRef.count({ where: { entityType: ASK, entityId: ticket.number, messageId: replyTo.messageId } })) > 0;
  }

  /** The reporter's newest resolved ticket in this chat, waiting for their confirmation. */
  async latestResolved(reporter: Person, source: MessageRef): Promise<Ticket | null> {
    return newestTicketOf(this.d.tx, { ...this.of(reporter, source), statuses: ['resolved'] });
  }

  async keepAttachments(ticket: Ticket, source: MessageRef, attachments: Attachment[]): Promise<void> {
    if (attachments.length === 0) return;
    await this.d.tx.attachment.createMany({
      data: attachments.map((a) => ({
        ticketId: ticket.id,
        platform: source.platform,
        chatId: source.chatId,
        messageId: source.messageId,
        key: a.key,
        kind: a.kind,
        name: a.name ?? null,
        createdAt: this.d.clock.now(),
        nextAttemptAt: this.d.clock.now(),
      })),
    });
  }
}
