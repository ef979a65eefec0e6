import type { Incident } from '../../generated/prisma/client.js';
import { sqlOf, type Tx } from '../db/client.js';
import { Query } from '../db/sql.js';

/** The incident statements of a report's path, each shaped once. */

const SHAPE = {
  dates: [
    'createdAt',
    'claimedAt',
    'resolvedAt',
    'responseDueAt',
    'nextEscalationAt',
    'firstReportAt',
    'lastReportAt',
    'firstAlertAt',
    'alertsResolvedAt',
    'confirmAskedAt',
  ],
};

const SHOWN = new Query('SELECT "number", "priority", "status", "responseDueAt" FROM "Incident" WHERE "id" = $1', { dates: ['responseDueAt'] });

/** What a ticket's card shows of its incident. */
export async function incidentShownOnTicket(tx: Tx, id: number): Promise<Pick<Incident, 'number' | 'priority' | 'status' | 'responseDueAt'> | null> {
  return (await sqlOf(tx).rows<Pick<Incident, 'number' | 'priority' | 'status' | 'responseDueAt'>>(SHOWN, [id]))[0] ?? null;
}

const OPEN = new Query(
  `SELECT * FROM "Incident" WHERE "system" = $1 AND "status" IN ('open', 'claimed')
     AND ("lastReportAt" >= $2 OR "alertsFiring" > 0 OR "alertsResolvedAt" >= $2) ORDER BY "id" DESC LIMIT 1`,
  SHAPE,
);

/**
 * The system's outage still going on: not resolved, and its newest report since `since`, or an
 * alert of it firing (however long ago it started), or its alerts recovered only since `since`.
 */
export async function openIncidentOf(tx: Tx, system: string, since: Date): Promise<Incident | null> {
  return (await sqlOf(tx).rows<Incident>(OPEN, [system, since]))[0] ?? null;
}

const JOINED = new Query(
  'UPDATE "Incident" SET "reportCount" = "reportCount" + $1, "departmentKeys" = $2, "firstReportAt" = $3, "lastReportAt" = $4 WHERE "id" = $5 RETURNING *',
  SHAPE,
);

/** Counts reports that joined the incident on its row; returns the row as it now is. */
export async function countJoined(
  tx: Tx,
  id: number,
  joined: { reports: number; departmentKeys: string; firstReportAt: Date | null; lastReportAt: Date | null },
): Promise<Incident> {
  const [row] = await sqlOf(tx).rows<Incident>(JOINED, [joined.reports, joined.departmentKeys, joined.firstReportAt, joined.lastReportAt, id]);
  return row!;
}

const NOTICE = new Query('INSERT INTO "IncidentNotice" ("incidentId", "platform", "chatId") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING');

/** Remembers that a chat was told of the incident (once per chat). */
export async function rememberNotice(tx: Tx, incidentId: number, platform: string, chatId: string): Promise<void> {
  await sqlOf(tx).run(NOTICE, [incidentId, platform, chatId]);
}
