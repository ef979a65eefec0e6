import { CsvError, parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';

/**
 * One line of a roster file as it was written: the day, the shift and the person (each by id or
 * name), and where it stood in the file so a mistake can name it. DutyService.importRows checks it.
 */
export interface RosterRow {
  /** The line of a CSV file, the row of a sheet (from 1). */
  line: number;
  date: string;
  shift: string;
  person: string;
}

/** A first line that names the columns (date, shift, person / 日期, 班次, 人员) is no roster row. */
const HEADER = /date|日期/i;

function rows(lines: { line: number; cells: string[] }[]): RosterRow[] {
  return lines
    .filter(({ line, cells }) => !(line === 1 && HEADER.test(cells.join(','))))
    .map(({ line, cells: [date = '', shift = '', person = ''] }) => ({ line, date, shift, person }));
}

/** A CSV roster (`date,shift,person` per line; commas, full-width commas or tabs between the columns). */
export function rosterRowsFromCsv(text: string): RosterRow[] {
  try {
    const records = parse(text, {
      bom: true,
      delimiter: [',', '，', '\t'],
      record_delimiter: ['\r\n', '\n'],
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return rows(records.map(({ record, info }) => ({ line: info.lines, cells: record })));
  } catch (err) {
    if (err instanceof CsvError)
      throw new BotError('roster_invalid', { reason: t('duty.import.unreadable', { line: (err as CsvError & { lines?: number }).lines ?? 1 }) });
    throw err;
  }
}

/** The first sheet of an xlsx roster (date, shift, person in its first three columns), or undefined when the file is no readable workbook. */
export async function rosterRowsFromXlsx(data: Buffer): Promise<RosterRow[] | undefined> {
  // Loaded on the first workbook: ExcelJS is large and most instances never read one.
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  try {
    await book.xlsx.load(data as never);
  } catch {
    return undefined;
  }
  const sheet = book.worksheets[0];
  if (!sheet) return undefined;
  const cell = (v: ExcelJS.CellValue) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v ?? '').trim());
  const lines: { line: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells = [1, 2, 3].map((column) => cell((row.values as ExcelJS.CellValue[])[column]));
    if (cells.some(Boolean)) lines.push({ line: row.number, cells });
  });
  return rows(lines);
}
