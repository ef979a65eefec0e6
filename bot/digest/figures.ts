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
export interface Timeliness {
  responseCompliance: Compliance;
  resolutionCompliance: Compliance;
  mttaMinutes: number | null;
  mttrMinutes: number | null;
  unresponded: Outstanding;
  unresolved: Outstanding;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(String(v)));
const rate = (met: number, total: number): Compliance => ({ met, total, rate: total ? Math.round((met / total) * 1000) / 10 : null });
const mean = (sumMs: number, count: number) => (count ? Math.round((sumMs / count / 60_000) * 10) / 10 : null);
const longest = (ms: unknown) => (ms === null || ms === undefined ? null : Math.round(num(ms) / 6_000) / 10);

/**
 * The tickets opened in [from, end), where `end` is the end of the period or now, whichever is first.
 * A ticket not yet claimed (resolved) at `end` counts with its wait until `end`, so a P1 nobody took
 * raises the mean instead of vanishing from it; a response (resolution) deadline passed with the work
 * still open counts as missed. Tickets withdrawn or closed as false alarms, duplicates or needing
 * nothing are left out: nothing was owed.
 * SQLite keeps times as ISO text (same zone suffix, so they compare as text); PostgreSQL as timestamps.
 */
export async function timeliness(tx: Tx, from: Date, end: Date): Promise<Timeliness> {
  const pg = providerOf(tx) === 'postgresql';
  const since = (at: Prisma.Sql) =>
    pg ? Prisma.sql`EXTRACT(EPOCH FROM (${at} - "createdAt")) * 1000` : Prisma.sql`ROUND((julianday(${at}) - julianday("createdAt")) * 86400000)`;
  const upTo = (c: 'claimedAt' | 'resolvedAt') =>
    since(Prisma.sql`COALESCE(CASE WHEN ${Prisma.raw(`"${c}"`)} < ${end} THEN ${Prisma.raw(`"${c}"`)} END, ${end})`);
  const [row] = await tx.$queryRaw<Record<string, unknown>[]>`
    SELECT COUNT(*) AS "n",
           SUM("ackMs") AS "ackMs", SUM("fixMs") AS "fixMs",
           SUM(1 - "acked") AS "unacked", MAX(CASE WHEN "acked" = 0 THEN "ackMs" END) AS "ackLongest",
           SUM(1 - "fixed") AS "unfixed", MAX(CASE WHEN "fixed" = 0 THEN "fixMs" END) AS "fixLongest",
           SUM(CASE WHEN "acked" = 1 OR "responseDueAt" < ${end} THEN 1 ELSE 0 END) AS "ackDue",
           SUM(CASE WHEN "acked" = 1 AND "claimedAt" <= "responseDueAt" THEN 1 ELSE 0 END) AS "ackMet",
           SUM(CASE WHEN "resolveDueAt" IS NOT NULL AND ("fixed" = 1 OR "resolveDueAt" < ${end}) THEN 1 ELSE 0 END) AS "fixDue",
           SUM(CASE WHEN "fixed" = 1 AND "resolvedAt" <= "resolveDueAt" THEN 1 ELSE 0 END) AS "fixMet"
    FROM (SELECT "claimedAt", "resolvedAt", "responseDueAt", "resolveDueAt",
                 CASE WHEN "claimedAt" < ${end} THEN 1 ELSE 0 END AS "acked",
                 CASE WHEN "resolvedAt" < ${end} THEN 1 ELSE 0 END AS "fixed",
                 ${upTo('claimedAt')} AS "ackMs",
                 ${upTo('resolvedAt')} AS "fixMs"
          FROM "Ticket" WHERE "createdAt" >= ${from} AND "createdAt" < ${end}
            AND ("closeReason" IS NULL OR "closeReason" NOT IN (${Prisma.join([...NOT_SERVED])}))) AS "cohort"`;
  const n = num(row?.n);
  return {
    responseCompliance: rate(num(row?.ackMet), num(row?.ackDue)),
    resolutionCompliance: rate(num(row?.fixMet), num(row?.fixDue)),
    mttaMinutes: mean(num(row?.ackMs), n),
    mttrMinutes: mean(num(row?.fixMs), n),
    unresponded: { count: num(row?.unacked), longestMinutes: longest(row?.ackLongest) },
    unresolved: { count: num(row?.unfixed), longestMinutes: longest(row?.fixLongest) },
  };
}
