import type { Asset, Prisma, Ticket } from '../../generated/prisma/client.js';
import { sqlOf, type Tx } from '../db/client.js';
import { Query } from '../db/sql.js';

/**
 * The ticket statements of the hot paths (a report, a click), each shaped once: the tickets a
 * message may be about, a new ticket, a change by compare-and-set. Rows come back as Prisma's.
 */

const TICKET_DATES = [
  'responseDueAt',
  'resolveDueAt',
  'claimedAt',
  'resolvedAt',
  'closedAt',
  'nextEscalationAt',
  'nextUpdateAt',
  'confirmDueAt',
  'awaitingUntil',
  'createdAt',
  'updatedAt',
] as const;
const SHAPE = { dates: TICKET_DATES };

const BY_NUMBER = new Query('SELECT * FROM "Ticket" WHERE "number" = $1', SHAPE);

export async function ticketByNumber(tx: Tx, number: string): Promise<Ticket | null> {
  return (await sqlOf(tx).rows<Ticket>(BY_NUMBER, [number]))[0] ?? null;
}

const NEWEST = new Map<string, Query>();

/**
 * The reporter's newest ticket from a chat in one of `statuses`; with `awaitingAfter`, only one
 * still waiting for an answer then.
 */
export async function newestTicketOf(
  tx: Tx,
  of: { reporterId: string; platform: string; chatId: string; statuses: readonly string[]; awaitingAfter?: Date },
): Promise<Ticket | null> {
  const key = `${of.statuses.length}:${of.awaitingAfter ? 1 : 0}`;
  let query = NEWEST.get(key);
  if (!query) {
    const statuses = of.statuses.map((_, i) => `$${i + 4}`).join(', ');
    const awaiting = of.awaitingAfter ? ` AND "awaitingUntil" > $${of.statuses.length + 4}` : '';
    query = new Query(
      `SELECT * FROM "Ticket" WHERE "reporterId" = $1 AND "sourcePlatform" = $2 AND "sourceChatId" = $3 AND "status" IN (${statuses})${awaiting} ORDER BY "id" DESC LIMIT 1`,
      SHAPE,
    );
    NEWEST.set(key, query);
  }
  const args = [of.reporterId, of.platform, of.chatId, ...of.statuses, ...(of.awaitingAfter ? [of.awaitingAfter] : [])];
  return (await sqlOf(tx).rows<Ticket>(query, args))[0] ?? null;
}

const SAID = new Query('SELECT "createdAt" FROM "TicketEvent" WHERE "ticketId" = $1 AND "actorId" = $2 ORDER BY "id" DESC LIMIT 1', { dates: ['createdAt'] });

/** When a person last said something on a ticket's timeline. */
export async function lastSaidAt(tx: Tx, ticketId: number, actorId: string): Promise<Date | undefined> {
  return (await sqlOf(tx).rows<{ createdAt: Date }>(SAID, [ticketId, actorId]))[0]?.createdAt;
}

/** The columns a new ticket is given (the rest take their defaults). */
export type NewTicket = Omit<Prisma.TicketUncheckedCreateInput, 'id' | 'updatedAt' | 'version' | 'events' | 'attachments'>;

const INSERTS = new Map<string, Query>();

/** Inserts a ticket in one statement and returns its row. */
export async function insertTicket(tx: Tx, data: NewTicket): Promise<Ticket> {
  const columns = [...Object.keys(data).filter((k) => (data as Record<string, unknown>)[k] !== undefined), 'updatedAt'];
  const key = columns.join(',');
  let query = INSERTS.get(key);
  if (!query) {
    const names = columns.map((c) => `"${c}"`).join(', ');
    const params = columns.map((_, i) => `$${i + 1}`).join(', ');
    query = new Query(`INSERT INTO "Ticket" (${names}) VALUES (${params}) RETURNING *`, SHAPE);
    INSERTS.set(key, query);
  }
  const values = columns.map((c) => (c === 'updatedAt' ? new Date() : (data as Record<string, unknown>)[c]));
  return (await sqlOf(tx).rows<Ticket>(query, values))[0]!;
}

const UPDATES = new Map<string, Query>();

/**
 * Applies `data` to the ticket if its version is still `version` (one statement), bumping the
 * version; returns the row as it now is, or null when someone changed it first. Undefined when
 * `data` holds an operation this does not write (the caller uses Prisma's update then).
 */
export async function updateTicket(tx: Tx, id: number, version: number, data: Prisma.TicketUncheckedUpdateManyInput): Promise<Ticket | null | undefined> {
  const entries = Object.entries(data).filter(([k, v]) => v !== undefined && k !== 'version' && k !== 'updatedAt');
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [column, value] of entries) {
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      const ops = Object.keys(value);
      if (ops.length !== 1 || ops[0] !== 'increment') return undefined;
      sets.push(`"${column}" = "${column}" + $`);
      values.push((value as { increment: number }).increment);
    } else {
      sets.push(`"${column}" = $`);
      values.push(value);
    }
  }
  const key = sets.join(',');
  let query = UPDATES.get(key);
  if (!query) {
    const n = sets.length;
    const assignments = [...sets.map((s, i) => `${s}${i + 1}`), `"version" = "version" + 1`, `"updatedAt" = $${n + 1}`].join(', ');
    query = new Query(`UPDATE "Ticket" SET ${assignments} WHERE "id" = $${n + 2} AND "version" = $${n + 3} RETURNING *`, SHAPE);
    UPDATES.set(key, query);
  }
  return (await sqlOf(tx).rows<Ticket>(query, [...values, new Date(), id, version]))[0] ?? null;
}

const SIMILAR = new Query(
  `SELECT * FROM "Ticket" WHERE "system" = $1 AND "status" IN ('open', 'claimed') AND "incidentId" IS NULL AND "createdAt" >= $2 ORDER BY "id"`,
  SHAPE,
);

/** The system's reports being worked on since `since` that belong to no incident, oldest first. */
export function similarUnjoined(tx: Tx, system: string, since: Date): Promise<Ticket[]> {
  return sqlOf(tx).rows<Ticket>(SIMILAR, [system, since]);
}

const ATTACHMENTS = new Query('SELECT CAST(COUNT(*) AS INTEGER) AS "n" FROM "Attachment" WHERE "ticketId" = $1');

export async function attachmentCount(tx: Tx, ticketId: number): Promise<number> {
  return (await sqlOf(tx).rows<{ n: number }>(ATTACHMENTS, [ticketId]))[0]?.n ?? 0;
}

const ASSET = new Query('SELECT * FROM "Asset" WHERE "number" = $1', { dates: ['createdAt', 'updatedAt'] });

/** The register's asset of this number (PC-0231), if it holds one: one lookup by its unique key. */
export async function assetByNumber(tx: Tx, number: string): Promise<Asset | null> {
  return (await sqlOf(tx).rows<Asset>(ASSET, [number]))[0] ?? null;
}

/** What a ticket's card shows of the asset it names: its register row (none when unknown) and its repairs. */
export interface AssetOnTicket {
  number: string | null;
  kind: string | null;
  model: string | null;
  warrantyUntil: string | null;
  vendor: string | null;
  vendorContact: string | null;
  status: string | null;
  /** Tickets naming the asset from `since` up to this one, this one included (duplicates left out). */
  repairs: number;
  /** 1 when the register holds any asset at all, else 0. */
  kept: number;
}

const ASSET_ON_TICKET = new Query(
  `SELECT a."number", a."kind", a."model", a."warrantyUntil", a."vendor", a."vendorContact", a."status",
    (SELECT CAST(COUNT(*) AS INTEGER) FROM "Ticket" r WHERE r."assetNumber" = $1 AND r."createdAt" >= $2 AND r."id" <= $3
      AND (r."closeReason" IS NULL OR r."closeReason" <> 'duplicate')) AS "repairs",
    CASE WHEN EXISTS (SELECT 1 FROM "Asset") THEN 1 ELSE 0 END AS "kept"
  FROM (SELECT 1 AS "one") o LEFT JOIN "Asset" a ON a."number" = $1`,
);

/** The asset a ticket names, as its card shows it, in one statement: the register row by its key, the repairs by the tickets' index. */
export async function assetOnTicket(tx: Tx, ticket: Pick<Ticket, 'id' | 'assetNumber'>, since: Date): Promise<AssetOnTicket> {
  return (await sqlOf(tx).rows<AssetOnTicket>(ASSET_ON_TICKET, [ticket.assetNumber, since, ticket.id]))[0]!;
}
