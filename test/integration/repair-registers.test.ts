import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AssetLifecycle } from '../../bot/assets/lifecycle.js';
import { AuditLog } from '../../bot/audit.js';
import { transact } from '../../bot/db/transact.js';
import { t as text } from '../../bot/i18n/zh.js';
import { admin } from '../helpers/admin.js';
import { API_TOKEN, createTestBot, type TestBot } from '../helpers/bot.js';
import { downloadLinked, importRegister, lastReply, REPAIR_NOW, reportAndClaim, workbookRows } from '../helpers/repairs.js';

const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-repairs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const at = (local: string) => new Date(`${local}+08:00`);

describe('the repair forms register and the quarterly asset summary', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const download = async (url: string) => {
    const res = await t.bot.app.inject({ url, headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(res.statusCode, url).toBe(200);
    return res.rawPayload;
  };

  /** A repair resolved and closed on `day` (hospital time), written as an earlier month left it. */
  async function pastRepair(number: string, day: string, asset: string, costFen: number, department: string) {
    const when = at(`${day}T10:00:00`);
    await t.bot.db.ticket.create({
      data: {
        number,
        status: 'closed',
        closeReason: 'confirmed',
        priority: 'P3',
        title: '电脑蓝屏',
        description: '电脑蓝屏，开不了机',
        reporterId: 'zhou-min',
        departmentId: department,
        assetNumber: asset,
        assigneeId: 'han-mei',
        solution: '更换主板',
        repairCostFen: costFen,
        chargedDepartmentId: department,
        responseDueAt: when,
        sourcePlatform: 'simulator',
        sourceChatId: 'intake',
        createdAt: when,
        claimedAt: when,
        resolvedAt: when,
        closedAt: when,
      },
    });
  }

  /**
   * December: a printer repair with a toner (outpatient; the printer then moves to emergency), a
   * desktop the laboratory pays for though it stands in cardiology (its report carries a mobile
   * number), a network cable with no asset (emergency), and a password reset that is no repair.
   * October: a laboratory desktop, scrapped in December; September: an outpatient desktop.
   */
  async function quarterOfRepairs() {
    await importRegister(t);
    const printer = await reportAndClaim(t, 'zhang-li', '门诊收费处打印机卡纸，打不出发票，资产号PR-1002');
    await t.say('wang-wei', 'engineers', `备件 ${printer} 硒鼓×1`);
    await t.say('wang-wei', 'engineers', `解决 ${printer} 更换硒鼓 费用 120 元`);
    const desktop = await reportAndClaim(t, 'liu-yang', '心内科医生办公室电脑开不了机，资产号PC-0450，有事打我手机13812345678');
    await t.say('wang-wei', 'engineers', `解决 ${desktop} 更换电源 费用 85.5 元`);
    const cable = await reportAndClaim(t, 'li-na', '急诊2楼分诊台网线断了，上不了网，电话8201');
    await t.say('wang-wei', 'engineers', `解决 ${cable} 更换网线 花费 300元`);
    const password = await reportAndClaim(t, 'zhou-min', '检验科LIS登不上了，电话8401');
    await t.say('wang-wei', 'engineers', `解决 ${password} 重置密码`);
    await pastRepair('IT-20261015-0001', '2026-10-15', 'PC-0451', 5000, 'laboratory');
    await pastRepair('IT-20260920-0001', '2026-09-20', 'PC-0231', 1000, 'outpatient');
    // Approved requests, as their chains complete: the repaired printer moves to emergency, PC-0451 is scrapped.
    await transact(t.bot.db, async (tx) => {
      const lifecycle = new AssetLifecycle({ tx, clock: t.clock, audit: new AuditLog(tx, () => t.clock.now()) });
      const decided = { decisions: [], actorId: 'huang-jun' };
      await lifecycle.transfer(
        'PR-1002',
        { departmentId: 'emergency', location: '急诊2楼分诊台', userName: null },
        { request: 'SQ-20261202-001', reason: '科室调整', ...decided },
      );
      await lifecycle.scrap('PC-0451', {
        request: 'SQ-20261202-002',
        reason: '主板损坏无法修复',
        appraisal: null,
        storageMedia: false,
        mediaDestroyed: null,
        ...decided,
      });
    });
    return { printer, desktop, cable, password };
  }

  it('lists the month’s repairs with their cost, the total and the cost per department, masked', async () => {
    t = await createTestBot({}, undefined, REPAIR_NOW);
    const { printer, desktop, cable, password } = await quarterOfRepairs();

    await t.say('wang-wei', 'engineers', '导出 维修申请单 2026-12');
    const reply = await lastReply(t, 'engineers');
    expect(reply).toBe(text('report.export.ready', { period: '2026-12', path: '/simulator/api/reports/repair-forms.xlsx?month=2026-12' }));
    const sheets = await workbookRows(await downloadLinked(t, reply));
    expect(Object.keys(sheets)).toEqual(['维修申请单', '科室费用汇总']);
    const [header, ...rows] = sheets['维修申请单']!;
    expect(header).toEqual([
      '工单号',
      '报修日期',
      '科室',
      '报修人',
      '资产编号',
      '设备型号',
      '故障描述',
      '维修内容',
      '更换备件',
      '费用（元）',
      '维修人',
      '完成日期',
      '状态',
    ]);
    const ticketOf = (number: string) => t.bot.db.ticket.findUniqueOrThrow({ where: { number } });
    const line = async (number: string, department: string, reporter: string, asset: string, model: string, work: string, parts: string, cost: number) => [
      number,
      '2026-12-02',
      department,
      reporter,
      asset,
      model,
      (await ticketOf(number)).description.replace('13812345678', '138****5678'),
      work,
      parts,
      cost,
      '王伟',
      '2026-12-02',
      '已解决待确认',
    ];
    expect(rows).toEqual([
      await line(printer, '门诊部', '张丽', 'PR-1002', '打印机 惠普 M405', '更换硒鼓', '硒鼓×1', 120),
      await line(desktop, '检验科', '刘洋', 'PC-0450', '台式机 戴尔 OptiPlex 7090', '更换电源', '', 85.5),
      await line(cable, '急诊科', '李娜', '', '', '更换网线', '', 300),
      ['合计', '3 单', '', '', '', '', '', '', '', 505.5, '', '', ''],
    ]);
    expect(JSON.stringify(sheets)).not.toContain('13812345678');
    expect(JSON.stringify(sheets)).not.toContain(password);
    expect(sheets['科室费用汇总']).toEqual([
      ['科室', '维修单数', '费用合计（元）'],
      ['急诊科', 1, 300],
      ['门诊部', 1, 120],
      ['检验科', 1, 85.5],
      ['合计', 3, 505.5],
    ]);

    // October's register holds October's repair only; the API and the command line give the same file.
    expect((await workbookRows(await download('/api/reports/repair-forms.xlsx?month=2026-10')))['维修申请单']!.map((r) => r[0])).toEqual([
      '工单号',
      'IT-20261015-0001',
      '合计',
    ]);
    const out = path.join(dir, 'repair-forms.xlsx');
    const run = await admin(['export', '维修申请单台账', '2026-12', '--out', out], { DATABASE_URL: t.url });
    expect(run.err).toEqual([]);
    expect(await workbookRows(readFileSync(out))).toEqual(await workbookRows(await download('/api/reports/repair-forms.xlsx?month=2026-12')));
    expect(await workbookRows(readFileSync(out))).toEqual(sheets);
  });

  it('sums the quarter by department and model: assets in the register, out of warranty, repairs and their cost, scrapped', async () => {
    t = await createTestBot({}, undefined, REPAIR_NOW);
    await quarterOfRepairs();

    // The quarter as people write it; none written is this quarter.
    const link = '/simulator/api/reports/asset-quarterly.xlsx?quarter=2026-Q4';
    for (const said of ['导出 资产季报 2026-Q4', '导出 资产季报 2026Q4', '导出 资产季报 2026年第四季度', '导出 资产季报']) {
      expect((await t.say('wang-wei', 'engineers', said)).outcome, said).toBe('handled');
      expect(await lastReply(t, 'engineers'), said).toBe(text('report.export.ready', { period: '2026-Q4', path: link }));
    }
    for (const said of ['导出 资产季报 2026-Q5', '导出 资产季报 第四季度', '导出 资产季报 2026年第五季度']) {
      expect((await t.say('wang-wei', 'engineers', said)).outcome, said).toBe('refused');
      expect(await lastReply(t, 'engineers'), said).toBe(text('error.bad_arguments', { usage: text('report.export.quarterUsage') }));
    }
    // Reporters may not export registers.
    expect((await t.say('zhang-li', 'intake', '导出 资产季报 2026-Q4')).outcome).toBe('refused');

    const sheets = await workbookRows(await downloadLinked(t, link));
    const counts = ['在册资产', '已过保', '本期维修', '维修费用（元）', '本期报废'];
    expect(sheets['按科室和型号']).toEqual([
      ['科室', '类型', '设备型号', ...counts],
      // The printer's repair stays charged to the outpatient department; the printer itself is emergency's now.
      ['门诊部', '打印机', '惠普 M405', 0, 0, 1, 120, 0],
      ['门诊部', '台式机', '联想启天 M720', 1, 0, 0, 0, 0],
      ['急诊科', '', '未登记资产', 0, 0, 1, 300, 0],
      ['急诊科', '打印机', '惠普 M405', 1, 1, 0, 0, 0],
      // PC-0450 is in the register, PC-0451 was scrapped; both are out of warranty; PC-0900 is bought next year.
      ['检验科', '台式机', '戴尔 OptiPlex 7090', 1, 1, 2, 135.5, 1],
      ['合计', '', '', 3, 2, 4, 555.5, 1],
    ]);
    expect(sheets['按科室']).toEqual([
      ['科室', ...counts],
      ['门诊部', 1, 0, 1, 120, 0],
      ['急诊科', 1, 1, 1, 300, 0],
      ['检验科', 1, 1, 2, 135.5, 1],
      ['合计', 3, 2, 4, 555.5, 1],
    ]);
    // The quarter's repairs are those of its three monthly repair registers.
    let monthly = 0;
    for (const month of ['2026-10', '2026-11', '2026-12']) {
      monthly += (await workbookRows(await download(`/api/reports/repair-forms.xlsx?month=${month}`)))['维修申请单']!.length - 2;
    }
    expect(monthly).toBe(4);

    // The third quarter: the printer still the outpatient department's, PC-0451 still in the register, September's repair, nothing scrapped.
    const third = await workbookRows(await download(`/api/reports/asset-quarterly.xlsx?quarter=${encodeURIComponent('2026年第三季度')}`));
    expect(third['按科室']).toEqual([
      ['科室', ...counts],
      ['门诊部', 2, 1, 1, 10, 0],
      ['检验科', 2, 2, 0, 0, 0],
      ['合计', 4, 3, 1, 10, 0],
    ]);
    expect(
      (await t.bot.app.inject({ url: '/api/reports/asset-quarterly.xlsx?quarter=2026-Q5', headers: { authorization: `Bearer ${API_TOKEN}` } })).statusCode,
    ).toBe(400);

    // The command line writes the same workbook, named after the quarter, and refuses a quarter that is none.
    const run = await admin(['export', 'asset-quarterly', '2026Q4'], { DATABASE_URL: t.url }, dir);
    expect(run.out).toEqual([expect.stringMatching(/^已导出资产季度汇总（2026-Q4）到 资产季度汇总-2026-Q4\.xlsx（\d+ KB）。$/)]);
    expect(await workbookRows(readFileSync(path.join(dir, '资产季度汇总-2026-Q4.xlsx')))).toEqual(sheets);
    const bad = await admin(['export', 'asset-quarterly', '2026-Q5'], { DATABASE_URL: t.url }, dir);
    expect(bad.code).toBe(2);
    expect(bad.err[0]).toBe(text('admin.usage.error', { message: text('admin.export.badMonth', { month: '2026-Q5' }) }));
  });
});
