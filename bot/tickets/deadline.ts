import chineseDays from 'chinese-days';
import type { Priority } from '../org/schema.js';
import { localDate } from '../time.js';

const { isWorkday } = chineseDays;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Response time limits (响应时限) per DOMAIN.md; P4 is one working day. */
export const RESPONSE_LIMIT: Record<Priority, { minutes: number } | { workdays: 1 }> = {
  P1: { minutes: 15 },
  P2: { minutes: 30 },
  P3: { minutes: 120 },
  P4: { workdays: 1 },
};

/**
 * When a ticket opened at `from` must be answered. One working day means the same time on the next
 * working day of the Chinese calendar (public holidays skipped, make-up working days 调休 counted).
 */
export function responseDueAt(priority: Priority, from: Date, timeZone: string): Date {
  const limit = RESPONSE_LIMIT[priority];
  if ('minutes' in limit) return new Date(from.getTime() + limit.minutes * 60_000);
  let due = new Date(from.getTime() + DAY_MS);
  while (!isWorkday(localDate(due, timeZone))) due = new Date(due.getTime() + DAY_MS);
  return due;
}
