import type { Alert, Incident, Ticket } from '../../generated/prisma/client.js';
import { ALERT } from '../alerts/service.js';
import type { Db, Tx } from '../db/client.js';
import type { Directory } from '../org/directory.js';
import { maskJson, personJson } from '../reports/masked.js';
import { TICKET } from '../tickets/ledger.js';
import { INCIDENT } from './messages.js';

/** One step in an outage's history: the incident's own (opened, claimed, paged, resolved…), one of its reports' or one of its alerts' (firing, resolving, firing again). */
export interface TimelineEntry {
  at: string;
  source: 'incident' | 'ticket' | 'alert';
  /** The report it happened to; null for the incident's own steps. */
  ticket: string | null;
  /** `open`, `claim`, `priority_changed` … for the incident; the ticket timeline's type (`created`, `joined_incident` …) for a report; `opened`, `resolved`, `refired` for an alert (its data: source, fingerprint, status, priority, state, flaps and summary). */
  type: string;
  actor: { id: string; name: string } | null;
  /** What the step carried, texts masked. */
  data: unknown;
}

interface Placed extends TimelineEntry {
  time: number;
  /** The audit row written with the step: the order things happened in, when their times are equal. */
  seq: number;
}

/** The alerts' steps an incident's history shows (an alert recorded silenced or unmapped joined no incident then). */
const ALERT_STEPS = ['alert.opened', 'alert.resolved', 'alert.refired'];

/**
 * The incident's audit rows, its reports' timelines and its alerts' firing and resolving in the order they happened. Each timeline row
 * of a report is written with an audit row of its own (TicketLedger.record), in the same order, so
 * steps of one moment (a report, the incident it opened, the reports joining it) keep that order.
 */
export async function incidentTimeline(
  db: Db | Tx,
  directory: Directory,
  incident: Incident,
  tickets: Pick<Ticket, 'id' | 'number'>[],
  alerts: Pick<Alert, 'id' | 'summary'>[] = [],
): Promise<TimelineEntry[]> {
  const numberOf = new Map(tickets.map((x) => [x.id, x.number]));
  const alertOf = new Map(alerts.map((a) => [String(a.id), a]));
  const events = await db.ticketEvent.findMany({ where: { ticketId: { in: [...numberOf.keys()] } }, orderBy: { id: 'asc' } });
  const audit = await db.auditLog.findMany({
    where: {
      OR: [
        { entityType: INCIDENT, entityId: incident.number },
        { entityType: TICKET, entityId: { in: [...numberOf.values()] } },
        ...(alerts.length > 0 ? [{ entityType: ALERT, entityId: { in: [...alertOf.keys()] }, action: { in: ALERT_STEPS } }] : []),
      ],
    },
    orderBy: { id: 'asc' },
  });
  // The audit rows of each report's steps, by kind, in the order they were written.
  const written = new Map<string, number[]>();
  for (const row of audit) {
    if (row.entityType !== TICKET) continue;
    const key = `${row.entityId}\u0000${row.action}`;
    written.set(key, [...(written.get(key) ?? []), row.id]);
  }
  const placed: Placed[] = [];
  for (const row of audit) {
    if (row.entityType !== INCIDENT) continue;
    placed.push({
      at: row.createdAt.toISOString(),
      time: row.createdAt.getTime(),
      seq: row.id,
      source: 'incident',
      ticket: null,
      type: row.action.replace(/^incident\./, ''),
      actor: personJson(directory, row.actorId),
      data: maskJson(row.after ?? row.before ?? null),
    });
  }
  for (const row of audit) {
    if (row.entityType !== ALERT) continue;
    const after = row.after !== null && typeof row.after === 'object' && !Array.isArray(row.after) ? row.after : {};
    placed.push({
      at: row.createdAt.toISOString(),
      time: row.createdAt.getTime(),
      seq: row.id,
      source: 'alert',
      ticket: null,
      type: row.action.replace(/^alert\./, ''),
      actor: null,
      data: maskJson({ ...after, summary: alertOf.get(row.entityId)?.summary ?? null }),
    });
  }
  for (const event of events) {
    const number = numberOf.get(event.ticketId)!;
    placed.push({
      at: event.createdAt.toISOString(),
      time: event.createdAt.getTime(),
      seq: written.get(`${number}\u0000ticket.${event.type}`)?.shift() ?? Number.MAX_SAFE_INTEGER,
      source: 'ticket',
      ticket: number,
      type: event.type,
      actor: personJson(directory, event.actorId),
      data: maskJson(event.data ?? null),
    });
  }
  placed.sort((a, b) => a.time - b.time || a.seq - b.seq);
  return placed.map(({ time: _time, seq: _seq, ...entry }) => entry);
}
