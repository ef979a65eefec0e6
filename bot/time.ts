/** Local-time helpers in the hospital's time zone (TZ, default Asia/Shanghai). */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local calendar fields of `date` in `timeZone` (one cached formatter per zone). */
export function zonedParts(date: Date, timeZone: string): Record<string, string> {
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
  return Object.fromEntries(f.formatToParts(date).map((p) => [p.type, p.value]));
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
