import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { API_TOKEN, type TestBot } from './bot.js';

/** 2026-12-02 10:00 in the hospital: a Wednesday, in working hours, in the fourth quarter. */
export const REPAIR_NOW = new Date('2026-12-02T02:00:00Z');

/**
 * An asset register: a desktop and a printer of the outpatient department (the printer out of
 * warranty), two desktops of one model in the laboratory (out of warranty), and one bought next year.
 */
export const REPAIR_REGISTER = [
  '资产编号,类型,型号,科室,位置,使用人,购置日期,保修截止,厂商,厂商联系方式',
  'PC-0231,台式机,联想启天 M720,门诊部,门诊3楼212诊室,张丽,2024-07-01,2027-06-30,联想,400-990-8888',
  'PR-1002,打印机,惠普 M405,门诊部,门诊3楼收费处,,2020-03-01,2023-02-28,惠普,400-610-3888',
  'PC-0450,台式机,戴尔 OptiPlex 7090,检验科,医技楼2楼检验科前台,周敏,2021-01-10,2024-01-09,戴尔,400-884-6661',
  'PC-0451,台式机,戴尔 OptiPlex 7090,检验科,医技楼2楼检验科,周敏,2021-01-10,2024-01-09,戴尔,400-884-6661',
  'PC-0900,台式机,联想启天 M720,检验科,医技楼2楼,,2027-02-01,2030-01-31,联想,400-990-8888',
].join('\n');

export async function importRegister(t: TestBot, csv = REPAIR_REGISTER): Promise<void> {
  const res = await t.bot.app.inject({
    method: 'POST',
    url: '/api/assets/import',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'text/csv' },
    payload: csv,
  });
  expect(res.statusCode).toBe(200);
}

/** A report by `reporter` in the intake group, claimed by `engineer` in the engineers' group; the ticket's number. */
export async function reportAndClaim(t: TestBot, reporter: string, said: string, engineer = 'wang-wei'): Promise<string> {
  const before = await t.bot.db.ticket.count();
  await t.say(reporter, 'intake', said);
  const ticket = await t.bot.db.ticket.findFirstOrThrow({ orderBy: { id: 'desc' } });
  expect(await t.bot.db.ticket.count(), said).toBe(before + 1);
  await t.say(engineer, 'engineers', `认领 ${ticket.number}`);
  return ticket.number;
}

/** The bot's newest text in a chat. */
export async function lastReply(t: TestBot, chat: string): Promise<string> {
  return (await t.transcript(chat)).filter((m) => m.from === 'bot' && m.text).at(-1)!.text!;
}

/** Every sheet of a workbook by name, each row as its cells' values (an empty cell as ''). */
export async function workbookRows(data: Buffer): Promise<Record<string, unknown[][]>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(data as never);
  return Object.fromEntries(
    book.worksheets.map((sheet) => {
      const rows: unknown[][] = [];
      for (let r = 1; r <= sheet.rowCount; r++) {
        const row = sheet.getRow(r);
        rows.push(Array.from({ length: sheet.columnCount }, (_, i) => row.getCell(i + 1).value ?? ''));
      }
      return [sheet.name, rows];
    }),
  );
}

/** The register a chat's `导出 …` answer links, downloaded as the simulator serves it. */
export async function downloadLinked(t: TestBot, reply: string): Promise<Buffer> {
  const path = /\/simulator\/api\/reports\/\S+/.exec(reply)?.[0];
  expect(path, reply).toBeDefined();
  const res = await t.bot.app.inject({ url: path! });
  expect(res.statusCode).toBe(200);
  return res.rawPayload;
}
