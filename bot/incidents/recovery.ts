import type { Incident } from '../../generated/prisma/client.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { TicketDeps, TicketLedger } from '../tickets/ledger.js';
import { RECOVERY, recoveryState } from './alert-cards.js';
import { INCIDENT, type IncidentMessages } from './messages.js';
import { ACTIVE } from './service.js';

/** When an incident whose alerts all recovered is due to be asked about: once they stayed so for settleMinutes. */
export function recoveryDueAt(incident: Pick<Incident, 'alertsResolvedAt'>, settleMinutes: number): Date | null {
  return incident.alertsResolvedAt ? new Date(incident.alertsResolvedAt.getTime() + settleMinutes * 60_000) : null;
}

/**
 * Monitoring says the outage is over: once every alert of an active incident has resolved and
 * stayed resolved for `monitoring.settleMinutes`, the engineers are asked, once, to confirm the
 * incident resolved: one card in their group with one button (a click resolves it as
 * `解决 INC-… 方案` does, and the reporters are asked to confirm as always). An alert firing again
 * before the question cancels it quietly (the moment it is due moves on); after it, the same card
 * is redrawn without its button, and with it again once the alerts have settled once more.
 */
export class IncidentRecovery {
  constructor(
    private readonly d: TicketDeps,
    private readonly ledger: TicketLedger,
    private readonly messages: IncidentMessages,
  ) {}

  /** The scheduler's call, when the incident's alerts have stayed resolved long enough (and it was not asked since). */
  async settled(seen: Incident): Promise<void> {
    const { tx, clock, directory } = this.d;
    const incident = await tx.incident.findUnique({ where: { id: seen.id } });
    if (!incident || !ACTIVE.includes(incident.status) || incident.alertCount === 0 || incident.alertsFiring > 0) return;
    const due = recoveryDueAt(incident, directory.org.monitoring.settleMinutes);
    if (!due || due > clock.now()) return;
    if (incident.confirmAskedAt && incident.alertsResolvedAt && incident.confirmAskedAt >= incident.alertsResolvedAt) return;
    // Asked once: a second instance (or a second wake) finds it asked already.
    const asked = await tx.incident.updateMany({
      where: { id: incident.id, confirmAskedAt: incident.confirmAskedAt, alertsResolvedAt: incident.alertsResolvedAt },
      data: { confirmAskedAt: clock.now() },
    });
    if (asked.count === 0) return;
    const current = await tx.incident.findUniqueOrThrow({ where: { id: incident.id } });
    const shown = (await this.d.outbox.shown(INCIDENT, incident.number)).filter((ref) => ref.kind === RECOVERY);
    await this.d.audit.record({
      actorId: null,
      action: 'incident.recovery_asked',
      entityType: INCIDENT,
      entityId: incident.number,
      after: { alerts: incident.alertCount, recoveredAt: incident.alertsResolvedAt?.toISOString() ?? null, again: shown.length > 0 },
    });
    // Asked before (an alert fired again since): the same card gets its button back, no new message.
    if (shown.length > 0) {
      await this.d.outbox.updateShown(INCIDENT, incident.number, () => this.messages.recoveryCard(current), shown);
      return;
    }
    const target = await this.ledger.chatFor('engineers', await this.messages.platformOf(current));
    if (!target) return;
    const card = this.messages.recoveryCard(current);
    // Whoever holds the outage is the one to confirm it: mentioned.
    const holder = current.assigneeId ? directory.person(current.assigneeId) : undefined;
    if (holder && card.type === 'card') card.card.mentions = await this.ledger.mention(holder, target.platform);
    await this.d.outbox.send(target, card, { entityType: INCIDENT, entityId: incident.number, kind: RECOVERY });
  }

  /**
   * The 确认已解决 click is about an incident whose alerts have recovered and were asked about; refused,
   * saying what to do instead, while one fires again or has not settled since. The resolution itself
   * is IncidentUpdates.resolve's.
   */
  async check(number: string): Promise<Incident> {
    const incident = await this.d.tx.incident.findUnique({ where: { number: number.toUpperCase() } });
    if (!incident) throw new BotError('incident_not_found', { number });
    if (!ACTIVE.includes(incident.status)) return incident; // resolve refuses it, saying it is resolved
    const state = recoveryState(incident);
    if (state === 'firing' || state === 'settling') {
      const key = state === 'firing' ? 'incident.recovery.stillFiring' : 'incident.recovery.notSettled';
      throw new BotError('not_possible', { reason: t(key, { number: incident.number, settle: this.d.directory.org.monitoring.settleMinutes }) });
    }
    return incident;
  }
}
