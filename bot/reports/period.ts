import { zonedInstant } from '../calendar.js';

/**
 * The period a register covers, as people name it: a month (`2026-11`) or a quarter (`2026-Q4`,
 * `2026Q4`, `2026年第四季度`, `2026年第4季度`), reckoned in the hospital's time zone.
 */

const QUARTER_WORDS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, '1': 1, '2': 2, '3': 3, '4': 4 };

/** A quarter as written, in the form the links and file names use (`2026-Q4`); undefined when it is none. */
export function readQuarter(text: string): string | undefined {
  const s = text.normalize('NFKC').replace(/\s+/g, '');
  const m = /^(\d{4})(?:年?-?[Qq]([1-4])|[年-]?第?([一二三四1-4])季度?)$/u.exec(s);
  if (!m) return undefined;
  const q = m[2] ? Number(m[2]) : QUARTER_WORDS[m[3]!];
  return `${m[1]}-Q${q}`;
}

/** A month as written (`2026-11`, `2026-1` too), as `2026-11`; undefined when it is none. */
export function readMonth(text: string): string | undefined {
  const m = /^(\d{4})-(\d{1,2})$/.exec(text.normalize('NFKC').trim());
  const month = m ? Number(m[2]) : 0;
  return month >= 1 && month <= 12 ? `${m![1]}-${String(month).padStart(2, '0')}` : undefined;
}

/** The quarter a month (`2026-11`) falls in: `2026-Q4`. */
export function quarterOf(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${y}-Q${Math.ceil(m! / 3)}`;
}

/** The first day of the month after `month`. */
function nextMonthStart(y: number, m: number): string {
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** A month's span, `to` exclusive. */
export function monthSpan(month: string, timeZone: string): { from: Date; to: Date } {
  const [y, m] = month.split('-').map(Number);
  return { from: zonedInstant(`${month}-01`, '00:00', timeZone), to: zonedInstant(nextMonthStart(y!, m!), '00:00', timeZone) };
}

/** A quarter's span (`2026-Q4`: 2026-10-01 to 2027-01-01), `to` exclusive. */
export function quarterSpan(quarter: string, timeZone: string): { from: Date; to: Date } {
  const [y, q] = quarter.split('-Q').map(Number);
  const first = (q! - 1) * 3 + 1;
  return {
    from: zonedInstant(`${y}-${String(first).padStart(2, '0')}-01`, '00:00', timeZone),
    to: zonedInstant(nextMonthStart(y!, first + 2), '00:00', timeZone),
  };
}

/** A month or a quarter as written, in its canonical form and kind; undefined when it is neither. */
export function readPeriod(text: string): { month: string } | { quarter: string } | undefined {
  const month = readMonth(text);
  if (month) return { month };
  const quarter = readQuarter(text);
  return quarter ? { quarter } : undefined;
}
