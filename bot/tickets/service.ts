import type { Attachment, MessageRef, Platform } from '../../adapters/types.js';
import type { Ticket } from '../../generated/prisma/client.js';
import type { AuditLog } from '../audit.js';
import type { Clock } from '../clock.js';
import type { Tx } from '../db/client.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { Directory, Person } from '../org/directory.js';
import type { Outbox, ChatTarget } from '../outbox/outbox.js';
import { localDate } from '../time.js';
import { ticketCard, statusText } from './cards.js';
import { responseDueAt } from './deadline.js';
import { extractReport } from './extract.js';

export interface TicketServiceDeps {
  tx: Tx;
  directory: Directory;
  clock: Clock;
  timeZone: string;
  outbox: Outbox;
  audit: AuditLog;
}

export interface ReportInput {
  reporter: Person;
  text: string;
  source: MessageRef;
  /** Files sent with the report; fetched after the event is acknowledged. */
  attachments?: Attachment[];
}

const TICKET = 'ticket';

/** Fault reports become tickets; engineers claim them. Authorizes, audits and queues every card. */
export class TicketService {
  constructor(private readonly deps: TicketServiceDeps) {}

  async report({ reporter, text, source, attachments = [] }: ReportInput): Promise<Ticket> {
    const { tx, directory, clock, timeZone } = this.deps;
    const now = clock.now();
    const fields = extractReport(text, reporter, directory);
    const ticket = await tx.ticket.create({
      data: {
        number: await this.nextNumber(now),
        status: 'open',
        priority: fields.priority,
        title: fields.title,
        description: text.trim(),
        reporterId: reporter.id,
        departmentId: fields.departmentId ?? null,
        location: fields.location?.text ?? null,
        building: fields.location?.building ?? null,
        floor: fields.location?.floor ?? null,
        room: fields.location?.room ?? null,
        assetNumber: fields.assetNumber ?? null,
        phone: fields.phone ?? reporter.phone ?? null,
        system: fields.system?.name ?? null,
        category: fields.system?.category ?? null,
        itGroupId: fields.system?.itGroup ?? null,
        responseDueAt: responseDueAt(fields.priority, now, timeZone),
        sourcePlatform: source.platform,
        sourceChatId: source.chatId,
        sourceMessageId: source.messageId,
        createdAt: now,
      },
    });
    if (attachments.length > 0) {
      await tx.attachment.createMany({
        data: attachments.map((a) => ({
          ticketId: ticket.id,
          platform: source.platform,
          chatId: source.chatId,
          messageId: source.messageId,
          key: a.key,
          kind: a.kind,
          name: a.name ?? null,
        })),
      });
    }
    await this.recordEvent(ticket, 'created', reporter.id, { priority: ticket.priority, system: ticket.system });
    await this.deps.audit.record({
      actorId: reporter.id,
      action: 'ticket.create',
      entityType: TICKET,
      entityId: ticket.number,
      after: { status: ticket.status, priority: ticket.priority, system: ticket.system },
    });

    const intake: ChatTarget = { platform: source.platform, chatId: source.chatId };
    await this.deps.outbox.send(intake, this.card(ticket, 'intake'), { entityType: TICKET, entityId: ticket.number, kind: 'intake' });
    const engineers = await this.chatFor('engineers', source.platform);
    if (engineers) {
      await this.deps.outbox.send(engineers, this.card(ticket, 'dispatch'), {
        entityType: TICKET,
        entityId: ticket.number,
        kind: 'dispatch',
      });
    }
    if (fields.missing.length > 0) {
      const items = fields.missing.map((m) => t(`ticket.missing.${m}`)).join('、');
      await this.deps.outbox.send(intake, await this.mentionText(reporter, source.platform, t('ticket.missing.hint', { items })));
    }
    return ticket;
  }

  async claim(number: string, engineer: Person): Promise<Ticket> {
    const { tx, directory, clock } = this.deps;
    if (!directory.isItStaff(engineer)) throw new BotError('not_it_staff');
    const ticket = await this.get(number);
    if (ticket.status !== 'open') {
      if (ticket.assigneeId === engineer.id) throw new BotError('already_claimed_by_you', { number });
      const holder = ticket.assigneeId ? directory.person(ticket.assigneeId) : undefined;
      if (holder) throw new BotError('already_claimed', { number, engineer: directory.callName(holder) });
      throw new BotError('ticket_not_open', { number, status: statusText(ticket.status) });
    }
    const now = clock.now();
    // Compare-and-set on the version: of two engineers claiming at once, exactly one wins.
    const won = await tx.ticket.updateMany({
      where: { id: ticket.id, version: ticket.version, status: 'open' },
      data: { status: 'claimed', assigneeId: engineer.id, claimedAt: now, version: { increment: 1 } },
    });
    if (won.count === 0) return this.claim(number, engineer);
    const claimed = await this.get(number);

    await this.recordEvent(claimed, 'claimed', engineer.id, {});
    await this.deps.audit.record({
      actorId: engineer.id,
      action: 'ticket.claim',
      entityType: TICKET,
      entityId: number,
      before: { status: ticket.status, assigneeId: ticket.assigneeId },
      after: { status: claimed.status, assigneeId: claimed.assigneeId },
    });
    await this.deps.outbox.updateShown(TICKET, number, (kind) => this.card(claimed, kind === 'dispatch' ? 'dispatch' : 'intake'));

    const reporter = directory.person(claimed.reporterId);
    if (reporter) {
      const text = t('ticket.claim.notifyReporter', {
        number,
        engineer: directory.callName(engineer),
        group: directory.itGroupName(engineer.itGroup) ?? directory.departmentName(engineer.department) ?? '',
        phone: engineer.phone ? t('ticket.claim.phone', { phone: engineer.phone }) : '',
      });
      const platform = claimed.sourcePlatform as Platform;
      await this.deps.outbox.send(
        { platform, chatId: claimed.sourceChatId },
        await this.mentionText(reporter, platform, text),
      );
    }
    return claimed;
  }

  async get(number: string): Promise<Ticket> {
    const ticket = await this.deps.tx.ticket.findUnique({ where: { number: number.toUpperCase() } });
    if (!ticket) throw new BotError('ticket_not_found', { number });
    return ticket;
  }

  private card(ticket: Ticket, kind: 'intake' | 'dispatch') {
    return ticketCard(ticket, kind, this.deps.directory, this.deps.timeZone);
  }

  /** IT-20261123-0001: the day in the hospital's zone and that day's counter. */
  private async nextNumber(now: Date): Promise<string> {
    const day = localDate(now, this.deps.timeZone).replaceAll('-', '');
    const seq = await this.deps.tx.sequence.upsert({
      where: { key: `ticket:${day}` },
      create: { key: `ticket:${day}`, value: 1 },
      update: { value: { increment: 1 } },
    });
    return `IT-${day}-${String(seq.value).padStart(4, '0')}`;
  }

  private async recordEvent(ticket: Ticket, type: string, actorId: string | null, data: object): Promise<void> {
    await this.deps.tx.ticketEvent.create({
      data: { ticketId: ticket.id, type, actorId, data, createdAt: this.deps.clock.now() },
    });
  }

  /** The platform chat of the organisation's chat with this purpose, on the same platform if bound there. */
  private async chatFor(purpose: 'engineers' | 'intake', platform: Platform): Promise<ChatTarget | undefined> {
    const chat = this.deps.directory.chatByPurpose(purpose);
    if (!chat) return undefined;
    const bindings = await this.deps.tx.chatBinding.findMany({ where: { chatId: chat.id } });
    const binding = bindings.find((b) => b.platform === platform) ?? bindings.find((b) => b.platform !== 'simulator');
    return binding ? { platform: binding.platform as Platform, chatId: binding.platformChatId } : undefined;
  }

  private async mentionText(person: Person, platform: Platform, text: string) {
    const identity = await this.deps.tx.platformIdentity.findFirst({ where: { personId: person.id, platform } });
    return {
      type: 'text' as const,
      text,
      mentions: identity ? [{ platformUserId: identity.platformUserId, name: person.name }] : [],
    };
  }
}
