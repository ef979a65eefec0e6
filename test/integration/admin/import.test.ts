import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { t as text } from '../../../bot/i18n/zh.js';
import { admin } from '../../helpers/admin.js';
import { createTestBot, type TestBot } from '../../helpers/bot.js';

const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Buffer) => (writeFileSync(path.join(dir, name), content), name);

describe('helpdesk import', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  it('imports a roster from CSV or xlsx; a file with a bad line names each line and imports nothing', async () => {
    t = await createTestBot();
    const env = { DATABASE_URL: t.url, USER: 'qian-bo' };
    const rows = () => t.bot.db.dutyAssignment.findMany({ where: { source: 'import' }, orderBy: [{ date: 'asc' }, { shiftId: 'asc' }] });

    const bad = file('bad-roster.csv', '日期,班次,人员\n2027-01-04,主班,王伟\n2027-01-04,早班,朱林\n01/05,夜班,朱林\n2027-01-06,夜班,张丽\n');
    const refused = await admin(['import', 'roster', bad], env, dir);
    expect(refused.code).toBe(1);
    expect(refused.err).toEqual([
      `${bad}:3: ${text('duty.import.unknownShift', { shift: '早班' })}`,
      `${bad}:4: ${text('duty.import.badDate', { date: '01/05' })}`,
      `${bad}:5: ${text('duty.import.notEngineer', { person: '张丽' })}`,
      text('admin.failed', { reason: text('admin.import.refused', { file: bad, n: 3 }) }),
    ]);
    expect(await rows()).toEqual([]);
    const quote = await admin(['import', 'roster', file('quote.csv', '2027-01-04,主班,王伟\n2027-01-05,"夜班,朱林\n')], env, dir);
    expect(quote.err[0]).toBe(`quote.csv:2: ${text('duty.import.unreadable')}`);

    const good = file('roster.csv', '2027-01-04,主班,王伟\n2027-01-04,night,zhu-lin\n');
    const run = await admin(['import', 'roster', good], env, dir);
    expect(run).toEqual({ code: 0, out: [text('admin.import.roster.done', { n: 2, from: '2027-01-04', to: '2027-01-04', people: 2 })], err: [] });
    expect((await rows()).map((r) => [r.date, r.shiftId, r.personId])).toEqual([
      ['2027-01-04', 'main', 'wang-wei'],
      ['2027-01-04', 'night', 'zhu-lin'],
    ]);
    expect(await t.bot.db.auditLog.findFirst({ where: { action: 'duty.import' } })).toMatchObject({ actorId: 'cli:qian-bo' });

    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('排班');
    sheet.addRow(['日期', '班次', '人员']);
    sheet.addRow([new Date('2027-01-05T00:00:00Z'), '白班', '钱博']);
    const xlsx = await admin(['import', 'roster', file('roster.xlsx', Buffer.from(await book.xlsx.writeBuffer()))], env, dir);
    expect(xlsx.out).toEqual([text('admin.import.roster.done', { n: 1, from: '2027-01-05', to: '2027-01-05', people: 1 })]);
    expect((await rows()).at(-1)).toMatchObject({ date: '2027-01-05', shiftId: 'day', personId: 'qian-bo' });
    const broken = await admin(['import', 'roster', file('broken.xlsx', 'not a workbook')], env, dir);
    expect(broken.err).toEqual([text('admin.failed', { reason: text('admin.import.notXlsx', { file: 'broken.xlsx' }) })]);
  });

  it('imports people the organisation file does not list, whom the bot then knows by their platform id', async () => {
    t = await createTestBot();
    const env = { DATABASE_URL: t.url };
    const bad = file(
      'bad-people.csv',
      [
        '平台,账号,姓名,科室,手机',
        'simulator,zhou-hong,周红,心内科,13800001234',
        'qq,12345,王五,心内科,',
        'simulator,zhang-li,张丽,门诊部,',
        'simulator,zhou-hong,周红,心内科,',
        'simulator,wu-lei,吴磊,骨科,',
        'simulator,xu-jing,,检验科,',
      ].join('\n'),
    );
    const refused = await admin(['import', 'people', bad], env, dir);
    expect(refused.code).toBe(1);
    expect(refused.err).toEqual([
      `${bad}:3: ${text('people.import.platform', { platform: 'qq' })}`,
      `${bad}:4: ${text('people.import.inFile', { name: '张丽', id: 'zhang-li' })}`,
      `${bad}:5: ${text('people.import.twice', { first: 2 })}`,
      `${bad}:6: ${text('people.import.department', { department: '骨科' })}`,
      `${bad}:7: ${text('people.import.noName')}`,
      text('admin.failed', { reason: text('admin.import.refused', { file: bad, n: 5 }) }),
    ]);
    expect(await t.bot.db.person.count({ where: { source: 'directory' } })).toBe(0);

    const good = file('people.csv', 'simulator,zhou-hong,周红,心内科,138-0000-1234\nsimulator,xu-jing,徐静,检验,\n');
    const run = await admin(['import', 'people', good], env, dir);
    expect(run).toEqual({ code: 0, out: [text('admin.import.people.done', { n: 2, added: 2, changed: 0, unchanged: 0 })], err: [] });
    expect(await t.bot.db.person.findUnique({ where: { id: 'simulator:zhou-hong' } })).toMatchObject({
      name: '周红',
      departmentId: 'cardiology',
      mobile: '13800001234',
      source: 'directory',
      active: true,
    });
    expect(await t.bot.db.auditLog.count({ where: { action: 'person.imported' } })).toBe(2);

    // The running bot knows them: the report is theirs, in their department, and nobody asks which it is.
    await t.say('zhou-hong', 'intake', '心内科护士站的电脑蓝屏了，资产号PC-0888');
    const ticket = await t.bot.db.ticket.findFirstOrThrow({ where: { assetNumber: 'PC-0888' } });
    expect(ticket).toMatchObject({ reporterId: 'simulator:zhou-hong', departmentId: 'cardiology' });
    expect((await t.transcript('intake')).some((m) => m.card?.title === text('people.department.ask'))).toBe(false);

    const again = await admin(['import', 'people', file('people-2.csv', 'simulator,zhou-hong,周红,急诊,\nsimulator,xu-jing,徐静,检验科,\n')], env, dir);
    expect(again.out).toEqual([text('admin.import.people.done', { n: 2, added: 0, changed: 1, unchanged: 1 })]);
    expect(await t.bot.db.person.findUnique({ where: { id: 'simulator:zhou-hong' } })).toMatchObject({ departmentId: 'emergency', mobile: '13800001234' });
  });

  it('imports the asset register by number; a file with a bad line names each line and imports nothing', async () => {
    t = await createTestBot();
    const env = { DATABASE_URL: t.url, USER: 'qian-bo' };
    const header = '资产编号,类型,型号,科室,位置,使用人,购置日期,保修截止,厂商,厂商联系方式';

    const bad = file(
      'bad-assets.csv',
      [
        header,
        'PC-0231,台式机,联想启天 M720,门诊部,门诊3楼212诊室,张丽,2024-07-01,2027-06-30,联想,400-990-8888',
        'PC-0450,台式机,,骨科,,,,,,',
        'PR-1002,打印机,,门诊部,,,2024-13-01,,,',
      ].join('\n'),
    );
    const refused = await admin(['import', 'assets', bad], env, dir);
    expect(refused.code).toBe(1);
    expect(refused.err).toEqual([
      `${bad}:3: ${text('asset.import.department', { department: '骨科' })}`,
      `${bad}:4: ${text('asset.import.badDate', { column: '购置日期', date: '2024-13-01' })}`,
      text('admin.failed', { reason: text('admin.import.refused', { file: bad, n: 2 }) }),
    ]);
    expect(await t.bot.db.asset.count()).toBe(0);
    expect(await t.bot.db.auditLog.count({ where: { entityType: 'asset' } })).toBe(0);
    const header1 = await admin(['import', 'assets', file('no-number.csv', '类型,型号\n台式机,联想\n')], env, dir);
    expect(header1.err[0]).toBe(`no-number.csv:1: ${text('asset.import.noNumberColumn')}`);

    const good = file(
      'assets.csv',
      [
        header,
        'pc0231,台式机,联想启天 M720,门诊部,门诊3楼212诊室,张丽,2024/7/1,2027-06-30,联想,400-990-8888',
        'PR-1002,打印机,HP M403,outpatient,,,2020-03-01,2023-03-01,惠普,800-820-2255',
      ].join('\n'),
    );
    const run = await admin(['import', 'assets', good], env, dir);
    expect(run).toEqual({ code: 0, out: [text('admin.import.assets.done', { n: 2, added: 2, changed: 0, unchanged: 0 })], err: [] });
    expect(await t.bot.db.asset.findUnique({ where: { number: 'PC-0231' } })).toMatchObject({
      kind: '台式机',
      model: '联想启天 M720',
      departmentId: 'outpatient',
      location: '门诊3楼212诊室',
      userName: '张丽',
      purchasedOn: '2024-07-01',
      warrantyUntil: '2027-06-30',
      vendor: '联想',
      vendorContact: '400-990-8888',
      status: 'active',
    });
    expect(await t.bot.db.auditLog.findFirst({ where: { action: 'asset.import' } })).toMatchObject({ actorId: 'cli:qian-bo', entityType: 'asset' });
    expect(await t.bot.db.auditLog.count({ where: { action: 'asset.imported' } })).toBe(2);

    // An xlsx with English headers updates by number; the columns it lacks stay as they were.
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('assets');
    sheet.addRow(['number', 'location', 'warranty until', 'remark']);
    sheet.addRow(['PC-0231', '门诊3楼213诊室', new Date('2028-06-30T00:00:00Z'), '换过硬盘']);
    sheet.addRow(['PR-1002', '', new Date('2023-03-01T00:00:00Z'), '']);
    const xlsx = await admin(['import', 'assets', file('assets.xlsx', Buffer.from(await book.xlsx.writeBuffer()))], env, dir);
    expect(xlsx).toEqual({
      code: 0,
      out: [text('admin.import.assets.done', { n: 2, added: 0, changed: 1, unchanged: 1 })],
      err: [text('asset.import.ignored', { columns: 'remark' })],
    });
    expect(await t.bot.db.asset.findUnique({ where: { number: 'PC-0231' } })).toMatchObject({
      location: '门诊3楼213诊室',
      warrantyUntil: '2028-06-30',
      vendorContact: '400-990-8888',
    });
    const events = await t.bot.db.assetEvent.findMany({ where: { asset: { number: 'PC-0231' } }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.type, e.actorId])).toEqual([
      ['imported', 'cli:qian-bo'],
      ['changed', 'cli:qian-bo'],
    ]);
    expect(events[1]!.data).toMatchObject({ before: { location: '门诊3楼212诊室', warrantyUntil: '2027-06-30' }, after: { location: '门诊3楼213诊室' } });
  });
});
