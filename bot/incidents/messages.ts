import type { OutgoingMessage, Platform } from '../chat/model.js';
import type { Incident, Ticket } from '../../generated/prisma/client.js';
import { t } from '../i18n/zh.js';
import type { TicketDeps, TicketLedger } from '../tickets/ledger.js';
import { incidentCard, type IncidentReports } from './cards.js';

/** The entity type incidents are shown and audited under. */
export const INCIDENT = 'incident';

/**
 * What an incident says in chat: its cards for the engineers and for leadership (how many reports,
 * from which departments, since when), re-rendered on each change, and the texts to the chats the
 * outage was reported from, one per chat, mentioning that chat's reporters.
 */
export class IncidentMessages {
  constructor(
    private readonly d: TicketDeps,
    private readonly ledger: TicketLedger,
  ) {}

  /** A new incident's cards, to the engineers' and the leadership chats. */
  async announce(incident: Incident, platform: Platform): Promise<void> {
    const reports = await this.reports(incident);
    for (const purpose of ['engineers', 'leadership'] as const) {
      const target = await this.ledger.chatFor(purpose, platform);
      if (target)
        await this.d.outbox.send(target, await this.card(incident, purpose, reports), { entityType: INCIDENT, entityId: incident.number, kind: purpose });
    }
  }

  /**
   * Every reporter whose ticket joined hears it at once in their chat: one reply per chat, mentioning
   * that chat's reporters (the first ones together when their reports open the incident). The chat is
   * remembered as told.
   */
  async joined(incident: Incident, children: Ticket[]): Promise<void> {
    for (const group of byChat(children)) {
      const key = { incidentId: incident.id, platform: group[0]!.sourcePlatform, chatId: group[0]!.sourceChatId };
      if (!(await this.d.tx.incidentNotice.findUnique({ where: { incidentId_platform_chatId: key } }))) await this.d.tx.incidentNotice.create({ data: key });
    }
    await this.toChats(children, t('incident.joined', { number: incident.number }), true);
  }

  /**
   * One text to each chat the tickets were reported from, mentioning that chat's reporters once each;
   * `reply` answers the report itself when the chat has just one. Returns how many chats were told.
   */
  async toChats(children: Ticket[], text: string, reply = false): Promise<number> {
    const groups = byChat(children);
    for (const group of groups) {
      const target = this.ledger.source(group[0]!);
      const reporters = [...new Set(group.map((c) => c.reporterId))];
      const mentions = (await Promise.all(reporters.map((id) => this.ledger.mention(this.d.directory.person(id), target.platform)))).flat();
      const replyTo = reply && group.length === 1 ? (group[0]!.sourceMessageId ?? undefined) : undefined;
      await this.d.outbox.send(target, { type: 'text', text, mentions, replyTo });
    }
    return groups.length;
  }

  /** Re-renders the incident's cards; returns the incident as it now stands (read again when given by id). */
  async refresh(which: Incident | number): Promise<Incident> {
    const incident = typeof which === 'number' ? await this.d.tx.incident.findUniqueOrThrow({ where: { id: which } }) : which;
    const reports = await this.reports(incident);
    const engineers = await this.card(incident, 'engineers', reports);
    const leadership = await this.card(incident, 'leadership', reports);
    await this.d.outbox.updateShown(INCIDENT, incident.number, ({ kind }) => (kind === 'leadership' ? leadership : engineers));
    return incident;
  }

  /** The incident's card for an audience; the reports are counted when not given. */
  async card(incident: Incident, audience: 'engineers' | 'leadership', reports?: IncidentReports): Promise<OutgoingMessage> {
    return incidentCard(incident, audience, reports ?? (await this.reports(incident)), this.d.directory, this.d.timeZone);
  }

  /**
   * What the cards say about the incident's reports: how many, from which departments (in the
   * order they first reported), since when. One aggregate per department, not a row per report.
   */
  private async reports(incident: Incident): Promise<IncidentReports> {
    const groups = await this.d.tx.ticket.groupBy({
      by: ['departmentId'],
      where: { incidentId: incident.id },
      _count: { _all: true },
      _min: { id: true, createdAt: true },
    });
    groups.sort((a, b) => (a._min.id ?? 0) - (b._min.id ?? 0));
    const first = groups.reduce<Date | undefined>((min, g) => (g._min.createdAt && (!min || g._min.createdAt < min) ? g._min.createdAt : min), undefined);
    return {
      count: groups.reduce((n, g) => n + g._count._all, 0),
      departments: [...new Set(groups.map((g) => this.d.directory.departmentName(g.departmentId)).filter((name): name is string => !!name))],
      first,
    };
  }
}

/** Tickets grouped by the chat they were reported from, in the order the chats first reported. */
function byChat(tickets: Ticket[]): Ticket[][] {
  const chats = new Map<string, Ticket[]>();
  for (const ticket of tickets) {
    const key = JSON.stringify([ticket.sourcePlatform, ticket.sourceChatId]);
    chats.set(key, [...(chats.get(key) ?? []), ticket]);
  }
  return [...chats.values()];
}
