import type { Attachment, MessageRef } from '../chat/model.js';
import type { Ticket } from '../../generated/prisma/client.js';
import { t } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import type { TicketConfirmation } from './confirm.js';
import type { ReportFields } from './extract.js';
import type { TicketGuards } from './guards.js';
import type { TicketDeps, TicketLedger } from './ledger.js';
import type { TicketScope } from './scope.js';
import type { TicketService } from './service.js';
import { assetByNumber, lastSaidAt, newestTicketOf } from './rows.js';
import { priorityName } from './status.js';

const ACTIVE = ['open', 'claimed'];

type Filled = { asset?: string; phone?: string; location?: string; system?: string; images?: number };

/**
 * What a reporter adds to, or says about, a ticket after reporting it: more details, or "still
 * broken". (How far the fault reaches is TicketScope's; folding a report into another, TicketMerge's.)
 */
export class TicketIntake {
  constructor(
    private readonly d: TicketDeps,
    private readonly ledger: TicketLedger,
    private readonly tickets: TicketService,
    private readonly confirmation: TicketConfirmation,
    private readonly guards: TicketGuards,
    private readonly scope: TicketScope,
  ) {}

  /** The ticket a message names (补充 IT-…, IT-… 好了): it must exist and be the sender's to speak for. */
  async named(number: string, actor: Person): Promise<Ticket> {
    const ticket = await this.ledger.get(number);
    this.guards.requireOwner(ticket, actor, t('ticket.what.addOrEnd'));
    return ticket;
  }

  /**
   * The reporter's newest ticket in this chat that a message can still be about: being worked on and
   * touched within the organisation file's continue window, or resolved and waiting for them.
   */
  async recent(reporter: Person, source: MessageRef): Promise<Ticket | null> {
    const ticket = await newestTicketOf(this.d.tx, {
      reporterId: reporter.id,
      platform: source.platform,
      chatId: source.chatId,
      statuses: [...ACTIVE, 'resolved', 'closed'],
    });
    if (!ticket) return null;
    if (ticket.status === 'resolved') return ticket;
    const window = this.d.directory.org.intake.continueWindow;
    const minutes = 'minutes' in window ? window.minutes : window.workdays * 24 * 60;
    const since = new Date(this.d.clock.now().getTime() - minutes * 60_000);
    // Recent by what the reporter did (reported, added, answered), not by escalations or engineers' notes.
    const said = await lastSaidAt(this.d.tx, ticket.id, reporter.id);
    const touched = [ticket.createdAt, said, ticket.closedAt].filter((d): d is Date => !!d);
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
    // The asset asked for, when the register holds it, says where it stands.
    const asset = found.asset && !ticket.location && !found.location ? await assetByNumber(this.d.tx, found.asset) : null;
    if (asset?.location) found.location = asset.location;
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
        building: found.location ? (asset ? null : (fields?.location?.building ?? null)) : ticket.building,
        floor: found.location ? (asset ? null : (fields?.location?.floor ?? null)) : ticket.floor,
        room: found.location ? (asset ? null : (fields?.location?.room ?? null)) : ticket.room,
        system: found.system ?? ticket.system,
        category: system ? system.category : ticket.category,
        itGroupId: system ? system.itGroup : ticket.itGroupId,
        description: text.trim() ? `${ticket.description}\n${text.trim()}` : ticket.description,
        awaiting: still.length > 0 ? still.join(',') : null,
        awaitingUntil: still.length > 0 ? ticket.awaitingUntil : null,
      },
      { actor: reporter, type: 'info_added', data: { ...found, text: text.trim() || undefined } },
    );
    const current = text.trim() ? await this.scope.reread(updated, reporter, text) : updated;
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
    const updated = await this.scope.reread(noted, reporter, text);
    const reply =
      updated !== noted
        ? t('ticket.stillBroken.priority', { number: updated.number, priority: updated.priority, priorityName: priorityName(updated.priority) })
        : t('ticket.stillBroken.reply', { number: updated.number });
    await this.ledger.tellReporter(updated, reply, source.messageId);
    const assignee = updated.assigneeId ? this.d.directory.person(updated.assigneeId) : undefined;
    await this.ledger.tellEngineers(updated, t('ticket.stillBroken.notify', { number: updated.number, text: clip(text.trim()) }), [assignee]);
    return updated;
  }
}

const clip = (text: string) => ([...text].length > 60 ? `${[...text].slice(0, 60).join('')}…` : text);
