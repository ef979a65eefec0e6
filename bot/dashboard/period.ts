import { z } from 'zod';
import { zonedInstant } from '../calendar.js';
import type { Directory } from '../org/directory.js';
import { localDate } from '../time.js';

/** At most this many days on one page (a year and a day: a leap year's report). */
export const MAX_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A local date that exists: 2026-11-01 (not 2026-02-30). */
export const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d));

const Query = z.object({
  from: Day.optional(),
  to: Day.optional(),
  department: z.string().min(1).max(100).optional(),
  system: z.string().min(1).max(100).optional(),
});

/** What a dashboard URL asks for: the days (both included), and the department and system it narrows to. */
export interface DashboardView {
  /** First and last day shown, local dates. */
  fromDay: string;
  toDay: string;
  /** The same period as instants, `to` exclusive (the start of the day after toDay): what /api/stats is asked. */
  from: Date;
  to: Date;
  department?: { id: string; name: string };
  system?: string;
}

export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
export const daysFrom = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);

/** The month a local date lies in: its first and last day. */
function monthOf(day: string): { fromDay: string; toDay: string } {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { fromDay: `${day.slice(0, 7)}-01`, toDay: addDays(next, -1) };
}

/**
 * The view a dashboard URL asks for (`?from=2026-11-01&to=2026-11-30&department=cardiology&system=HIS`),
 * this month by default; or the catalogue key of what is wrong with it.
 */
export function dashboardView(
  query: unknown,
  ctx: { directory: Directory; timeZone: string; now: Date },
): { ok: true; view: DashboardView } | { ok: false; problem: 'badDate' | 'order' | 'tooLong' | 'department' | 'system' } {
  // The filter form sends an empty field for 全部科室 / 全部系统.
  const given = Object.fromEntries(Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== ''));
  const q = Query.safeParse(given);
  if (!q.success) {
    const field = q.error.issues[0]?.path[0];
    return { ok: false, problem: field === 'department' || field === 'system' ? field : 'badDate' };
  }
  // This month by default; a period with one end only runs to the end (from the start) of that end's month.
  const month = monthOf(q.data.from ?? q.data.to ?? localDate(ctx.now, ctx.timeZone));
  const fromDay = q.data.from ?? month.fromDay;
  const toDay = q.data.to ?? month.toDay;
  if (daysFrom(fromDay, toDay) < 0) return { ok: false, problem: 'order' };
  if (daysFrom(fromDay, toDay) + 1 > MAX_DAYS) return { ok: false, problem: 'tooLong' };
  const { directory } = ctx;
  let department: DashboardView['department'];
  if (q.data.department) {
    const found = directory.org.departments.find((d) => d.id === q.data.department || d.name === q.data.department);
    if (!found) return { ok: false, problem: 'department' };
    department = { id: found.id, name: found.name };
  }
  if (q.data.system && !directory.org.systems.some((s) => s.name === q.data.system || s.id === q.data.system)) return { ok: false, problem: 'system' };
  const system = q.data.system && (directory.org.systems.find((s) => s.id === q.data.system)?.name ?? q.data.system);
  return {
    ok: true,
    view: {
      fromDay,
      toDay,
      from: zonedInstant(fromDay, '00:00', ctx.timeZone),
      to: zonedInstant(addDays(toDay, 1), '00:00', ctx.timeZone),
      ...(department ? { department } : {}),
      ...(system ? { system } : {}),
    },
  };
}

/** The view's query string (to share it, or to ask /dashboard/data for it). */
export function viewQuery(view: DashboardView): string {
  const q = new URLSearchParams({ from: view.fromDay, to: view.toDay });
  if (view.department) q.set('department', view.department.id);
  if (view.system) q.set('system', view.system);
  return q.toString();
}
