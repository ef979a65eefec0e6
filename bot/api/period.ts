import { z, type ZodError } from 'zod';
import { zonedInstant } from '../calendar.js';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A calendar date that exists (2026-02-30 does not). */
function realDay(text: string): boolean {
  const m = DAY.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.getUTCFullYear() === +m[1]! && d.getUTCMonth() === +m[2]! - 1 && d.getUTCDate() === +m[3]!;
}

/** One end of a period: a date (its midnight in the hospital's zone) or a time with its offset. */
export const Moment = z
  .string()
  .trim()
  .refine(
    (s) => realDay(s) || (INSTANT.test(s) && !Number.isNaN(Date.parse(s))),
    'a date like 2026-11-23, or a time with its offset like 2026-11-23T09:00:00+08:00',
  );

/** The instant a `Moment` stands for, dates reckoned in `timeZone`. */
export function momentAt(text: string, timeZone: string): Date {
  return realDay(text) ? zonedInstant(text, '00:00', timeZone) : new Date(text);
}

/** `from` (inclusive) and `to` (exclusive) as instants; a reason when `to` is not after `from`. */
export function periodOf(q: { from?: string; to?: string }, timeZone: string): { from?: Date; to?: Date } | { error: string } {
  const from = q.from === undefined ? undefined : momentAt(q.from, timeZone);
  const to = q.to === undefined ? undefined : momentAt(q.to, timeZone);
  if (from && to && to.getTime() <= from.getTime()) return { error: 'to must be after from (to is exclusive)' };
  return { from, to };
}

/** A refused query's reason, as the API's other routes give it: each field and what is wrong with it. */
export function queryError(error: ZodError): { error: string } {
  return { error: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}

/** How many rows a page holds, and where it starts, as GET /api/tickets takes them. */
export const Page = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};
