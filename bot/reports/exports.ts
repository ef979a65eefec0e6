import type ExcelJS from 'exceljs';
import type { Db } from '../db/client.js';
import { mask } from '../digest/mask.js';
import { KINDS } from '../approvals/kinds.js';
import type { ApprovalType } from '../org/approvals-schema.js';
import type { Directory } from '../org/directory.js';
import { t } from '../i18n/zh.js';
import { notServed, statusText } from '../tickets/cards.js';
import { localDate, localDateTime } from '../time.js';

export const REPORTS = {
  'fault-register': '故障处理登记台账',
  'approvals-register': '授权审批登记簿',
  'duty-log': '值班与交接班记录',
  'monthly-summary': '月度汇总',
} as const;
export type ReportName = keyof typeof REPORTS;

const STATUS: Record<string, string> = { open: '待认领', claimed: '处理中', resolved: '已解决待确认', closed: '已关闭', pending: '审批中', approved: '已通过', rejected: '已驳回' };

/** The registers the regulations demand, as xlsx: personal data masked, times in the hospital's zone. */
export class Exports {
  constructor(
    private readonly db: Db,
    private readonly directory: Directory,
    private readonly timeZone: string,
  ) {}

  async build(name: ReportName, from: Date, to: Date): Promise<Buffer> {
    // Loaded on the first export: ExcelJS is large and most instances never build a workbook.
    const { default: Excel } = await import('exceljs');
    const book = new Excel.Workbook();
    book.creator = this.directory.org.hospital.name;
    if (name === 'fault-register') await this.faults(book, from, to);
    else if (name === 'approvals-register') await this.approvals(book, from, to);
    else if (name === 'duty-log') await this.duty(book, from, to);
    else await this.summary(book, from, to);
    return Buffer.from(await book.xlsx.writeBuffer());
  }

  private sheet(book: ExcelJS.Workbook, title: string, columns: [string, number][]) {
    const sheet = book.addWorksheet(title);
    sheet.columns = columns.map(([header, width]) => ({ header, width }));
    sheet.getRow(1).font = { bold: true };
    return sheet;
  }

  private time(d: Date | null | undefined): string {
    return d ? localDateTime(d, this.timeZone) : '';
  }

  private name(id: string | null | undefined): string {
    return id ? (this.directory.person(id)?.name ?? id) : '';
  }

  private async faults(book: ExcelJS.Workbook, from: Date, to: Date) {
    const sheet = this.sheet(book, REPORTS['fault-register'], [
      ['工单号', 18], ['报修时间', 12], ['科室', 10], ['报修人', 8], ['位置', 16], ['资产号', 10], ['系统/类别', 10], ['故障描述', 40],
      ['优先级', 6], ['响应时限', 12], ['认领时间', 12], ['处理人', 8], ['解决时间', 12], ['解决方案', 30], ['更换备件', 16], ['状态', 14], ['评价', 6],
      [t('report.fault.closeNote'), 30],
    ]);
    const tickets = await this.db.ticket.findMany({
      where: { createdAt: { gte: from, lt: to } },
      orderBy: { id: 'asc' },
      include: { events: { where: { type: { in: ['parts', 'closed'] } }, orderBy: { id: 'asc' } } },
    });
    for (const x of tickets) {
      const parts = x.events.filter((e) => e.type === 'parts').map((e) => (e.data as { parts?: string }).parts);
      const closeNote = x.events.filter((e) => e.type === 'closed').map((e) => (e.data as { note?: string }).note).filter(Boolean).at(-1) ?? '';
      sheet.addRow([
        x.number, this.time(x.createdAt), this.directory.departmentName(x.departmentId) ?? '', this.name(x.reporterId), x.location ?? '', x.assetNumber ?? '',
        x.system ?? '', mask(x.description), x.priority, this.time(x.responseDueAt), this.time(x.claimedAt), this.name(x.assigneeId), this.time(x.resolvedAt),
        mask(x.solution ?? ''), parts.join('；'), x.status === 'closed' ? statusText(x) : (STATUS[x.status] ?? x.status), x.rating ?? '', mask(closeNote),
      ]);
    }
  }

  private async approvals(book: ExcelJS.Workbook, from: Date, to: Date) {
    const sheet = this.sheet(book, REPORTS['approvals-register'], [['申请号', 16], ['类型', 12], ['申请人', 8], ['事项', 40], ['提交时间', 12], ['状态', 8], ['审批记录', 60], ['完成时间', 12]]);
    const rows = await this.db.approval.findMany({ where: { createdAt: { gte: from, lt: to } }, orderBy: { id: 'asc' }, include: { steps: { orderBy: [{ stage: 'asc' }, { id: 'asc' }], include: { decisions: true } } } });
    for (const a of rows) {
      const trail = a.steps
        .flatMap((s) => s.decisions.map((d) => `${s.name}：${this.name(d.approverId)}${d.actorId !== d.approverId ? `（${this.name(d.actorId)}代）` : ''} ${d.decision === 'reject' ? '驳回' : d.decision === 'done' ? '完成' : '同意'} ${this.time(d.createdAt)}`))
        .join('\n');
      sheet.addRow([a.number, KINDS[a.type as ApprovalType]?.label ?? a.type, this.name(a.requesterId), mask(a.title), this.time(a.createdAt), STATUS[a.status] ?? a.status, trail, this.time(a.decidedAt)]);
    }
  }

  private async duty(book: ExcelJS.Workbook, from: Date, to: Date) {
    const roster = this.sheet(book, '值班表', [['日期', 12], ['班次', 8], ['值班人', 8], ['来源', 8]]);
    const fromDay = localDate(from, this.timeZone);
    const toDay = localDate(to, this.timeZone);
    const shifts = new Map(this.directory.org.duty.shifts.map((s) => [s.id, s.name]));
    const source: Record<string, string> = { rotation: '轮值', import: '导入', override: '调整', swap: '换班' };
    for (const a of await this.db.dutyAssignment.findMany({ where: { date: { gte: fromDay, lt: toDay } }, orderBy: [{ date: 'asc' }, { shiftId: 'asc' }] })) {
      roster.addRow([a.date, shifts.get(a.shiftId) ?? a.shiftId, this.name(a.personId), source[a.source] ?? a.source]);
    }
    const log = this.sheet(book, '交接班记录', [['日期', 12], ['班次', 8], ['交班', 8], ['接班', 8], ['状态', 10], ['交接内容', 50], ['提交', 12], ['确认', 12]]);
    for (const h of await this.db.handover.findMany({ where: { day: { gte: fromDay, lt: toDay } }, orderBy: { id: 'asc' } })) {
      const items = mask(Object.values((h.checklist as Record<string, string> | null) ?? {}).join('；'));
      log.addRow([h.day, shifts.get(h.shiftId) ?? h.shiftId, this.name(h.fromId), this.name(h.toId), { accepted: '已交接', submitted: '待接班', overdue: '超时未接', draft: '未提交' }[h.status] ?? h.status, items, this.time(h.submittedAt), this.time(h.acceptedAt)]);
    }
  }

  private async summary(book: ExcelJS.Workbook, from: Date, to: Date) {
    const tickets = await this.db.ticket.findMany({ where: { createdAt: { gte: from, lt: to } } });
    const group = (key: (x: (typeof tickets)[number]) => string) => {
      const m = new Map<string, typeof tickets>();
      for (const x of tickets) {
        const k = key(x);
        const list = m.get(k);
        if (list) list.push(x);
        else m.set(k, [x]);
      }
      return [...m].sort((a, b) => b[1].length - a[1].length);
    };
    for (const [title, key] of [['按科室', (x: (typeof tickets)[number]) => this.directory.departmentName(x.departmentId) ?? '未知'], ['按系统', (x: (typeof tickets)[number]) => x.system ?? '未分类']] as const) {
      const sheet = this.sheet(book, title, [[title.slice(1), 16], ['工单数', 8], ['已解决', 8], ['响应达标', 8], ['平均评分', 8], [t('report.summary.notServed'), 12]]);
      for (const [name, xs] of group(key)) {
        // Withdrawn, false alarms, duplicates and tickets needing nothing count apart, never as met or missed.
        const served = xs.filter((x) => !notServed(x));
        const met = served.filter((x) => x.claimedAt && x.claimedAt <= x.responseDueAt).length;
        const rated = xs.filter((x) => x.rating !== null);
        sheet.addRow([
          name, xs.length, served.filter((x) => x.resolvedAt).length, met,
          rated.length ? Math.round((rated.reduce((a, x) => a + x.rating!, 0) / rated.length) * 10) / 10 : '', xs.length - served.length,
        ]);
      }
    }
  }
}
