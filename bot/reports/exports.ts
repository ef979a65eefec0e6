import type ExcelJS from 'exceljs';
import type { Db } from '../db/client.js';
import { mask } from '../digest/mask.js';
import { KINDS } from '../approvals/kinds.js';
import type { ApprovalType } from '../org/approvals-schema.js';
import type { Directory } from '../org/directory.js';
import { scoped, t, textFor } from '../i18n/zh.js';
import { notServed, statusText } from '../tickets/status.js';
import { localDate, localDateTime } from '../time.js';
import { ensureKnown } from '../people/store.js';
import { AssetRegisters } from './asset-registers.js';
import { addSheet } from './sheet.js';

export const REPORTS = {
  'fault-register': t('report.name.fault-register'),
  'approvals-register': t('report.name.approvals-register'),
  'duty-log': t('report.name.duty-log'),
  'monthly-summary': t('report.name.monthly-summary'),
  'repair-forms': t('report.name.repair-forms'),
  'asset-quarterly': t('report.name.asset-quarterly'),
} as const;
export type ReportName = keyof typeof REPORTS;

/** The register of this name, when there is one: its own names only, never what every object inherits (constructor, __proto__, toString). */
export function reportNamed(name: string): ReportName | undefined {
  return Object.hasOwn(REPORTS, name) ? (name as ReportName) : undefined;
}

/** A column's header. */
const C = scoped('report.column');
const status = (value: string) => textFor('report.status', value) ?? value;

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
    else if (name === 'repair-forms') await new AssetRegisters(this.db, this.directory, this.timeZone).repairForms(book, from, to);
    else if (name === 'asset-quarterly') await new AssetRegisters(this.db, this.directory, this.timeZone).quarterly(book, from, to);
    else await this.summary(book, from, to);
    return Buffer.from(await book.xlsx.writeBuffer());
  }

  private sheet(book: ExcelJS.Workbook, title: string, columns: [string, number][]) {
    return addSheet(book, title, columns);
  }

  private time(d: Date | null | undefined): string {
    return d ? localDateTime(d, this.timeZone) : '';
  }

  private name(id: string | null | undefined): string {
    return id ? (this.directory.person(id)?.name ?? id) : '';
  }

  private async faults(book: ExcelJS.Workbook, from: Date, to: Date) {
    const sheet = this.sheet(book, REPORTS['fault-register'], [
      [C('ticket'), 18],
      [C('reportedAt'), 12],
      [C('department'), 10],
      [C('reporter'), 8],
      [C('location'), 16],
      [C('asset'), 10],
      [C('system'), 10],
      [C('description'), 40],
      [C('priority'), 6],
      [C('responseDue'), 12],
      [C('claimedAt'), 12],
      [C('assignee'), 8],
      [C('resolvedAt'), 12],
      [C('solution'), 30],
      [C('parts'), 16],
      [C('status'), 14],
      [C('rating'), 6],
      [t('report.fault.closeNote'), 30],
    ]);
    const tickets = await this.db.ticket.findMany({
      where: { createdAt: { gte: from, lt: to } },
      orderBy: { id: 'asc' },
      include: { events: { where: { type: { in: ['parts', 'closed'] } }, orderBy: { id: 'asc' } } },
    });
    // Reporters remembered from a platform's directory (by another instance too) are named, not shown by id.
    await ensureKnown(this.db, this.directory, [...new Set(tickets.flatMap((x) => [x.reporterId, x.assigneeId]))]);
    for (const x of tickets) {
      const parts = x.events.filter((e) => e.type === 'parts').map((e) => (e.data as { parts?: string }).parts);
      const closeNote =
        x.events
          .filter((e) => e.type === 'closed')
          .map((e) => (e.data as { note?: string }).note)
          .filter(Boolean)
          .at(-1) ?? '';
      sheet.addRow([
        x.number,
        this.time(x.createdAt),
        this.directory.departmentName(x.departmentId) ?? '',
        this.name(x.reporterId),
        x.location ?? '',
        x.assetNumber ?? '',
        x.system ?? '',
        mask(x.description),
        x.priority,
        this.time(x.responseDueAt),
        this.time(x.claimedAt),
        this.name(x.assigneeId),
        this.time(x.resolvedAt),
        mask(x.solution ?? ''),
        parts.join('；'),
        x.status === 'closed' ? statusText(x) : status(x.status),
        x.rating ?? '',
        mask(closeNote),
      ]);
    }
  }

  private async approvals(book: ExcelJS.Workbook, from: Date, to: Date) {
    const sheet = this.sheet(book, REPORTS['approvals-register'], [
      [C('approval'), 16],
      [C('type'), 12],
      [C('requester'), 8],
      [C('subject'), 40],
      [C('submittedAt'), 12],
      [C('status'), 8],
      [C('trail'), 60],
      [C('decidedAt'), 12],
    ]);
    const rows = await this.db.approval.findMany({
      where: { createdAt: { gte: from, lt: to } },
      orderBy: { id: 'asc' },
      include: { steps: { orderBy: [{ stage: 'asc' }, { id: 'asc' }], include: { decisions: true } } },
    });
    for (const a of rows) {
      const trail = a.steps
        .flatMap((s) =>
          s.decisions.map((d) => {
            const by = d.actorId !== d.approverId ? t('report.trail.onBehalf', { name: this.name(d.actorId) }) : '';
            const verb = t(d.decision === 'reject' ? 'report.decision.reject' : d.decision === 'done' ? 'report.decision.done' : 'report.decision.approve');
            return `${s.name}：${this.name(d.approverId)}${by} ${verb} ${this.time(d.createdAt)}`;
          }),
        )
        .join('\n');
      sheet.addRow([
        a.number,
        KINDS[a.type as ApprovalType]?.label ?? a.type,
        this.name(a.requesterId),
        mask(a.title),
        this.time(a.createdAt),
        status(a.status),
        trail,
        this.time(a.decidedAt),
      ]);
    }
  }

  private async duty(book: ExcelJS.Workbook, from: Date, to: Date) {
    const roster = this.sheet(book, t('report.sheet.roster'), [
      [C('date'), 12],
      [C('shift'), 8],
      [C('onDuty'), 8],
      [C('source'), 8],
    ]);
    const fromDay = localDate(from, this.timeZone);
    const toDay = localDate(to, this.timeZone);
    const shifts = new Map(this.directory.org.duty.shifts.map((s) => [s.id, s.name]));
    for (const a of await this.db.dutyAssignment.findMany({ where: { date: { gte: fromDay, lt: toDay } }, orderBy: [{ date: 'asc' }, { shiftId: 'asc' }] })) {
      roster.addRow([a.date, shifts.get(a.shiftId) ?? a.shiftId, this.name(a.personId), textFor('report.source', a.source) ?? a.source]);
    }
    const log = this.sheet(book, t('report.sheet.handovers'), [
      [C('date'), 12],
      [C('shift'), 8],
      [C('from'), 8],
      [C('to'), 8],
      [C('status'), 10],
      [C('handedOver'), 50],
      [C('submitted'), 12],
      [C('accepted'), 12],
    ]);
    for (const h of await this.db.handover.findMany({ where: { day: { gte: fromDay, lt: toDay } }, orderBy: { id: 'asc' } })) {
      const items = mask(Object.values((h.checklist as Record<string, string> | null) ?? {}).join('；'));
      log.addRow([
        h.day,
        shifts.get(h.shiftId) ?? h.shiftId,
        this.name(h.fromId),
        this.name(h.toId),
        textFor('report.handover', h.status) ?? h.status,
        items,
        this.time(h.submittedAt),
        this.time(h.acceptedAt),
      ]);
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
    type Row = (typeof tickets)[number];
    const sheets = [
      [t('report.sheet.byDepartment'), C('department'), (x: Row) => this.directory.departmentName(x.departmentId) ?? t('report.unknownDepartment')],
      [t('report.sheet.bySystem'), C('systemName'), (x: Row) => x.system ?? t('digest.unclassified')],
    ] as const;
    for (const [title, header, key] of sheets) {
      const sheet = this.sheet(book, title, [
        [header, 16],
        [C('tickets'), 8],
        [C('resolved'), 8],
        [C('met'), 8],
        [C('averageRating'), 8],
        [t('report.summary.notServed'), 12],
      ]);
      for (const [name, xs] of group(key)) {
        // Withdrawn, false alarms, duplicates and tickets needing nothing count apart, never as met or missed.
        const served = xs.filter((x) => !notServed(x));
        const met = served.filter((x) => x.claimedAt && x.claimedAt <= x.responseDueAt).length;
        const rated = xs.filter((x) => x.rating !== null);
        sheet.addRow([
          name,
          xs.length,
          served.filter((x) => x.resolvedAt).length,
          met,
          rated.length ? Math.round((rated.reduce((a, x) => a + x.rating!, 0) / rated.length) * 10) / 10 : '',
          xs.length - served.length,
        ]);
      }
    }
  }
}
