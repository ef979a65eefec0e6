import ExcelJS from 'exceljs';
import type { InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { t as text } from '../../bot/i18n/zh.js';
import { createToken } from '../../bot/tokens/store.js';
import { API_TOKEN, createTestBot, type TestBot } from '../helpers/bot.js';

const HEADER = 'Asset Number,Kind,Model,Department,Location,User,Purchased On,Warranty Until,Vendor,Vendor Contact,Remark';
const REGISTER = [
  HEADER,
  'PC-0231,台式机,联想启天 M720,门诊部,门诊3楼212诊室,张丽,2024-07-01,2027-06-30,联想,400-990-8888,',
  'PC-0450,台式机,戴尔 OptiPlex 7090,检验科,医技楼2楼检验科前台,周敏,2021-01-10,2024-01-09,戴尔,400-884-6661,',
  'PR-1002,打印机,HP M403,门诊部,门诊3楼收费处,,2020-03-01,,惠普,800-820-2255,已申请报废',
].join('\n');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('the asset register over the REST API', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const call = (route: InjectOptions, token: string | undefined = API_TOKEN) =>
    t.bot.app.inject({ ...route, headers: { ...route.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  const importCsv = (csv: string, token?: string) =>
    call({ method: 'POST', url: '/api/assets/import', headers: { 'content-type': 'text/csv' }, payload: csv }, token);
  const get = async (url: string) => {
    const res = await call({ url });
    expect(res.statusCode, url).toBe(200);
    return res.json();
  };

  it('imports a register, answering a file with a bad line with every line’s reason and importing nothing', async () => {
    t = await createTestBot({}, undefined, new Date('2026-12-02T02:00:00Z'));
    const bad = await importCsv([HEADER, 'PC-0231,台式机,,门诊部,,,,,,,', 'PC0231,台式机,,,,,,,,,', '电脑,台式机,,骨科,,,,,,,'].join('\n'));
    expect(bad.statusCode).toBe(400);
    const reason3 = text('asset.import.twice', { number: 'PC-0231', first: 2 });
    const reason4 = [text('asset.import.badNumber', { number: '电脑' }), text('asset.import.department', { department: '骨科' })].join('；');
    expect(bad.json()).toEqual({
      error: text('asset.import.refused', { n: 2 }),
      problems: [
        { line: 3, reason: reason3, message: text('duty.import.atLine', { line: 3, reason: reason3 }) },
        { line: 4, reason: reason4, message: text('duty.import.atLine', { line: 4, reason: reason4 }) },
      ],
    });
    expect(await t.bot.db.asset.count()).toBe(0);
    expect((await importCsv('资产编号,型号\n"PC-0231,联想\n')).json().problems).toMatchObject([{ line: 2, reason: text('duty.import.unreadable') }]);
    expect((await call({ method: 'POST', url: '/api/assets/import', headers: { 'content-type': XLSX }, payload: 'not a workbook' })).statusCode).toBe(400);
    // A JSON body is no register, even one that reads like a line of it.
    const json = await call({ method: 'POST', url: '/api/assets/import', headers: { 'content-type': 'application/json' }, payload: JSON.stringify('PC-0231') });
    expect(json.statusCode).toBe(415);
    expect(await t.bot.db.asset.count()).toBe(0);

    const ok = await importCsv(REGISTER);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ imported: 3, added: 3, changed: 0, unchanged: 0, ignoredColumns: ['Remark'] });
    expect(await t.bot.db.auditLog.findFirst({ where: { action: 'asset.import' } })).toMatchObject({ actorId: 'api:API_TOKEN' });

    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('资产');
    sheet.addRow(['资产编号', '使用人', '位置']);
    sheet.addRow(['PC-0450', '吴强', '医技楼2楼检验科前台']);
    const xlsx = await call({
      method: 'POST',
      url: '/api/assets/import',
      headers: { 'content-type': XLSX },
      payload: Buffer.from(await book.xlsx.writeBuffer()),
    });
    expect(xlsx.json()).toEqual({ imported: 1, added: 0, changed: 1, unchanged: 0, ignoredColumns: [] });
    expect(await t.bot.db.asset.findUnique({ where: { number: 'PC-0450' } })).toMatchObject({ userName: '吴强', model: '戴尔 OptiPlex 7090' });
  });

  it('lists the register with filters, and shows one asset with its repairs newest first', async () => {
    t = await createTestBot({}, undefined, new Date('2026-12-02T02:00:00Z'));
    expect((await importCsv(REGISTER)).statusCode).toBe(200);

    const all = await get('/api/assets');
    expect(all.total).toBe(3);
    expect(all.assets.map((a: { number: string }) => a.number)).toEqual(['PC-0231', 'PC-0450', 'PR-1002']);
    expect(all.assets[0]).toEqual({
      number: 'PC-0231',
      kind: '台式机',
      model: '联想启天 M720',
      department: { id: 'outpatient', name: '门诊部' },
      location: '门诊3楼212诊室',
      user: '张丽',
      purchasedOn: '2024-07-01',
      warrantyUntil: '2027-06-30',
      warranty: 'active',
      vendor: '联想',
      vendorContact: '400-990-8888',
      status: 'active',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const numbers = async (query: string) => (await get(`/api/assets?${query}`)).assets.map((a: { number: string }) => a.number);
    expect(await numbers('department=outpatient')).toEqual(['PC-0231', 'PR-1002']);
    expect(await numbers(`department=${encodeURIComponent('检验科')}`)).toEqual(['PC-0450']);
    expect(await numbers(`kind=${encodeURIComponent('打印机')}`)).toEqual(['PR-1002']);
    expect(await numbers(`q=${encodeURIComponent('戴尔')}`)).toEqual(['PC-0450']);
    expect(await numbers('q=pc-02')).toEqual(['PC-0231']);
    expect(await numbers('warranty=active')).toEqual(['PC-0231']);
    expect(await numbers('warranty=expired')).toEqual(['PC-0450']);
    expect((await call({ url: `/api/assets?department=${encodeURIComponent('骨科')}` })).statusCode).toBe(400);
    expect((await call({ url: '/api/assets?warranty=soon' })).statusCode).toBe(400);

    await t.say('zhang-li', 'intake', '电脑蓝屏了，资产号PC-0231，电话8123');
    await t.advance(60);
    await t.say('chen-jing', 'intake', '主任办公室电脑开不了机，资产编号 pc 0231');
    const tickets = await t.bot.db.ticket.findMany({ where: { assetNumber: 'PC-0231' }, orderBy: { id: 'desc' } });
    expect(tickets).toHaveLength(2);

    const shown = await get('/api/assets/pc0231');
    expect(shown).toMatchObject({ number: 'PC-0231', warranty: 'active', vendorContact: '400-990-8888' });
    expect(shown.repairs).toEqual(
      tickets.map((x) => ({
        number: x.number,
        date: '2026-12-02',
        reportedAt: x.createdAt.toISOString(),
        status: x.status,
        closeReason: null,
        title: x.title,
        priority: x.priority,
        cost: null,
      })),
    );
    expect(shown.events).toEqual([{ type: 'imported', actorId: 'api:API_TOKEN', data: expect.objectContaining({ line: 2 }), at: expect.any(String) }]);
    expect((await get('/api/assets/PR-1002')).repairs).toEqual([]);
    const unknown = await call({ url: '/api/assets/PC-9999' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'asset PC-9999 is not in the register' });
    expect((await call({ url: '/api/assets/not-an-asset' })).statusCode).toBe(400);
  });

  it('lets a read token list and show the register, and only an admin token import it', async () => {
    t = await createTestBot();
    const read = await createToken(t.bot.db, { name: 'asset-office', scope: 'read' });
    const exporter = await createToken(t.bot.db, { name: 'registers', scope: 'export' });
    const admin = await createToken(t.bot.db, { name: 'it-director', scope: 'admin' });

    for (const token of [read.token, exporter.token]) {
      const refused = await importCsv(REGISTER, token);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error).toMatch(/does not cover POST \/api\/assets\/import: it needs admin$/);
    }
    expect((await importCsv(REGISTER, '')).statusCode).toBe(401);
    expect((await importCsv(REGISTER, 'not-a-token-at-all-000')).statusCode).toBe(401);
    expect(await t.bot.db.asset.count()).toBe(0);

    const imported = await importCsv(REGISTER, admin.token);
    expect(imported.statusCode).toBe(200);
    expect(await t.bot.db.auditLog.findFirst({ where: { action: 'asset.import' } })).toMatchObject({ actorId: 'api:it-director' });

    for (const url of ['/api/assets', '/api/assets/PC-0231']) {
      expect((await call({ url }, read.token)).statusCode, url).toBe(200);
      expect((await call({ url }, '')).statusCode, url).toBe(401);
    }
  });
});
