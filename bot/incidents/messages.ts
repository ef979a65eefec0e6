import type { OutgoingMessage, Platform } from '../chat/model.js';
import type { Incident, MessageRef, Ticket } from '../../generated/prisma/client.js';
import { escalationColumns, shownEscalationOf, type ShownEscalation } from '../outbox/outbox.js';
import { t } from '../i18n/zh.js';
import type { TicketDeps, TicketLedger } from '../tickets/ledger.js';
import { describeDuration } from '../tickets/deadline.js';
import { departmentKeysOf } from './reports.js';
import { rememberNotice } from './rows.js';
import { incidentCard, incidentConfirmCard, type ChatConfirmations, type IncidentReports } from './cards.js';
import { ensureKnown } from '../people/store.js';
import { ALERT_LINES, RECOVERY, recoveryCard } from './alert-cards.js';

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

  /** A new incident's cards, to the engineers' and (unless told otherwise) the leadership chats. */
  async announce(incident: Incident, platform: Platform, audiences: readonly ('engineers' | 'leadership')[] = ['engineers', 'leadership']): Promise<void> {
    const reports = await this.reports(incident);
    for (const purpose of audiences) {
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
    for (const group of byChat(children)) await rememberNotice(this.d.tx, incident.id, group[0]!.sourcePlatform, group[0]!.sourceChatId);
    // Monitoring saw the outage already: the reporter hears that it is known and being handled.
    const known = incident.alertCount > 0 ? 'incident.joinedMonitoring' : 'incident.joined';
    await this.toChats(children, t(known, { number: incident.number }), true);
  }

  /**
   * The platform the incident speaks on: that of its first report, or, for an outage only monitoring
   * has seen, the engineers' group's home platform (where its scheduled posts go).
   */
  async platformOf(incident: Incident): Promise<Platform> {
    const first = await this.d.tx.ticket.findFirst({ where: { incidentId: incident.id }, orderBy: { id: 'asc' }, select: { sourcePlatform: true } });
    if (first) return first.sourcePlatform as Platform;
    const engineers = this.d.directory.chatByPurpose('engineers');
    return (engineers && (await this.ledger.reach.home(engineers.id))?.platform) ?? 'simulator';
  }

  /** A text about the incident in the engineers' group. */
  async tellEngineers(incident: Incident, text: string): Promise<void> {
    const target = await this.ledger.chatFor('engineers', await this.platformOf(incident));
    if (target) await this.d.outbox.send(target, { type: 'text', text });
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
      await ensureKnown(this.d.tx, this.d.directory, reporters);
      const mentions = (await Promise.all(reporters.map((id) => this.ledger.mention(this.d.directory.person(id), target.platform)))).flat();
      const replyTo = reply && group.length === 1 ? (group[0]!.sourceMessageId ?? undefined) : undefined;
      await this.d.outbox.send(target, { type: 'text', text, mentions, replyTo });
    }
    return groups.length;
  }

  /**
   * Re-renders the incident's cards; returns the incident as it now stands (read again when given by
   * id). An engineers' card keeps naming the escalation step it was drawn with while that step stands.
   */
  async refresh(which: Incident | number, only?: 'confirm'): Promise<Incident> {
    const incident = typeof which === 'number' ? await this.d.tx.incident.findUniqueOrThrow({ where: { id: which } }) : which;
    const refs = (await this.d.outbox.shown(INCIDENT, incident.number)).filter((ref) => !only || ref.kind === only);
    if (refs.length === 0) return incident;
    const confirmations = refs.some((ref) => ref.kind === 'confirm') ? await this.confirmations(incident) : new Map<string, ChatTally>();
    const reports = refs.some((ref) => ref.kind !== 'confirm' && ref.kind !== RECOVERY) ? await this.reports(incident) : undefined;
    const rendered = new Map<string, OutgoingMessage>();
    const render = async (ref: MessageRef) => {
      if (ref.kind === 'confirm') return this.confirmCard(incident, confirmations.get(chatKey(ref.platform, ref.chatId)) ?? NO_ONE, ref.platform as Platform);
      if (ref.kind === RECOVERY) return this.recoveryCard(incident);
      const audience = ref.kind === 'leadership' ? 'leadership' : 'engineers';
      const step = audience === 'engineers' ? standingStep(incident, ref) : undefined;
      const key = JSON.stringify([audience, step ?? null]);
      if (!rendered.has(key)) rendered.set(key, await this.card(incident, audience, reports, step));
      return rendered.get(key)!;
    };
    const byRef = new Map<number, OutgoingMessage>();
    for (const ref of refs) byRef.set(ref.id, await render(ref));
    await this.d.outbox.updateShown(INCIDENT, incident.number, (ref) => byRef.get(ref.id)!, refs);
    return incident;
  }

  /**
   * The resolution reaches each chat the outage was reported from once: one card with the solution,
   * mentioning that chat's reporters, on which each confirms their own report.
   */
  async askConfirmation(incident: Incident, children: Ticket[]): Promise<void> {
    const tallies = await this.confirmations(incident);
    for (const group of byChat(children)) {
      const target = this.ledger.source(group[0]!);
      const card = await this.confirmCard(incident, tallies.get(chatKey(target.platform, target.chatId)) ?? NO_ONE, target.platform);
      await this.d.outbox.send(target, card, { entityType: INCIDENT, entityId: incident.number, kind: 'confirm' });
    }
  }

  /** A report of the outage was confirmed, reopened or closed by itself: the chats' confirmation cards show it. */
  async childChanged(incidentId: number): Promise<void> {
    await this.refresh(incidentId, 'confirm');
  }

  private async confirmCard(incident: Incident, tally: ChatTally, platform: Platform): Promise<OutgoingMessage> {
    const message = incidentConfirmCard(incident, tally.counts, describeDuration(this.d.directory.org.tickets.autoCloseAfter));
    await ensureKnown(this.d.tx, this.d.directory, tally.reporters);
    const mentions = (await Promise.all(tally.reporters.map((id) => this.ledger.mention(this.d.directory.person(id), platform)))).flat();
    if (message.type === 'card' && mentions.length > 0) message.card.mentions = mentions;
    return message;
  }

  /** Per chat, how its reporters stand on the resolved outage (reports closed for other reasons before it are left out). */
  private async confirmations(incident: Incident): Promise<Map<string, ChatTally>> {
    const groups = await this.d.tx.ticket.groupBy({
      by: ['sourcePlatform', 'sourceChatId', 'status', 'closeReason', 'reporterId'],
      where: { incidentId: incident.id },
      _count: { _all: true },
      _min: { id: true },
    });
    groups.sort((a, b) => (a._min.id ?? 0) - (b._min.id ?? 0));
    const tallies = new Map<string, ChatTally>();
    for (const g of groups) {
      const state =
        g.status === 'resolved'
          ? 'waiting'
          : g.status === 'open' || g.status === 'claimed'
            ? 'reopened'
            : g.closeReason === 'confirmed'
              ? 'confirmed'
              : g.closeReason === 'auto'
                ? 'autoClosed'
                : undefined;
      if (!state) continue;
      const key = chatKey(g.sourcePlatform, g.sourceChatId);
      const tally: ChatTally = tallies.get(key) ?? { counts: { waiting: 0, confirmed: 0, reopened: 0, autoClosed: 0 }, reporters: [] };
      tally.counts[state] += g._count._all;
      if (!tally.reporters.includes(g.reporterId)) tally.reporters.push(g.reporterId);
      tallies.set(key, tally);
    }
    return tallies;
  }

  /** An escalation step of the incident: its engineers' cards remember it and are redrawn (no new message). */
  async showEscalation(incident: Incident, step: ShownEscalation): Promise<void> {
    await this.d.tx.messageRef.updateMany({
      where: { entityType: INCIDENT, entityId: incident.number, kind: 'engineers' },
      data: escalationColumns(step),
    });
    await this.refresh(incident);
  }

  /** The engineers' question once the incident's alerts have recovered (alert-cards.ts). */
  recoveryCard(incident: Incident): OutgoingMessage {
    return recoveryCard(incident, this.d.directory, this.d.timeZone, this.d.directory.org.monitoring.settleMinutes);
  }

  /** The incident's card for an audience; the reports are counted when not given. */
  async card(incident: Incident, audience: 'engineers' | 'leadership', reports?: IncidentReports, step?: ShownEscalation): Promise<OutgoingMessage> {
    return incidentCard(incident, audience, reports ?? (await this.reports(incident)), this.d.directory, this.d.timeZone, step);
  }

  /**
   * What the cards say about the incident's reports: how many, from which departments (in the order
   * they first reported), since when, as its row keeps them; and its alerts, firing first.
   */
  private async reports(incident: Incident): Promise<IncidentReports> {
    return {
      count: incident.reportCount,
      departments: departmentKeysOf(incident.departmentKeys)
        .map((key) => this.d.directory.departmentName(key))
        .filter((name): name is string => !!name),
      first: incident.firstReportAt ?? undefined,
      alerts:
        incident.alertCount > 0
          ? await this.d.tx.alert.findMany({
              where: { incidentId: incident.id },
              orderBy: [{ status: 'asc' }, { id: 'asc' }],
              take: ALERT_LINES,
              select: { status: true, firedAt: true, endsAt: true, source: true, summary: true },
            })
          : undefined,
    };
  }
}

/** A chat's confirmations: the tally, and its reporters in the order they reported (they are mentioned). */
interface ChatTally {
  counts: ChatConfirmations;
  reporters: string[];
}
const NO_ONE: ChatTally = { counts: { waiting: 0, confirmed: 0, reopened: 0, autoClosed: 0 }, reporters: [] };
const chatKey = (platform: string, chatId: string) => JSON.stringify([platform, chatId]);

/** The escalation step a card was drawn with, while it still stands (the same deadline and level). */
function standingStep(incident: Incident, ref: MessageRef): ShownEscalation | undefined {
  const step = shownEscalationOf(ref);
  if (!step || incident.status !== (step.what === 'response' ? 'open' : 'claimed') || incident.escalationLevel !== step.level) return undefined;
  return step;
}

/** Tickets grouped by the chat they were reported from, in the order the chats first reported. */
function byChat(tickets: Ticket[]): Ticket[][] {
  const chats = new Map<string, Ticket[]>();
  for (const ticket of tickets) {
    const key = chatKey(ticket.sourcePlatform, ticket.sourceChatId);
    chats.set(key, [...(chats.get(key) ?? []), ticket]);
  }
  return [...chats.values()];
}
