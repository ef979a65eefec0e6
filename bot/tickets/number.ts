import { z } from 'zod';
import { sqlOf, type Tx } from '../db/client.js';
import { Query } from '../db/sql.js';
import { localDate } from '../time.js';

/** Digits of each numbered kind's daily counter: tickets, incidents, approval requests. */
const WIDTH = { IT: 4, INC: 2, SQ: 3 } as const;

const NEXT = new Query(
  'INSERT INTO "Sequence" ("key", "value") VALUES ($1, 1) ON CONFLICT ("key") DO UPDATE SET "value" = "Sequence"."value" + 1 RETURNING "value"',
);

/** The next number of its kind for the day `now` falls on in `timeZone`: IT-20261123-0001, INC-20261123-01, SQ-20261123-001. */
export async function nextNumber(tx: Tx, timeZone: string, prefix: keyof typeof WIDTH, now: Date): Promise<string> {
  const day = localDate(now, timeZone).replaceAll('-', '');
  const key = `${prefix.toLowerCase()}:${day}`;
  const [seq] = await sqlOf(tx).rows<{ value: number }>(NEXT, [key]);
  return `${prefix}-${day}-${String(seq!.value).padStart(WIDTH[prefix], '0')}`;
}

/** A ticket number as people type it: `IT-20261123-0001`, any case, surrounding spaces allowed. */
export const TicketNumber = z
  .string()
  .trim()
  .regex(/^IT-\d{8}-\d{4,}$/i)
  .transform((s) => s.toUpperCase());

/** An incident number: `INC-20261123-01`. */
export const IncidentNumber = z
  .string()
  .trim()
  .regex(/^INC-\d{8}-\d{2,}$/i)
  .transform((s) => s.toUpperCase());
