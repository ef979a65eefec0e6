import type ExcelJS from 'exceljs';

/** A worksheet with its header row in bold: each column a header and a width. */
export function addSheet(book: ExcelJS.Workbook, title: string, columns: [string, number][]): ExcelJS.Worksheet {
  const sheet = book.addWorksheet(title);
  sheet.columns = columns.map(([header, width]) => ({ header, width }));
  sheet.getRow(1).font = { bold: true };
  return sheet;
}

/** Amounts in yuan shown to the fen. */
export const YUAN_FORMAT = '0.00';
