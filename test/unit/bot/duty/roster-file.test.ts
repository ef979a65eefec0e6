import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { rosterRowsFromCsv, rosterRowsFromXlsx } from '../../../../bot/duty/roster-file.js';
import { BotError } from '../../../../bot/errors.js';
import { t } from '../../../../bot/i18n/zh.js';

describe('roster files read into rows', () => {
  it('reads CSV lines, skipping a header and blank lines, and keeps each row’s line number', () => {
    const rows = rosterRowsFromCsv('\uFEFF日期,班次,人员\n\n2026-12-01，夜班，王伟\r\n   \n2026-12-02\t白班\t"李,强"\n2026-12-03,主班\n');
    expect(rows).toEqual([
      { line: 3, date: '2026-12-01', shift: '夜班', person: '王伟' },
      { line: 5, date: '2026-12-02', shift: '白班', person: '李,强' },
      { line: 6, date: '2026-12-03', shift: '主班', person: '' },
    ]);
  });

  it('takes a first line without column names as a row', () => {
    expect(rosterRowsFromCsv('2026-12-01,main,wang-wei')).toEqual([{ line: 1, date: '2026-12-01', shift: 'main', person: 'wang-wei' }]);
  });

  it('refuses an unclosed quote, naming the line', () => {
    const read = () => rosterRowsFromCsv('2026-12-01,主班,王伟\n2026-12-02,"夜班,朱林\n');
    expect(read).toThrow(BotError);
    try {
      read();
    } catch (err) {
      expect((err as BotError).params.reason).toBe(t('duty.import.atLine', { line: 2, reason: t('duty.import.unreadable') }));
    }
  });

  it('reads the first sheet of a workbook, dates as days and empty rows left out', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('排班');
    sheet.addRow(['date', 'shift', 'person']);
    sheet.addRow([new Date(Date.UTC(2026, 11, 20)), '主班', ' 邓超 ']);
    sheet.addRow([]);
    sheet.addRow(['2026-12-21', 'night', 'zhu-lin', 'ignored']);
    const rows = await rosterRowsFromXlsx(Buffer.from(await book.xlsx.writeBuffer()));
    expect(rows).toEqual([
      { line: 2, date: '2026-12-20', shift: '主班', person: '邓超' },
      { line: 4, date: '2026-12-21', shift: 'night', person: 'zhu-lin' },
    ]);
  });

  it('gives nothing for a file that is no workbook', async () => {
    expect(await rosterRowsFromXlsx(Buffer.from('not a workbook'))).toBeUndefined();
  });
});
