import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { t as text } from '../../../bot/i18n/zh.js';
import { admin } from '../../helpers/admin.js';
import { API_TOKEN, createTestBot, type TestBot } from '../../helpers/bot.js';

const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every sheet of a workbook as its name and the values of its rows. */
async function sheets(data: Buffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(data as never);
  return book.worksheets.map((sheet) => ({ name: sheet.name, rows: sheet.getSheetValues().filter(Boolean) }));
}

describe('helpdesk export', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  it('writes the same register the REST API gives, by default into the working directory', async () => {
    t = await createTestBot({}, undefined, new Date('2026-11-23T02:00:00Z'));
    await t.say('zhang-li', 'intake', '门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话13812345678');
    await t.say('li-na', 'intake', 'PACS看不了片子，急诊这边都打不开');
    const env = { DATABASE_URL: t.url };
    for (const register of ['fault-register', 'approvals-register', 'duty-log', 'monthly-summary']) {
      const api = await t.bot.app.inject({ url: `/api/reports/${register}.xlsx?month=2026-11`, headers: { authorization: `Bearer ${API_TOKEN}` } });
      expect(api.statusCode).toBe(200);
      const out = path.join(dir, `${register}.xlsx`);
      const run = await admin(['export', register, '2026-11', '--out', out], env);
      expect(run.err).toEqual([]);
      expect(run.code).toBe(0);
      expect(await sheets(readFileSync(out))).toEqual(await sheets(api.rawPayload));
    }
    const faults = await sheets(readFileSync(path.join(dir, 'fault-register.xlsx')));
    expect(faults[0]!.rows).toHaveLength(3);
    expect(JSON.stringify(faults)).not.toContain('13812345678');

    // The Chinese title works too; the default file is named after the register and the month.
    const run = await admin(['export', '故障处理登记台账', '2026-11'], env, dir);
    expect(run.out).toHaveLength(1);
    expect(run.out[0]).toMatch(/^已导出故障处理登记台账（2026-11）到 故障处理登记台账-2026-11\.xlsx（\d+ KB）。$/);
    expect(existsSync(path.join(dir, '故障处理登记台账-2026-11.xlsx'))).toBe(true);
    // An existing file is kept unless --force.
    const again = await admin(['export', 'fault-register', '2026-11', '--out', '故障处理登记台账-2026-11.xlsx'], env, dir);
    expect(again.code).toBe(1);
    expect(again.err).toEqual([text('admin.failed', { reason: text('admin.file.exists', { file: '故障处理登记台账-2026-11.xlsx' }) })]);
    expect((await admin(['export', 'fault-register', '2026-11', '--out', '故障处理登记台账-2026-11.xlsx', '--force'], env, dir)).code).toBe(0);
  });

  it('refuses an unknown register or a month written otherwise, writing nothing', async () => {
    const env = { DATABASE_URL: `file:${path.join(dir, 'none.db')}` };
    const register = await admin(['export', 'asset-register', '2026-11'], env, dir);
    expect(register.code).toBe(2);
    expect(register.err[0]).toContain('asset-register');
    expect((await admin(['export', 'fault-register', '2026-13'], env, dir)).err[0]).toBe(
      text('admin.usage.error', { message: text('admin.export.badMonth', { month: '2026-13' }) }),
    );
    // No database there: nothing is created, and nothing written.
    const missing = await admin(['export', 'fault-register', '2026-11', '--out', 'x.xlsx'], env, dir);
    expect(missing.code).toBe(1);
    expect(existsSync(path.join(dir, 'none.db'))).toBe(false);
    expect(existsSync(path.join(dir, 'x.xlsx'))).toBe(false);
  });
});
