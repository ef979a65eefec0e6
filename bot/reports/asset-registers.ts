import type ExcelJS from 'exceljs';
import type { Asset } from '../../generated/prisma/client.js';
import { warrantyOn } from '../assets/views.js';
import type { Db } from '../db/client.js';
import { mask } from '../digest/mask.js';
import { scoped, t, textFor } from '../i18n/zh.js';
import type { Directory } from '../org/directory.js';
import { ensureKnown } from '../people/store.js';
import { yuan } from '../tickets/repair-cost.js';
import { statusText } from '../tickets/status.js';
import { localDate } from '../time.js';
import { addSheet, YUAN_FORMAT } from './sheet.js';

/**
 * The registers of the asset register and its repairs: the repair forms (维修申请单台账: every repair
 * completed in the period, its cost charged to a department, with totals per department) and the
 * asset summary by department and model (资产季度汇总: the assets in the register at the period's end,
 * those out of warranty, the repairs of the period and their cost, the assets scrapped in it).
 *
 * A repair is a ticket resolved by an engineer in the period that names an asset, used spare parts
 * or cost something; it counts in the period of its (latest) resolution. Its department is the one
 * it was charged to; tickets resolved before costs were kept are charged to the asset's department,
 * else the ticket's. An asset counts in the department it was in at the period's end (its
 * `transferred` history says where it came from). Descriptions and solutions are masked as in the
 * other registers.
 */

const C = scoped('report.column');
const R = scoped('report.repair');
/** Asset numbers looked up at once. */
const CHUNK = 500;

type RepairTicket = Awaited<ReturnType<AssetRegisters['repairsOf']>>[number];

/** One line of the summary: a department and a model, and what the period saw of them. */
interface SummaryLine {
  departmentId: string | null;
  kind: string;
  model: string;
  assets: number;
  expired: number;
  repairs: number;
  costFen: number;
  scrapped: number;
}

export class AssetRegisters {
  constructor(
    private readonly db: Db,
    private readonly directory: Directory,
    private readonly timeZone: string,
  ) {}

  /** The repairs resolved in the period, oldest first, with their spare parts. */
  async repairsOf(from: Date, to: Date) {
    return this.db.ticket.findMany({
      where: {
        resolvedAt: { gte: from, lt: to },
        OR: [{ assetNumber: { not: null } }, { repairCostFen: { not: null } }, { events: { some: { type: 'parts' } } }],
      },
      orderBy: [{ resolvedAt: 'asc' }, { id: 'asc' }],
      include: { events: { where: { type: 'parts' }, orderBy: { id: 'asc' } } },
    });
  }

  private async assetsNamed(numbers: string[]): Promise<Map<string, Asset>> {
    const unique = [...new Set(numbers)];
    const found = new Map<string, Asset>();
    for (let i = 0; i < unique.length; i += CHUNK) {
      for (const a of await this.db.asset.findMany({ where: { number: { in: unique.slice(i, i + CHUNK) } } })) found.set(a.number, a);
    }
    return found;
  }

  /** The department a repair is charged to. */
  private chargedOf(x: RepairTicket, asset: Asset | undefined): string | null {
    return x.chargedDepartmentId ?? asset?.departmentId ?? x.departmentId ?? null;
  }

  private departmentText(id: string | null): string {
    return this.directory.departmentName(id) ?? t('report.unknownDepartment');
  }

  private name(id: string | null): string {
    return id ? (this.directory.person(id)?.name ?? id) : '';
  }

  /** 维修申请单台账: one line per repair, a total line, and the cost per department. */
  async repairForms(book: ExcelJS.Workbook, from: Date, to: Date): Promise<void> {
    const repairs = await this.repairsOf(from, to);
    const assets = await this.assetsNamed(repairs.map((x) => x.assetNumber).filter((n): n is string => !!n));
    await ensureKnown(this.db, this.directory, [...new Set(repairs.flatMap((x) => [x.reporterId, x.assigneeId]))]);
    const sheet = addSheet(book, R('sheet.forms'), [
      [C('ticket'), 18],
      [R('reportedOn'), 11],
      [C('department'), 10],
      [C('reporter'), 8],
      [R('asset'), 10],
      [R('model'), 18],
      [C('description'), 36],
      [R('work'), 30],
      [C('parts'), 16],
      [R('cost'), 10],
      [R('engineer'), 8],
      [R('completedOn'), 11],
      [C('status'), 12],
    ]);
    const byDepartment = new Map<string | null, { forms: number; costFen: number }>();
    let totalFen = 0;
    for (const x of repairs) {
      const asset = x.assetNumber ? assets.get(x.assetNumber) : undefined;
      const department = this.chargedOf(x, asset);
      const parts = x.events.map((e) => (e.data as { parts?: string } | null)?.parts ?? '').filter(Boolean);
      sheet.addRow([
        x.number,
        localDate(x.createdAt, this.timeZone),
        this.departmentText(department),
        this.name(x.reporterId),
        x.assetNumber ?? '',
        asset ? [asset.kind, asset.model].filter(Boolean).join(' ') : '',
        mask(x.description),
        mask(x.solution ?? ''),
        mask(parts.join('；')),
        x.repairCostFen === null ? '' : yuan(x.repairCostFen),
        this.name(x.assigneeId),
        x.resolvedAt ? localDate(x.resolvedAt, this.timeZone) : '',
        x.status === 'closed' ? statusText(x) : (textFor('report.status', x.status) ?? x.status),
      ]);
      const sum = byDepartment.get(department) ?? { forms: 0, costFen: 0 };
      sum.forms++;
      sum.costFen += x.repairCostFen ?? 0;
      byDepartment.set(department, sum);
      totalFen += x.repairCostFen ?? 0;
    }
    const total = sheet.addRow([R('total'), R('forms', { n: repairs.length }), '', '', '', '', '', '', '', yuan(totalFen)]);
    total.font = { bold: true };
    sheet.getColumn(10).numFmt = YUAN_FORMAT;

    const departments = addSheet(book, R('sheet.byDepartment'), [
      [C('department'), 12],
      [R('formCount'), 10],
      [R('costTotal'), 14],
    ]);
    const order = [...byDepartment].sort((a, b) => b[1].costFen - a[1].costFen || b[1].forms - a[1].forms);
    for (const [id, sum] of order) departments.addRow([this.departmentText(id), sum.forms, yuan(sum.costFen)]);
    departments.addRow([R('total'), repairs.length, yuan(totalFen)]).font = { bold: true };
    departments.getColumn(3).numFmt = YUAN_FORMAT;
  }

  /** 资产季度汇总: by department and model, then by department, each with a total line. */
  async quarterly(book: ExcelJS.Workbook, from: Date, to: Date): Promise<void> {
    const lines = await this.summaryLines(from, to);
    const counts: [string, number][] = [
      [R('assets'), 10],
      [R('expired'), 10],
      [R('repairs'), 10],
      [R('repairCost'), 14],
      [R('scrapped'), 10],
    ];
    const figures = (l: Omit<SummaryLine, 'departmentId' | 'kind' | 'model'>) => [l.assets, l.expired, l.repairs, yuan(l.costFen), l.scrapped];
    const total = sumOf(lines);

    const detail = addSheet(book, R('sheet.byModel'), [[C('department'), 12], [C('type'), 10], [R('model'), 22], ...counts]);
    for (const l of lines) detail.addRow([this.departmentText(l.departmentId), l.kind, l.model, ...figures(l)]);
    detail.addRow([R('total'), '', '', ...figures(total)]).font = { bold: true };
    detail.getColumn(7).numFmt = YUAN_FORMAT;

    const departments = addSheet(book, R('sheet.summaryByDepartment'), [[C('department'), 12], ...counts]);
    const byDepartment = new Map<string | null, SummaryLine[]>();
    for (const l of lines) byDepartment.set(l.departmentId, [...(byDepartment.get(l.departmentId) ?? []), l]);
    for (const [id, group] of byDepartment) departments.addRow([this.departmentText(id), ...figures(sumOf(group))]);
    departments.addRow([R('total'), ...figures(total)]).font = { bold: true };
    departments.getColumn(5).numFmt = YUAN_FORMAT;
  }

  /** The summary's lines, in the organisation file's order of departments, then by type and model. */
  private async summaryLines(from: Date, to: Date): Promise<SummaryLine[]> {
    const lastDay = localDate(new Date(to.getTime() - 1), this.timeZone);
    const lines = new Map<string, SummaryLine>();
    const line = (departmentId: string | null, kind: string, model: string) => {
      const key = JSON.stringify([departmentId, kind, model]);
      let l = lines.get(key);
      if (!l) lines.set(key, (l = { departmentId, kind, model, assets: 0, expired: 0, repairs: 0, costFen: 0, scrapped: 0 }));
      return l;
    };
    const register = await this.db.asset.findMany({
      include: {
        events: { where: { type: { in: ['scrapped', 'transferred'] } }, orderBy: { id: 'asc' }, select: { type: true, data: true, createdAt: true } },
      },
    });
    for (const a of register) {
      // The department it was in at the period's end: where the first transfer after it moved it from, else where it is.
      const later = a.events.find((e) => e.type === 'transferred' && e.createdAt >= to);
      const departmentId = later ? ((later.data as { from?: { departmentId?: string | null } } | null)?.from?.departmentId ?? null) : a.departmentId;
      const l = line(departmentId, a.kind ?? '', a.model ?? '');
      // Scrapped when the scrapping was recorded (the asset's `scrapped` entry), else when the row last changed.
      const scrappedAt = a.status === 'scrapped' ? (a.events.findLast((e) => e.type === 'scrapped')?.createdAt ?? a.updatedAt) : null;
      if (scrappedAt && scrappedAt >= from && scrappedAt < to) l.scrapped++;
      // In the register at the period's end: bought by then (or, with no purchase date, registered by then), not yet scrapped.
      const owned = a.purchasedOn ? a.purchasedOn <= lastDay : a.createdAt < to;
      if (!owned || (scrappedAt && scrappedAt < to)) continue;
      l.assets++;
      if (warrantyOn(a.warrantyUntil, lastDay) === 'expired') l.expired++;
    }
    const byNumber = new Map(register.map((a) => [a.number, a]));
    for (const x of await this.repairsOf(from, to)) {
      const asset = x.assetNumber ? byNumber.get(x.assetNumber) : undefined;
      const l = asset ? line(this.chargedOf(x, asset), asset.kind ?? '', asset.model ?? '') : line(this.chargedOf(x, undefined), '', R('unregistered'));
      l.repairs++;
      l.costFen += x.repairCostFen ?? 0;
    }
    const order = new Map(this.directory.org.departments.map((d, i) => [d.id, i]));
    const rank = (id: string | null) => (id !== null && order.has(id) ? order.get(id)! : order.size);
    return [...lines.values()]
      .filter((l) => l.assets || l.repairs || l.scrapped || l.expired)
      .sort((a, b) => rank(a.departmentId) - rank(b.departmentId) || a.kind.localeCompare(b.kind, 'zh') || a.model.localeCompare(b.model, 'zh'));
  }
}

function sumOf(lines: SummaryLine[]): Omit<SummaryLine, 'departmentId' | 'kind' | 'model'> {
  const sum = { assets: 0, expired: 0, repairs: 0, costFen: 0, scrapped: 0 };
  for (const l of lines) {
    sum.assets += l.assets;
    sum.expired += l.expired;
    sum.repairs += l.repairs;
    sum.costFen += l.costFen;
    sum.scrapped += l.scrapped;
  }
  return sum;
}
