import type { WorkCalendar } from '../calendar.js';
import { zonedInstant } from '../calendar.js';
import type { ChangeWindow } from '../org/approvals-schema.js';
import { t } from '../i18n/zh.js';
import { localDate } from '../time.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The instances of the change windows that start on the local day of `day`. */
function instancesOn(day: Date, windows: ChangeWindow[], calendar: WorkCalendar): { start: Date; end: Date }[] {
  const date = localDate(day, calendar.timeZone);
  const working = calendar.isWorkday(zonedInstant(date, '12:00', calendar.timeZone));
  return windows
    .filter((w) => w.days === 'any' || (w.days === 'workday') === working)
    .map((w) => {
      const start = zonedInstant(date, w.start, calendar.timeZone);
      let end = w.end === '24:00' ? new Date(zonedInstant(date, '00:00', calendar.timeZone).getTime() + DAY_MS) : zonedInstant(date, w.end, calendar.timeZone);
      if (end <= start) end = new Date(end.getTime() + DAY_MS);
      return { start, end };
    });
}

/**
 * Whether [start, end] lies inside the change windows: within one window, or within windows that
 * follow each other without a gap (a weekend night running into Saturday).
 */
export function insideChangeWindows(start: Date, end: Date, windows: ChangeWindow[], calendar: WorkCalendar): boolean {
  const instances = [-1, 0, 1, 2, 3]
    .flatMap((d) => instancesOn(new Date(start.getTime() + d * DAY_MS), windows, calendar))
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  let covered = start.getTime();
  for (const w of instances) {
    if (w.start.getTime() <= covered && w.end.getTime() > covered) covered = w.end.getTime();
    if (covered >= end.getTime()) return true;
  }
  return false;
}

/** The windows as people read them: "工作日 22:00–次日 06:00；周末及节假日 全天". */
export function describeWindows(windows: ChangeWindow[]): string {
  return windows
    .map((w) => {
      const days = t(`change.window.${w.days}`);
      if (w.start === '00:00' && w.end === '24:00') return t('change.window.allDay', { days });
      const overnight = w.end !== '24:00' && w.end <= w.start;
      return t('change.window.range', { days, start: w.start, nextDay: overnight ? t('change.window.nextDay') : '', end: w.end });
    })
    .join('；');
}
