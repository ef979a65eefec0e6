import chineseDays from 'chinese-days';
import type { Duration } from './org/schema.js';
import { localDate, zonedParts } from './time.js';

const { isWorkday, getHolidaysInRange } = chineseDays;

/** Days the hospital's own calendar sets apart from the national one (YYYY-MM-DD). */
export interface CalendarOverrides {
  holidays: string[];
  workdays: string[];
}

/** The years whose holiday data a day needs: the current one, and from December on the one about to begin. */
export function yearsToCheck(today: string): number[] {
  const [y, m] = today.split('-').map(Number);
  return m === 12 ? [y!, y! + 1] : [y!];
}

/** Years for which the Chinese holiday data knows no public holiday (the library predates the State Council's notice). */
export function yearsWithoutHolidayData(years: number[]): number[] {
  return years.filter((y) => getHolidaysInRange(`${y}-01-01`, `${y}-12-31`, false).length === 0);
}
const DAY_MS = 24 * 60 * 60 * 1000;

/** Minutes east of UTC that `timeZone` is at `at`. */
function offsetMinutes(at: Date, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/** The instant of a local wall-clock time (`2026-10-08`, `08:00`) in `timeZone`. */
export function zonedInstant(day: string, time: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const guess = Date.UTC(y!, m! - 1, d!, hh!, mm!);
  // The offset is read again at the first answer: across a daylight-saving change (China kept one in
  // 1986–1991) the offset of the guess is not the offset of the instant sought.
  const first = guess - offsetMinutes(new Date(guess), timeZone) * 60_000;
  return new Date(guess - offsetMinutes(new Date(first), timeZone) * 60_000);
}

/**
 * The hospital's working calendar: working days of the Chinese calendar (public holidays off,
 * make-up working days 调休 on, from `chinese-days`) and the working hours of the organisation file.
 */
export class WorkCalendar {
  private readonly holidays: Set<string>;
  private readonly extraWorkdays: Set<string>;

  constructor(
    readonly timeZone: string,
    readonly hours: { start: string; end: string },
    overrides: CalendarOverrides = { holidays: [], workdays: [] },
  ) {
    this.holidays = new Set(overrides.holidays);
    this.extraWorkdays = new Set(overrides.workdays);
  }

  /** A day set by command (stored in the database): it takes precedence over the organisation file and the national data. */
  setDay(day: string, kind: 'holiday' | 'workday'): void {
    (kind === 'holiday' ? this.holidays : this.extraWorkdays).add(day);
    (kind === 'holiday' ? this.extraWorkdays : this.holidays).delete(day);
  }

  /** Whether a local day (YYYY-MM-DD) is a working day: the hospital's own days first, then the national calendar. */
  isWorkingDay(day: string): boolean {
    return this.workday(day);
  }

  /** Whether a local day (YYYY-MM-DD) is a working day: the hospital's overrides, then the national calendar. */
  private workday(day: string): boolean {
    if (this.holidays.has(day)) return false;
    if (this.extraWorkdays.has(day)) return true;
    return isWorkday(day);
  }

  /** Length of one working day in minutes. */
  get dayMinutes(): number {
    const [sh = 0, sm = 0] = this.hours.start.split(':').map(Number);
    const [eh = 0, em = 0] = this.hours.end.split(':').map(Number);
    return eh * 60 + em - (sh * 60 + sm);
  }

  isWorkday(at: Date): boolean {
    return this.workday(localDate(at, this.timeZone));
  }

  /** `from` plus `minutes` of working time: only working hours of working days count. */
  addWorkingMinutes(from: Date, minutes: number): Date {
    let remaining = minutes * 60_000;
    let cursor = from;
    for (let guard = 0; guard < 3660; guard++) {
      const day = localDate(cursor, this.timeZone);
      if (this.workday(day)) {
        const open = zonedInstant(day, this.hours.start, this.timeZone);
        const close = zonedInstant(day, this.hours.end, this.timeZone);
        const begin = cursor < open ? open : cursor;
        if (begin < close) {
          const available = close.getTime() - begin.getTime();
          if (remaining <= available) return new Date(begin.getTime() + remaining);
          remaining -= available;
        }
      }
      // Move to the start of the next local day.
      cursor = zonedInstant(
        localDate(new Date(zonedInstant(day, '00:00', this.timeZone).getTime() + DAY_MS + 3_600_000), this.timeZone),
        '00:00',
        this.timeZone,
      );
    }
    throw new Error('no working time within ten years');
  }

  /** When a duration from the organisation file, started at `from`, runs out. */
  add(from: Date, duration: Duration): Date {
    if ('workdays' in duration) return this.addWorkingMinutes(from, duration.workdays * this.dayMinutes);
    return new Date(from.getTime() + duration.minutes * 60_000);
  }
}
