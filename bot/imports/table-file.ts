import { CsvError, parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';

/** One non-empty line of a table file, with where it stood: the line of a CSV file, the row of a sheet (from 1). */
export interface TableLine {
  line: number;
  cells: string[];
}

/** A CSV file that cannot be read past `line` (a quote left open). */
export class TableFileError extends Error {
  constructor(readonly line: number) {
    super(`unreadable CSV from line ${line}`);
    this.name = 'TableFileError';
  }
}

/** The lines of a CSV file (commas, full-width commas or tabs between the columns; a BOM, blank lines and spaces around cells ignored). */
export function tableFromCsv(text: string): TableLine[] {
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
    return records.map(({ record, info }) => ({ line: info.lines, cells: record }));
  } catch (err) {
    if (err instanceof CsvError) throw new TableFileError((err as CsvError & { lines?: number }).lines ?? 1);
    throw err;
  }
}

/**
 * The rows of an xlsx workbook's first sheet that hold anything, their first `columns` cells as
 * text (a date as 2026-12-01), or undefined when the file is no readable workbook.
 */
export async function tableFromXlsx(data: Buffer, columns: number): Promise<TableLine[] | undefined> {
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
  const lines: TableLine[] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells = Array.from({ length: columns }, (_, i) => cell((row.values as ExcelJS.CellValue[])[i + 1]));
    if (cells.some(Boolean)) lines.push({ line: row.number, cells });
  });
  return lines;
}

/** Whether a file's bytes are an xlsx workbook (a zip archive) rather than CSV text. */
export const looksLikeXlsx = (data: Buffer) => data.length >= 4 && data.readUInt32LE(0) === 0x04034b50;
