import type { MessageRef, OutgoingMessage } from '../chat/model.js';
import type { Ticket } from '../../generated/prisma/client.js';
import { BotError } from '../errors.js';
import { mdText } from '../chat/markdown.js';
import { t } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import type { TicketGuards } from './guards.js';
import type { TicketDeps, TicketLedger } from './ledger.js';

export const MERGE_ACTION = 'ticket.merge';
/** The merge offer, remembered so merging updates it in place. */
const MERGE_CARD = 'ticket_merge';

/**
 * A report that may only have been more about the reporter's earlier ticket: the offer to fold it
 * in, and the merge itself (offered, or typed as 并入).
 */
export class TicketMerge {
  constructor(
    private readonly d: TicketDeps,
    private readonly ledger: TicketLedger,
    private readonly guards: TicketGuards,
  ) {}

  /** A new ticket the bot could not tell from an addition: one button folds it into the earlier one. */
  async offer(ticket: Ticket, into: Ticket): Promise<void> {
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
    this.guards.requireOwner(ticket, actor, t('ticket.what.merge'));
    if (ticket.id === into.id) throw new BotError('not_possible', { reason: t('ticket.merge.itself', { number: ticket.number }) });
    // Only one reporter's tickets fold together; engineers may join any two.
    if (into.reporterId !== ticket.reporterId && !this.d.directory.isItStaff(actor)) this.guards.requireOwner(into, actor, t('ticket.what.mergeInto'));
    this.guards.requireActive(ticket, t('ticket.what.mergeFrom'));
    this.guards.requireActive(into, t('ticket.what.mergeTo'));
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
}

function mergeCard(number: string, into: string, state: 'offered' | 'merged'): OutgoingMessage {
  return {
    type: 'card',
    card: {
      title: t('ticket.merge.title', { number }),
      color: state === 'merged' ? 'green' : 'blue',
      fields: [],
      markdown: mdText(state === 'merged' ? t('ticket.merge.done', { number, into }) : t('ticket.merge.offer', { number, into })),
      buttons:
        state === 'offered'
          ? [
              {
                label: t('ticket.merge.button', { into }),
                action: MERGE_ACTION,
                value: { ticket: number, into },
                command: t('ticket.command.merge', { number, into }),
              },
            ]
          : [],
    },
  };
}
