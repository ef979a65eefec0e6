import type { Alert } from '../../generated/prisma/client.js';
import type { Tx } from '../db/client.js';
import type { Priority } from '../org/schema.js';

/**
 * Monitoring alerts as the bot sees them, whatever sent them. Each source's parser
 * (bot/alerts/<source>.ts) turns a request body into `NormalisedAlert`s; `AlertService.receive`
 * maps their system and priority, stores them idempotently and hands the state changes
 * (`AlertTransitions`) to the incident side (`AlertIncidents`) in the same transaction.
 */

export const ALERT_STATUSES = ['firing', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/**
 * What became of a stored alert: `paged` (its system is known, the incident side acts on it),
 * `silenced` (inside an approved change's window for its system: recorded on the change, pages
 * nobody), `unmapped` (no system could be found: stored, opens nothing).
 */
export const ALERT_STATES = ['paged', 'silenced', 'unmapped'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** One alert of one delivery, as its parser read it (before the organisation's mappings). */
export interface NormalisedAlert {
  /** The route's source id (`alertmanager`, `grafana`, `zabbix`, `generic`, or a configured name). */
  source: string;
  /** The alert's identity at its source, the same each time it fires. */
  fingerprint: string;
  status: AlertStatus;
  /** The start of this firing: with the fingerprint, the key of the delivery. */
  startsAt: Date;
  /** When it resolved (absent while firing; a resolved alert without one ended when received). */
  endsAt?: Date;
  /** The system as the sender named it (a label, tag or field), before mapping to a system id. */
  system?: string;
  /** The severity as sent: a word (`critical`, `warning` …) or Zabbix's number `0`..`5`. */
  severity: string;
  summary: string;
  link?: string;
  /** The sender's labels (or tags and host fields), kept for mapping and for the record. */
  labels: Record<string, string>;
}

/** A normalised alert with the organisation's mappings applied: what is stored. */
export interface MappedAlert extends NormalisedAlert {
  /** The organisation's system id, or null when nothing in the alert named a known system. */
  systemId: string | null;
  priority: Priority;
}

/**
 * The state changes one delivery caused, as stored rows (after the change):
 * - `opened`: a new firing row (a new alert, or a later firing of one that resolved more than
 *   flapMinutes ago);
 * - `resolved`: a firing row that resolved now (once: a repeated resolve is no transition);
 * - `refired`: a row that had resolved and fired again within flapMinutes, re-opened (flaps + 1).
 * Rows of every state are included (`paged`, `unmapped`); the incident side decides what pages.
 */
export interface AlertTransitions {
  opened: Alert[];
  resolved: Alert[];
  refired: Alert[];
}

/**
 * The incident side of monitoring: joins or opens incidents for the transitions, silences alerts
 * inside approved change windows (setting `state: silenced` and `changeId` on the rows), and so
 * on. Called by `AlertService.receive` inside the delivery's transaction, with that transaction:
 * everything it writes commits with the stored alerts or not at all.
 */
export interface AlertIncidents {
  apply(tx: Tx, transitions: AlertTransitions): Promise<void>;
}

/** Stores alerts and touches no incident: the default until the incident side is wired in. */
export const noAlertIncidents: AlertIncidents = {
  async apply() {},
};

export function hasTransitions(t: AlertTransitions): boolean {
  return t.opened.length + t.resolved.length + t.refired.length > 0;
}
