import type { CardChart, OutgoingMessage } from '../chat/model.js';
import { zonedInstant } from '../calendar.js';
import type { Clock } from '../clock.js';
import { providerOf, type Tx } from '../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { DutyService } from '../duty/service.js';
import { BotError } from '../errors.js';
import type { Directory, Person } from '../org/directory.js';
import { PRIORITIES } from '../org/schema.js';
import { t } from '../i18n/zh.js';
import { NOT_SERVED } from '../tickets/status.js';
import { localDate, localDateTime } from '../time.js';
import { mask } from './mask.js';

export type Period = 'daily' | 'weekly' | 'monthly';
const DAY_MS = 24 * 60 * 60 * 1000;

export interface Stats {
  from: string;
  to: string;
  opened: number;
  resolved: number;
  openNow: number;
  byPriority: Record<string, number>;
  byDepartment: { name: string; count: number }[];
  bySystem: { name: string; count: number }[];
  /** Tickets opened in the period that ended without a service given: closed by an engineer as … */
  closedAs: { false_alarm: number; duplicate: number; not_needed: number };
  /** … or withdrawn by the reporter. None of these counts in compliance, MTTA or MTTR. */
  cancelled: number;
  responseCompliance: { met: number; total: number; rate: number | null };
  mttaMinutes: number | null;
  mttrMinutes: number | null;
  incidents: { number: string; system: string; priority: string; status: string }[];
  satisfaction: { count: number; average: number | null };
  approvalsPending: { number: string; title: string; ageHours: number }[];
  changesToday: { number: string; title: string; window: string }[];
  remindersMissed: number;
}

/** Mean minutes from a ticket's creation to `done`, to one decimal. */
const minutes = (d: { count: number; sumMs: number }) => (d.count ? Math.round((d.sumMs / d.count / 60_000) * 10) / 10 : null);
const top = (m: Map<string, number>) => [...m].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count);

/** The numbers leadership reads: tickets, deadlines kept, speed, incidents, satisfaction, approvals, changes. */
/** Responses in time, in per cent to one decimal; null when none was due. */
function complianceRate(response: { met: number; due: number }): number | null {
  return response.due ? Math.round((response.met / response.due) * 1000) / 10 : null;
}

export class DigestService {
  constructor(
    private readonly d: { tx: Tx; directory: Directory; clock: Clock; timeZone: string },
    private readonly duty: DutyService,
  ) {}

  /** The period a digest covers, ending at the start of today (local): yesterday, the last 7 days, last month. */
  period(kind: Period, now = this.d.clock.now()): { from: Date; to: Date } {
    const tz = this.d.timeZone;
    const today = localDate(now, tz);
    const to = zonedInstant(today, '00:00', tz);
    if (kind === 'daily') return { from: new Date(to.getTime() - DAY_MS), to };
    if (kind === 'weekly') return { from: new Date(to.getTime() - 7 * DAY_MS), to };
    const [y, m] = today.split('-').map(Number);
    const first = zonedInstant(`${y}-${String(m).padStart(2, '0')}-01`, '00:00', tz);
    const prev = m === 1 ? `${y! - 1}-12-01` : `${y}-${String(m! - 1).padStart(2, '0')}-01`;
    return { from: zonedInstant(prev, '00:00', tz), to: first };
  }

  async stats(from: Date, to: Date): Promise<Stats> {
    const { tx, directory, clock } = this.d;
    // Counted and averaged in the database: a month of a busy hospital is tens of thousands of rows.
    const now = clock.now();
    const opened = { createdAt: { gte: from, lt: to } };
    const groups = await tx.ticket.groupBy({
      by: ['priority', 'departmentId', 'system'],
      where: opened,
      _count: { _all: true },
      _min: { createdAt: true, id: true },
    });
    // Names in the order they first appear, as the tickets came in; then the most frequent first.
    groups.sort((a, b) => +a._min.createdAt! - +b._min.createdAt! || a._min.id! - b._min.id!);
    const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<string, number>;
    const depts = new Map<string, number>();
    const systems = new Map<string, number>();
    let openedCount = 0;
    for (const g of groups) {
      const n = g._count._all;
      openedCount += n;
      if (g.priority in byPriority) byPriority[g.priority] = (byPriority[g.priority] ?? 0) + n;
      const dept = directory.departmentName(g.departmentId) ?? t('digest.unknownDepartment');
      depts.set(dept, (depts.get(dept) ?? 0) + n);
      const system = g.system ?? t('digest.unclassified');
      systems.set(system, (systems.get(system) ?? 0) + n);
    }
    const [response, resolution, openNow, rated, endings] = await Promise.all([
      this.durations(tx, 'createdAt', 'claimedAt', from, to, now),
      this.durations(tx, 'resolvedAt', 'resolvedAt', from, to, now),
      tx.ticket.count({ where: { status: { in: ['open', 'claimed'] } } }),
      tx.ticket.aggregate({ where: { closedAt: { gte: from, lt: to }, rating: { not: null } }, _count: { _all: true }, _avg: { rating: true } }),
      tx.ticket.groupBy({ by: ['closeReason'], where: { ...opened, closeReason: { in: [...NOT_SERVED] } }, _count: { _all: true } }),
    ]);
    const ended = (reason: (typeof NOT_SERVED)[number]) => endings.find((e) => e.closeReason === reason)?._count._all ?? 0;
    const incidents = await tx.incident.findMany({ where: { createdAt: { gte: from, lt: to } }, orderBy: { id: 'asc' } });
    const pending = await tx.approval.findMany({ where: { status: 'pending' }, orderBy: { createdAt: 'asc' }, take: 20 });
    const todayEnd = new Date(to.getTime() + DAY_MS);
    const changes = await tx.approval.findMany({ where: { type: 'change', status: 'approved', windowStart: { gte: to, lt: todayEnd } } });
    const missed = await tx.reminderFire.count({ where: { fireAt: { gte: from, lt: to }, doneAt: null, level: { gte: 2 } } });
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      opened: openedCount,
      resolved: resolution.count,
      openNow,
      byPriority,
      byDepartment: top(depts),
      bySystem: top(systems),
      closedAs: { false_alarm: ended('false_alarm'), duplicate: ended('duplicate'), not_needed: ended('not_needed') },
      cancelled: ended('cancelled'),
      responseCompliance: { met: response.met, total: response.due, rate: complianceRate(response) },
      mttaMinutes: minutes(response),
      mttrMinutes: minutes(resolution),
      incidents: incidents.map((i) => ({ number: i.number, system: i.system, priority: i.priority, status: i.status })),
      satisfaction: { count: rated._count._all, average: rated._avg.rating === null ? null : Math.round(rated._avg.rating * 10) / 10 },
      approvalsPending: pending.map((a) => ({
        number: a.number,
        title: mask(a.title),
        ageHours: Math.round((clock.now().getTime() - a.createdAt.getTime()) / 360_000) / 10,
      })),
      changesToday: changes.map((c) => ({
        number: c.number,
        title: mask(c.title),
        window: `${localDateTime(c.windowStart!, this.d.timeZone)} – ${localDateTime(c.windowEnd!, this.d.timeZone)}`,
      })),
      remindersMissed: missed,
    };
  }

  /**
   * Tickets whose `period` column falls in [from, to): how many reached `done`, the milliseconds from
   * creation to `done` summed, and (for responses) how many were due by now and answered in time.
   * SQLite keeps times as ISO text (same zone suffix, so they compare as text); PostgreSQL as timestamps.
   * Tickets withdrawn or closed as false alarms, duplicates or needing nothing are left out: nothing was owed.
   */
  private async durations(tx: Tx, period: 'createdAt' | 'resolvedAt', done: 'claimedAt' | 'resolvedAt', from: Date, to: Date, now: Date) {
    const pg = providerOf(tx) === 'postgresql';
    const col = (c: string) => Prisma.raw(`"${c}"`);
    const ms = pg
      ? Prisma.sql`EXTRACT(EPOCH FROM (${col(done)} - "createdAt")) * 1000`
      : Prisma.sql`ROUND((julianday(${col(done)}) - julianday("createdAt")) * 86400000)`;
    const [row] = await tx.$queryRaw<{ count: unknown; sumMs: unknown; due: unknown; met: unknown }[]>`
      SELECT COUNT(${col(done)}) AS "count",
             SUM(CASE WHEN ${col(done)} IS NOT NULL THEN ${ms} END) AS "sumMs",
             SUM(CASE WHEN "claimedAt" IS NOT NULL OR "responseDueAt" < ${now} THEN 1 ELSE 0 END) AS "due",
             SUM(CASE WHEN "claimedAt" <= "responseDueAt" THEN 1 ELSE 0 END) AS "met"
      FROM "Ticket" WHERE ${col(period)} >= ${from} AND ${col(period)} < ${to}
        AND ("closeReason" IS NULL OR "closeReason" NOT IN (${Prisma.join([...NOT_SERVED])}))`;
    const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(String(v)));
    return { count: num(row?.count), sumMs: num(row?.sumMs), due: num(row?.due), met: num(row?.met) };
  }

  /** The seven days before `to`: tickets opened and response compliance per day. */
  async week(to: Date): Promise<CardChart> {
    const categories: string[] = [];
    const opened: number[] = [];
    const compliance: (number | null)[] = [];
    const { tx, clock } = this.d;
    for (let i = 7; i >= 1; i--) {
      const from = new Date(to.getTime() - i * DAY_MS);
      const until = new Date(from.getTime() + DAY_MS);
      // Only the two figures the chart shows, not the whole digest of each day.
      const [count, response] = await Promise.all([
        tx.ticket.count({ where: { createdAt: { gte: from, lt: until } } }),
        this.durations(tx, 'createdAt', 'claimedAt', from, until, clock.now()),
      ]);
      categories.push(localDate(from, this.d.timeZone).slice(5));
      opened.push(count);
      compliance.push(complianceRate(response));
    }
    return {
      title: t('digest.chart.title'),
      categories,
      series: [
        { name: t('digest.chart.opened'), kind: 'bar', values: opened },
        { name: t('digest.chart.compliance'), kind: 'line', values: compliance, unit: '%' },
      ],
    };
  }

  /** `日报` / `周报` / `月报` asked for in chat: it names pending requests and departments' figures, so only leadership and IT read it. */
  async onDemand(kind: Period, reader: Person): Promise<OutgoingMessage> {
    const { directory } = this.d;
    if (!directory.isItStaff(reader) && !directory.hasRole(reader, 'leadership', 'admin', 'vp_it')) {
      throw new BotError('not_allowed', { who: t('digest.readers'), what: t('digest.what.read') });
    }
    return this.card(kind, await this.duty.todayText());
  }

  /** `导出 故障台账 2026-11`: the month a register covers (this month unless one is named), for leadership and IT only. */
  exportMonth(reader: Person, month: string): string {
    const { directory } = this.d;
    if (!directory.isItStaff(reader) && !directory.hasRole(reader, 'leadership', 'admin')) {
      throw new BotError('not_allowed', { who: t('digest.readers'), what: t('report.what.export') });
    }
    return month || localDate(this.d.clock.now(), this.d.timeZone).slice(0, 7);
  }

  /** The digest card for leadership (numbers only; names and numbers of patients never appear). */
  async card(kind: Period, dutyToday: string): Promise<OutgoingMessage> {
    const { from, to } = this.period(kind);
    const s = await this.stats(from, to);
    const tz = this.d.timeZone;
    const span = kind === 'daily' ? localDate(from, tz) : t('digest.span', { from: localDate(from, tz), to: localDate(new Date(to.getTime() - 1), tz) });
    const list = (xs: { name: string; count: number }[]) =>
      xs
        .slice(0, 5)
        .map((x) => `${x.name} ${x.count}`)
        .join('，') || '—';
    const all = (xs: string[]) => (xs.length ? xs.join('；') : t('digest.none'));
    const { rate, met, total } = s.responseCompliance;
    const incident = (i: Stats['incidents'][number]) =>
      t('digest.incident', { ...i, status: t(i.status === 'resolved' ? 'digest.incident.resolved' : 'digest.incident.open') });
    const { average, count } = s.satisfaction;
    const lines = [
      t('digest.line.tickets', { opened: s.opened, ...s.byPriority, resolved: s.resolved, openNow: s.openNow }),
      ...(s.cancelled + s.closedAs.false_alarm + s.closedAs.duplicate + s.closedAs.not_needed > 0
        ? [t('digest.notServed', { cancelled: s.cancelled, ...s.closedAs })]
        : []),
      t('digest.line.departments', { list: list(s.byDepartment) }),
      t('digest.line.systems', { list: list(s.bySystem) }),
      t('digest.line.compliance', { rate: rate === null ? '—' : `${rate}%（${met}/${total}）`, mtta: s.mttaMinutes ?? '—', mttr: s.mttrMinutes ?? '—' }),
      t('digest.line.incidents', { list: all(s.incidents.map(incident)) }),
      t('digest.line.satisfaction', { value: average === null ? t('digest.satisfaction.none') : t('digest.satisfaction.value', { average, count }) }),
      t('digest.line.pending', {
        list: all(s.approvalsPending.slice(0, 5).map((a) => t('digest.pending', { number: a.number, title: a.title, hours: a.ageHours }))),
      }),
      t('digest.line.changes', { list: all(s.changesToday.map((c) => `${c.number} ${c.title}（${c.window}）`)) }),
      t('digest.line.duty', { duty: dutyToday }),
      t('digest.line.missed', { n: s.remindersMissed }),
    ];
    return {
      type: 'card',
      card: {
        title: t('digest.card.title', { label: t(`digest.label.${kind}`), span }),
        color: 'blue',
        fields: [],
        markdown: mask(lines.join('\n')),
        chart: await this.week(to),
        buttons: [],
      },
    };
  }
}
