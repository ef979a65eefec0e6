import { providerOf, type Tx } from '../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import { NOT_SERVED } from '../tickets/status.js';

/** Kept in time out of those due: per cent to one decimal, null when none was due. */
export interface Compliance {
  met: number;
  total: number;
  rate: number | null;
}

/** Work not done when the period ended: how many, and the longest wait so far, in minutes. */
export interface Outstanding {
  count: number;
  longestMinutes: number | null;
}

/** Response and resolution figures of the tickets opened in a period, as things stood at its end. */
export interface Cohort {
  responseCompliance: Compliance;
  resolutionCompliance: Compliance;
  mttaMinutes: number | null;
  mttrMinutes: number | null;
}

/** The work not done when a period ended, whenever it was reported: not yet claimed, not yet resolved. */
export interface Backlog {
  unresponded: Outstanding;
  unresolved: Outstanding;
}

/** A period's figures: how the tickets opened in it fared, and what was left undone at its end. */
export interface Timeliness extends Cohort, Backlog {}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(String(v)));
const rate = (met: number, total: number): Compliance => ({ met, total, rate: total ? Math.round((met / total) * 1000) / 10 : null });
const mean = (sumMs: number, count: number) => (count ? Math.round((sumMs / count / 60_000) * 10) / 10 : null);
const longest = (ms: unknown) => (ms === null || ms === undefined ? null : Math.round(num(ms) / 6_000) / 10);

/**
 * Milliseconds from a ticket's "createdAt" to `at`. SQLite keeps times as ISO text (same zone suffix,
 * so they also compare as text); PostgreSQL as timestamps.
 */
const since = (tx: Tx, at: Prisma.Sql) =>
  providerOf(tx) === 'postgresql'
    ? Prisma.sql`EXTRACT(EPOCH FROM (${at} - "createdAt")) * 1000`
    : Prisma.sql`ROUND((julianday(${at}) - julianday("createdAt")) * 86400000)`;

/** Tickets withdrawn or closed as false alarms, duplicates (merged ones too) or needing nothing are left out: nothing was owed. */
const served = Prisma.sql`("closeReason" IS NULL OR "closeReason" NOT IN (${Prisma.join([...NOT_SERVED])}))`;

/** The tickets a figure is about: all of them, or those of one department (by id) and/or one system (by name). */
export interface TicketScope {
  departmentId?: string;
  system?: string;
}

/** The scope as a Prisma filter of tickets. */
export const scopeWhere = (scope: TicketScope = {}) => ({
  ...(scope.departmentId ? { departmentId: scope.departmentId } : {}),
  ...(scope.system ? { system: scope.system } : {}),
});

/** The tickets served, within the scope, as SQL. */
const servedIn = (scope: TicketScope = {}) =>
  Prisma.join(
    [
      served,
      ...(scope.departmentId ? [Prisma.sql`"departmentId" = ${scope.departmentId}`] : []),
      ...(scope.system ? [Prisma.sql`"system" = ${scope.system}`] : []),
    ],
    ' AND ',
  );

/** Both parts of a period's figures, where `end` is the end of the period or now, whichever is first. */
export async function timeliness(tx: Tx, from: Date, end: Date, scope?: TicketScope): Promise<Timeliness> {
  const [opened, left] = await Promise.all([cohort(tx, from, end, scope), backlog(tx, end, scope)]);
  return { ...opened, ...left };
}

/**
 * The tickets opened in [from, end), where `end` is the end of the period or now, whichever is first.
 * A ticket not yet claimed (resolved) at `end` counts with its wait until `end`, so a P1 nobody took
 * raises the mean instead of vanishing from it; a response (resolution) deadline passed with the work
 * still open counts as missed. Tickets that ended without a service given are left out.
 */
export async function cohort(tx: Tx, from: Date, end: Date, scope?: TicketScope): Promise<Cohort> {
  const upTo = (c: 'claimedAt' | 'resolvedAt') =>
    since(tx, Prisma.sql`COALESCE(CASE WHEN ${Prisma.raw(`"${c}"`)} < ${end} THEN ${Prisma.raw(`"${c}"`)} END, ${end})`);
  const [row] = await tx.$queryRaw<Record<string, unknown>[]>`
    SELECT COUNT(*) AS "n",
           SUM("ackMs") AS "ackMs", SUM("fixMs") AS "fixMs",
           SUM(CASE WHEN "acked" = 1 OR "responseDueAt" < ${end} THEN 1 ELSE 0 END) AS "ackDue",
           SUM(CASE WHEN "acked" = 1 AND "claimedAt" <= "responseDueAt" THEN 1 ELSE 0 END) AS "ackMet",
           SUM(CASE WHEN "resolveDueAt" IS NOT NULL AND ("fixed" = 1 OR "resolveDueAt" < ${end}) THEN 1 ELSE 0 END) AS "fixDue",
           SUM(CASE WHEN "fixed" = 1 AND "resolvedAt" <= "resolveDueAt" THEN 1 ELSE 0 END) AS "fixMet"
    FROM (SELECT "claimedAt", "resolvedAt", "responseDueAt", "resolveDueAt",
                 CASE WHEN "claimedAt" < ${end} THEN 1 ELSE 0 END AS "acked",
                 CASE WHEN "resolvedAt" < ${end} THEN 1 ELSE 0 END AS "fixed",
                 ${upTo('claimedAt')} AS "ackMs",
                 ${upTo('resolvedAt')} AS "fixMs"
          FROM "Ticket" WHERE "createdAt" >= ${from} AND "createdAt" < ${end} AND ${servedIn(scope)}) AS "cohort"`;
  const n = num(row?.n);
  return {
    responseCompliance: rate(num(row?.ackMet), num(row?.ackDue)),
    resolutionCompliance: rate(num(row?.fixMet), num(row?.fixDue)),
    mttaMinutes: mean(num(row?.ackMs), n),
    mttrMinutes: mean(num(row?.fixMs), n),
  };
}

/**
 * The work still open at `end` (the end of a period, or now), whenever it was reported: a P1 reported
 * the evening before and still untaken when today ends is in today's 未响应.
 * - unresolved: reported before `end`, and neither resolved nor closed before it (closed covers a
 *   ticket its reporter found solved by itself, which never gets a resolvedAt);
 * - unresponded: of those, the ones nobody had claimed before `end` (resolving claims a ticket too);
 * - the longest wait runs from the report to `end`.
 * Work that ended without a service given is not counted, whenever it ended, as in the cohort.
 *
 * Closing is the only way to a closedAt, and a closed ticket never reopens: the rows read are those not
 * closed (open work, or awaiting the reporter's word: few at any time) and those closed since `end`,
 * found by the closedAt index however long the history. PostgreSQL's planner, which keeps statistics,
 * takes that index by itself; SQLite's, without them, would rather walk the createdAt index through
 * every ticket reported before `end`, so it is told.
 */
export async function backlog(tx: Tx, end: Date, scope?: TicketScope): Promise<Backlog> {
  const byClosing = providerOf(tx) === 'postgresql' ? Prisma.empty : Prisma.sql`INDEXED BY "Ticket_closedAt_idx"`;
  const [row] = await tx.$queryRaw<Record<string, unknown>[]>`
    SELECT COUNT(*) AS "unresolved", MAX("waitMs") AS "unresolvedLongest",
           SUM("unclaimed") AS "unresponded", MAX(CASE WHEN "unclaimed" = 1 THEN "waitMs" END) AS "unrespondedLongest"
    FROM (SELECT CASE WHEN "claimedAt" < ${end} THEN 0 ELSE 1 END AS "unclaimed",
                 ${since(tx, Prisma.sql`${end}`)} AS "waitMs"
          FROM "Ticket" ${byClosing}
          WHERE ("closedAt" IS NULL OR "closedAt" >= ${end})
            AND "createdAt" < ${end}
            AND ("resolvedAt" IS NULL OR "resolvedAt" >= ${end})
            AND ${servedIn(scope)}) AS "backlog"`;
  return {
    unresponded: { count: num(row?.unresponded), longestMinutes: longest(row?.unrespondedLongest) },
    unresolved: { count: num(row?.unresolved), longestMinutes: longest(row?.unresolvedLongest) },
  };
}
