/** Local-time helpers in the hospital's time zone (`hospital.timeZone`, default Asia/Shanghai). */
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Whether `name` is an IANA time zone (Asia/Shanghai, Etc/GMT-8, UTC) that Intl knows. POSIX rules
 * such as UTC+8 or CST-8 are not zones (and mean the opposite of what they seem: CST-8 is 8 hours
 * east), nor are bare offsets.
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** What a wrong zone is told: the value, and what to write instead. */
export const TIME_ZONE_HINT = 'an IANA time zone such as Asia/Shanghai (offsets like UTC+8 or CST-8 are not zones)';

/** The fields of the minutes asked for lately, per zone: deadlines and cards ask for the same few minutes again and again. */
const recentParts = new Map<string, Map<number, Readonly<Record<string, string>>>>();
const RECENT_MINUTES = 512;

/**
 * The local calendar fields of `date` in `timeZone`, to the minute (one cached formatter per zone;
 * the fields of recent minutes kept, since formatting is slow). The record is shared: do not change it.
 */
export function zonedParts(date: Date, timeZone: string): Readonly<Record<string, string>> {
  const minute = Math.floor(date.getTime() / 60_000);
  let recent = recentParts.get(timeZone);
  const known = recent?.get(minute);
  if (known) return known;
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.freeze(Object.fromEntries(f.formatToParts(date).map((p) => [p.type, p.value])));
  if (!recent) recentParts.set(timeZone, (recent = new Map()));
  if (recent.size >= RECENT_MINUTES) recent.clear();
  recent.set(minute, parts);
  return parts;
}

/** `2026-11-23` in the given zone. */
export function localDate(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** `11-23 20:41` in the given zone. */
export function localDateTime(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone);
  return `${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Whether `2026-11-23` names a day of the calendar (not 2026-02-30 or 2026-13-01). */
export function isCalendarDay(day: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === day;
}
