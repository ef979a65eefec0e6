import type { Alert, Incident, Prisma, Ticket } from '../../generated/prisma/client.js';
import type { Db, Tx } from '../db/client.js';
import { mask } from '../digest/mask.js';
import type { Directory } from '../org/directory.js';
import { ensureKnown } from '../people/store.js';
import { minutesBetween, personJson } from '../reports/masked.js';
import { departmentKeysOf } from './reports.js';
import { incidentTimeline, type TimelineEntry } from './timeline.js';

/**
 * Outages as the API and the dashboard read them: the list with its filters, and one incident with
 * its reports, reporters, departments, timeline and durations. Texts are masked as in the digest
 * (patient names, ID-card and mobile numbers); staff are named as in the registers.
 */

export const INCIDENT_STATUSES = ['open', 'claimed', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export interface IncidentFilters {
  status?: IncidentStatus;
  /** The system's name, or its id in the organisation file. */
  system?: string;
  /** Incidents opened at or after this… */
  from?: Date;
  /** …and before this. */
  to?: Date;
  limit: number;
  offset: number;
}

/** How long the outage took, in minutes from when it was first seen (its first report, or an earlier alert): to the first claim (of the incident or a report in it), to its resolution, and how long it is (was) open. */
export interface IncidentDurations {
  since: string;
  toFirstClaimMinutes: number | null;
  toResolutionMinutes: number | null;
  openMinutes: number;
}

const department = (directory: Directory, id: string | null | undefined) => (id ? { id, name: directory.departmentName(id) ?? id } : null);

/** A department key of the incident's row as the API shows it: a reporter with no department counts as one of their own. */
function departmentOfKey(directory: Directory, key: string) {
  return key.startsWith('~') ? { id: null, name: null, reporter: personJson(directory, key.slice(1)) } : { ...department(directory, key)!, reporter: null };
}

export function durationsOf(incident: Incident, firstClaim: Date | null, now: Date): IncidentDurations {
  // The outage began when it was first seen: its first report, or monitoring's first alert when earlier.
  const seen = [incident.firstReportAt, incident.firstAlertAt].filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime());
  const start = seen[0] ?? incident.createdAt;
  const claimed = [incident.claimedAt, firstClaim].filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())[0];
  return {
    since: start.toISOString(),
    toFirstClaimMinutes: claimed ? minutesBetween(start, claimed) : null,
    toResolutionMinutes: incident.resolvedAt ? minutesBetween(start, incident.resolvedAt) : null,
    openMinutes: minutesBetween(start, incident.resolvedAt ?? now),
  };
}

function summaryJson(directory: Directory, incident: Incident, firstClaim: Date | null, now: Date) {
  const departments = departmentKeysOf(incident.departmentKeys).map((key) => departmentOfKey(directory, key));
  return {
    number: incident.number,
    status: incident.status,
    priority: incident.priority,
    system: incident.system,
    systemId: directory.org.systems.find((s) => s.name === incident.system)?.id ?? null,
    title: mask(incident.title),
    assignee: personJson(directory, incident.assigneeId),
    origin: incident.origin,
    reports: incident.reportCount,
    alerts: {
      count: incident.alertCount,
      firing: incident.alertsFiring,
      firstAt: incident.firstAlertAt?.toISOString() ?? null,
      resolvedAt: incident.alertsResolvedAt?.toISOString() ?? null,
    },
    departmentCount: departments.length,
    departments,
    createdAt: incident.createdAt.toISOString(),
    firstReportAt: incident.firstReportAt?.toISOString() ?? null,
    lastReportAt: incident.lastReportAt?.toISOString() ?? null,
    responseDueAt: incident.responseDueAt?.toISOString() ?? null,
    claimedAt: incident.claimedAt?.toISOString() ?? null,
    resolvedAt: incident.resolvedAt?.toISOString() ?? null,
    solution: incident.solution === null ? null : mask(incident.solution),
    durations: durationsOf(incident, firstClaim, now),
  };
}
export type IncidentSummary = ReturnType<typeof summaryJson>;

/** The earliest claim of a report in each incident (a report may have been taken before the outage was recognized). */
async function firstClaims(db: Db | Tx, ids: number[]): Promise<Map<number, Date>> {
  if (ids.length === 0) return new Map();
  const rows = await db.ticket.groupBy({ by: ['incidentId'], where: { incidentId: { in: ids } }, _min: { claimedAt: true } });
  return new Map(rows.filter((r) => r.incidentId !== null && r._min.claimedAt).map((r): [number, Date] => [r.incidentId!, r._min.claimedAt!]));
}

/** Incidents, newest first, with the filters' total. */
export async function listIncidents(
  db: Db | Tx,
  directory: Directory,
  filters: IncidentFilters,
  now: Date,
): Promise<{ total: number; incidents: IncidentSummary[] }> {
  const system = filters.system && (directory.org.systems.find((s) => s.id === filters.system)?.name ?? filters.system);
  const where: Prisma.IncidentWhereInput = {
    status: filters.status,
    system,
    ...(filters.from || filters.to ? { createdAt: { gte: filters.from, lt: filters.to } } : {}),
  };
  const [total, incidents] = await Promise.all([
    db.incident.count({ where }),
    db.incident.findMany({ where, orderBy: { id: 'desc' }, take: filters.limit, skip: filters.offset }),
  ]);
  const claims = await firstClaims(
    db,
    incidents.map((i) => i.id),
  );
  await ensureKnown(db, directory, [
    ...incidents.map((i) => i.assigneeId),
    ...incidents.flatMap((i) =>
      departmentKeysOf(i.departmentKeys)
        .filter((k) => k.startsWith('~'))
        .map((k) => k.slice(1)),
    ),
  ]);
  return { total, incidents: incidents.map((i) => summaryJson(directory, i, claims.get(i.id) ?? null, now)) };
}

function reportJson(directory: Directory, ticket: Ticket) {
  return {
    number: ticket.number,
    status: ticket.status,
    priority: ticket.priority,
    title: mask(ticket.title),
    description: mask(ticket.description),
    reporter: personJson(directory, ticket.reporterId)!,
    department: department(directory, ticket.departmentId),
    location: ticket.location,
    phone: ticket.phone === null ? null : mask(ticket.phone),
    assignee: personJson(directory, ticket.assigneeId),
    createdAt: ticket.createdAt.toISOString(),
    claimedAt: ticket.claimedAt?.toISOString() ?? null,
    resolvedAt: ticket.resolvedAt?.toISOString() ?? null,
    closedAt: ticket.closedAt?.toISOString() ?? null,
    closeReason: ticket.closeReason,
  };
}

/** Each reporter once, in the order they first reported: their own department, their phone masked, how many reports. */
function reportersOf(directory: Directory, tickets: Ticket[]) {
  const reporters = new Map<string, { id: string; name: string; department: { id: string; name: string } | null; phone: string | null; reports: number }>();
  for (const x of tickets) {
    const known = reporters.get(x.reporterId);
    if (known) {
      known.reports++;
      if (x.phone) known.phone = mask(x.phone);
      continue;
    }
    reporters.set(x.reporterId, {
      ...personJson(directory, x.reporterId)!,
      department: department(directory, directory.person(x.reporterId)?.department ?? x.departmentId),
      phone: x.phone === null ? null : mask(x.phone),
      reports: 1,
    });
  }
  return [...reporters.values()];
}

/** One monitoring alert of the incident: its current firing (firedAt; startsAt its first), its end once resolved, how often it flapped. */
function alertJson(alert: Alert) {
  return {
    id: alert.id,
    source: alert.source,
    fingerprint: alert.fingerprint,
    status: alert.status,
    state: alert.state,
    severity: alert.severity,
    priority: alert.priority,
    summary: mask(alert.summary),
    link: alert.link,
    startsAt: alert.startsAt.toISOString(),
    firedAt: alert.firedAt.toISOString(),
    endsAt: alert.endsAt?.toISOString() ?? null,
    flaps: alert.flaps,
  };
}
export type IncidentAlert = ReturnType<typeof alertJson>;

export type IncidentDetail = Omit<IncidentSummary, 'departments'> & {
  tickets: ReturnType<typeof reportJson>[];
  /** The monitoring alerts that joined it, by their start. */
  alertList: IncidentAlert[];
  reporters: ReturnType<typeof reportersOf>;
  departments: (ReturnType<typeof departmentOfKey> & { reports: number })[];
  timeline: TimelineEntry[];
};

/** One incident with its reports, reporters, departments (with their reports), alerts and timeline; undefined when there is none of that number. */
export async function incidentDetail(db: Db | Tx, directory: Directory, number: string, now: Date): Promise<IncidentDetail | undefined> {
  const incident = await db.incident.findUnique({ where: { number } });
  if (!incident) return undefined;
  const tickets = await db.ticket.findMany({ where: { incidentId: incident.id }, orderBy: { id: 'asc' } });
  const alerts = await db.alert.findMany({ where: { incidentId: incident.id }, orderBy: [{ startsAt: 'asc' }, { id: 'asc' }] });
  await ensureKnown(db, directory, [incident.assigneeId, ...tickets.flatMap((x) => [x.reporterId, x.assigneeId])]);
  const firstClaim = tickets.reduce<Date | null>((min, x) => (x.claimedAt && (!min || x.claimedAt < min) ? x.claimedAt : min), null);
  const keyOf = (x: Ticket) => x.departmentId ?? `~${x.reporterId}`;
  const summary = summaryJson(directory, incident, firstClaim, now);
  const timeline = await incidentTimeline(db, directory, incident, tickets, alerts);
  return {
    ...summary,
    departments: departmentKeysOf(incident.departmentKeys).map((key) => ({
      ...departmentOfKey(directory, key),
      reports: tickets.filter((x) => keyOf(x) === key).length,
    })),
    tickets: tickets.map((x) => reportJson(directory, x)),
    reporters: reportersOf(directory, tickets),
    alertList: alerts.map(alertJson),
    timeline,
  };
}
