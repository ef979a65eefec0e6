import type { Alert, Prisma } from '../../generated/prisma/client.js';
import type { TxDeps } from '../deps.js';
import { AlertMapping } from './mapping.js';
import { hasTransitions, type AlertIncidents, type AlertTransitions, type MappedAlert, type NormalisedAlert } from './types.js';

/** What one delivery did, per alert: stored anew, changed state, or changed nothing. */
export interface AlertReceipt {
  received: number;
  new: number;
  updated: number;
  duplicate: number;
}

type Outcome = { kind: 'new'; row: Alert; opened: boolean } | { kind: 'resolved' | 'refired'; row: Alert } | { kind: 'duplicate' };

export const ALERT = 'alert';

/**
 * Stores monitoring alerts idempotently, whatever the sender re-sends: a firing alert already
 * firing changes nothing (matched by source and fingerprint alone: Alertmanager moves an open
 * alert's start earlier when two Prometheus replicas report it); its resolve applies once; a
 * repeated resolve changes nothing; a re-fire within flapMinutes of its resolve re-opens the same
 * row (flaps + 1); a later one is a new row. The state changes go to the incident side in the same
 * transaction, so an incident and its alerts commit together.
 */
export class AlertService {
  constructor(
    private readonly d: Pick<TxDeps, 'tx' | 'clock' | 'audit' | 'directory'>,
    private readonly incidents: AlertIncidents,
  ) {}

  async receive(alerts: readonly NormalisedAlert[], actorId: string | null = null): Promise<AlertReceipt & { transitions: AlertTransitions }> {
    const { org } = this.d.directory;
    const mapping = new AlertMapping(org.monitoring, org.systems);
    const transitions: AlertTransitions = { opened: [], resolved: [], refired: [] };
    const receipt: AlertReceipt = { received: alerts.length, new: 0, updated: 0, duplicate: 0 };
    for (const alert of alerts) {
      const outcome = await this.store(mapping.map(alert));
      if (outcome.kind === 'duplicate') {
        receipt.duplicate++;
        continue;
      }
      if (outcome.kind === 'new') {
        receipt.new++;
        if (outcome.opened) transitions.opened.push(outcome.row);
      } else {
        receipt.updated++;
        transitions[outcome.kind].push(outcome.row);
      }
      const action = outcome.kind === 'new' ? (outcome.opened ? 'opened' : 'recorded') : outcome.kind;
      await this.d.audit.record({ actorId, action: `alert.${action}`, entityType: ALERT, entityId: String(outcome.row.id), after: summaryOf(outcome.row) });
    }
    if (hasTransitions(transitions)) await this.incidents.apply(this.d.tx, transitions);
    return { ...receipt, transitions };
  }

  private async store(alert: MappedAlert): Promise<Outcome> {
    const { tx } = this.d;
    const now = this.d.clock.now();
    const key = { source: alert.source, fingerprint: alert.fingerprint };
    const open = await tx.alert.findFirst({ where: { ...key, status: 'firing' }, orderBy: { id: 'desc' } });
    // The occurrence this delivery is about, when it was stored already (its first firing or its re-fire).
    const same = () => tx.alert.findFirst({ where: { ...key, OR: [{ startsAt: alert.startsAt }, { firedAt: alert.startsAt }] }, orderBy: { id: 'desc' } });

    if (alert.status === 'firing') {
      if (open || (await same())) return { kind: 'duplicate' };
      const last = await tx.alert.findFirst({ where: { ...key, status: 'resolved' }, orderBy: { id: 'desc' } });
      const flapMs = this.d.directory.org.monitoring.flapMinutes * 60_000;
      if (last?.endsAt && last.endsAt <= alert.startsAt && alert.startsAt.getTime() - last.endsAt.getTime() <= flapMs) {
        const row = await tx.alert.update({
          where: { id: last.id },
          data: { status: 'firing', endsAt: null, firedAt: alert.startsAt, flaps: { increment: 1 }, updatedAt: now },
        });
        return { kind: 'refired', row };
      }
      return { kind: 'new', row: await this.create(alert, now), opened: true };
    }

    if (open) {
      // A late resolve of the firing before a flap re-opened the row: that firing is over already.
      const stale = open.flaps > 0 && alert.startsAt < open.firedAt && alert.endsAt !== undefined && alert.endsAt <= open.firedAt;
      if (stale) return { kind: 'duplicate' };
      const row = await tx.alert.update({ where: { id: open.id }, data: { status: 'resolved', endsAt: alert.endsAt ?? now, updatedAt: now } });
      return { kind: 'resolved', row };
    }
    if (await same()) return { kind: 'duplicate' };
    // Resolved before the bot heard it fire (it fired before the bot was set up): kept for the record.
    return { kind: 'new', row: await this.create(alert, now), opened: false };
  }

  private create(alert: MappedAlert, now: Date): Promise<Alert> {
    return this.d.tx.alert.create({
      data: {
        source: alert.source,
        fingerprint: alert.fingerprint,
        startsAt: alert.startsAt,
        firedAt: alert.startsAt,
        status: alert.status,
        endsAt: alert.status === 'resolved' ? (alert.endsAt ?? now) : null,
        system: alert.systemId,
        severity: alert.severity,
        priority: alert.priority,
        summary: alert.summary,
        link: alert.link ?? null,
        labels: alert.labels as Prisma.InputJsonValue,
        state: alert.systemId ? 'paged' : 'unmapped',
        receivedAt: now,
        updatedAt: now,
      },
    });
  }
}

function summaryOf(row: Alert) {
  return {
    source: row.source,
    fingerprint: row.fingerprint,
    status: row.status,
    system: row.system,
    priority: row.priority,
    state: row.state,
    flaps: row.flaps,
  };
}
