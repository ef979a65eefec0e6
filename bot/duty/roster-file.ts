import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import { tableFromCsv, tableFromXlsx, TableFileError, type TableLine } from '../imports/table-file.js';
import type { Directory } from '../org/directory.js';
import { isCalendarDay } from '../time.js';

/**
 * One line of a roster file as it was written: the day, the shift and the person (each by id or
 * name), and where it stood in the file so a mistake can name it. `checkRoster` checks it.
 */
export interface RosterRow {
  /** The line of a CSV file, the row of a sheet (from 1). */
  line: number;
  date: string;
  shift: string;
  person: string;
}

/** A roster row as it is stored: the day, the shift's id and the person's id. */
export interface RosterEntry {
  date: string;
  shiftId: string;
  personId: string;
}

/** What is wrong with one line of a roster file (`reason` without the line). */
export interface RosterProblem {
  line: number;
  reason: string;
}

/** A first line that names the columns (date, shift, person / 日期, 班次, 人员) is no roster row. */
const HEADER = /date|日期/i;

/** The roster rows of a table file's lines (a header line left out). */
export function rosterRowsOf(lines: readonly TableLine[]): RosterRow[] {
  return lines
    .filter(({ line, cells }) => !(line === 1 && HEADER.test(cells.join(','))))
    .map(({ line, cells: [date = '', shift = '', person = ''] }) => ({ line, date, shift, person }));
}

/** A CSV roster (`date,shift,person` per line; commas, full-width commas or tabs between the columns). */
export function rosterRowsFromCsv(text: string): RosterRow[] {
  try {
    return rosterRowsOf(tableFromCsv(text));
  } catch (err) {
    if (err instanceof TableFileError)
      throw new BotError('roster_invalid', { reason: t('duty.import.atLine', { line: err.line, reason: t('duty.import.unreadable') }) });
    throw err;
  }
}

/** The first sheet of an xlsx roster (date, shift, person in its first three columns), or undefined when the file is no readable workbook. */
export async function rosterRowsFromXlsx(data: Buffer): Promise<RosterRow[] | undefined> {
  const lines = await tableFromXlsx(data, 3);
  return lines && rosterRowsOf(lines);
}

/**
 * Checks every line of a roster against the organisation file: a real day, a shift of `duty.shifts`
 * (by id or name), an IT engineer (by id or name). Returns the rows to store and what is wrong, line by line.
 */
export function checkRoster(written: readonly RosterRow[], directory: Directory): { entries: RosterEntry[]; problems: RosterProblem[] } {
  const entries: RosterEntry[] = [];
  const problems: RosterProblem[] = [];
  for (const { line, date, shift: shiftWord, person: who } of written) {
    const shift = directory.org.duty.shifts.find((s) => s.id === shiftWord || s.name === shiftWord);
    const person = directory.allPeople().find((p) => p.id === who || p.name === who);
    if (!isCalendarDay(date)) problems.push({ line, reason: t('duty.import.badDate', { date }) });
    else if (!shift) problems.push({ line, reason: t('duty.import.unknownShift', { shift: shiftWord }) });
    else if (!person || !directory.isItStaff(person)) problems.push({ line, reason: t('duty.import.notEngineer', { person: who }) });
    else entries.push({ date, shiftId: shift.id, personId: person.id });
  }
  return { entries, problems };
}
