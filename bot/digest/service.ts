import type { CardChart, OutgoingMessage } from '../chat/model.js';
import { mdJoin, mdMapText } from '../chat/markdown.js';
import { zonedInstant } from '../calendar.js';
import type { Clock } from '../clock.js';
import type { Tx } from '../db/client.js';
import type { DutyService } from '../duty/service.js';
import { BotError } from '../errors.js';
import type { Directory, Person } from '../org/directory.js';
import { PRIORITIES } from '../org/schema.js';
import { t } from '../i18n/zh.js';
import { monitoringFigures, type MonitoringFigures } from '../incidents/figures.js';
import { NOT_SERVED } from '../tickets/status.js';
import { localDate, localDateTime } from '../time.js';
import { digestFootnote, digestLines, type Outlook } from './card.js';
import { cohort, scopeWhere, timeliness, type TicketScope, type Timeliness } from './figures.js';
import { mask } from './mask.js';

export type Period = 'daily' | 'weekly' | 'monthly';
const DAY_MS = 24 * 60 * 60 * 1000;

/** A digest's period and what its last lines cover. */
export interface DigestSpan {
  kind: Period;
  from: Date;
  to: Date;
  /** The day (or days) in the title. */
  span: string;
  /** Changes whose window opens in [changesFrom, changesTo). */
  changesFrom: Date;
  changesTo: Date;
  changesLabel: Outlook['changesLabel'];
  /** Whether the digest is read on the day its duty line is about (today's digest, or yesterday's read this morning). */
  withDuty: boolean;
}

export interface Stats extends Timeliness {
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
  incidents: { number: string; system: string; priority: string; status: string }[];
  /** Of those incidents: how many monitoring saw first, and how far ahead of the first report. */
  monitoring: MonitoringFigures;
  satisfaction: { count: number; average: number | null };
  approvalsPending: { number: string; title: string; ageHours: number }[];
  changesToday: { number: string; title: string; window: string }[];
  remindersMissed: number;
}

const top = (m: Map<string, number>) => [...m].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count);

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

  /** The digest of one day: today so far, or a day gone by, with the changes and duty of the day it is read for. */
  daySpan(day: string, now = this.d.clock.now()): DigestSpan {
    const tz = this.d.timeZone;
    const today = localDate(now, tz);
    const from = zonedInstant(day, '00:00', tz);
    const next = new Date(from.getTime() + DAY_MS);
    const todayStart = zonedInstant(today, '00:00', tz);
    const recent = day === today || next.getTime() === todayStart.getTime();
    return {
      kind: 'daily',
      from,
      to: day === today ? now : next,
      span: day === today ? t('digest.span.soFar', { day, time: localDateTime(now, tz).slice(6) }) : day,
      changesFrom: recent ? todayStart : from,
      changesTo: recent ? new Date(todayStart.getTime() + DAY_MS) : next,
      changesLabel: recent ? 'today' : 'day',
      withDuty: recent,
    };
  }

  /** The span of the scheduled digest: yesterday, the last 7 days, or last month. */
  scheduledSpan(kind: Period, now = this.d.clock.now()): DigestSpan {
    const { from, to } = this.period(kind, now);
    if (kind === 'daily') return this.daySpan(localDate(from, this.d.timeZone), now);
    const tz = this.d.timeZone;
    const [y, m] = localDate(to, tz).split('-').map(Number);
    const nextMonth = m === 12 ? `${y! + 1}-01-01` : `${y}-${String(m! + 1).padStart(2, '0')}-01`;
    return {
      kind,
      from,
      to,
      span: t('digest.span', { from: localDate(from, tz), to: localDate(new Date(to.getTime() - 1), tz) }),
      changesFrom: to,
      changesTo: kind === 'weekly' ? new Date(to.getTime() + 7 * DAY_MS) : zonedInstant(nextMonth, '00:00', tz),
      changesLabel: kind === 'weekly' ? 'week' : 'month',
      withDuty: false,
    };
  }

  /**
   * The figures of [from, to): work still open when the period ends (or now, if sooner) counts as it stands then.
   * 未响应 / 未解决 are all the work open at that moment, also the work reported before the period.
   * With a scope, the tickets' figures (and the incidents of its system) are those of one department
   * and/or system; pending approvals, changes and missed reminders are not narrowed.
   */
  async stats(from: Date, to: Date, changes?: { from: Date; to: Date }, scope: TicketScope = {}): Promise<Stats> {
    const { tx, directory, clock } = this.d;
    // Counted and averaged in the database: a month of a busy hospital is tens of thousands of rows.
    const now = clock.now();
    const end = to < now ? to : now;
    const within = scopeWhere(scope);
    const opened = { createdAt: { gte: from, lt: to }, ...within };
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
    const served = { OR: [{ closeReason: null }, { closeReason: { notIn: [...NOT_SERVED] } }] };
    const [timely, resolved, openNow, rated, endings] = await Promise.all([
      timeliness(tx, from, end, scope),
      tx.ticket.count({ where: { resolvedAt: { gte: from, lt: end }, ...served, ...within } }),
      tx.ticket.count({ where: { status: { in: ['open', 'claimed'] }, ...within } }),
      tx.ticket.aggregate({
        where: { closedAt: { gte: from, lt: to }, rating: { not: null }, ...within },
        _count: { _all: true },
        _avg: { rating: true },
      }),
      tx.ticket.groupBy({ by: ['closeReason'], where: { ...opened, closeReason: { in: [...NOT_SERVED] } }, _count: { _all: true } }),
    ]);
    const ended = (reason: (typeof NOT_SERVED)[number]) => endings.find((e) => e.closeReason === reason)?._count._all ?? 0;
    const incidents = await tx.incident.findMany({
      where: {
        createdAt: { gte: from, lt: to },
        ...(scope.system ? { system: scope.system } : {}),
        ...(scope.departmentId ? { tickets: { some: { departmentId: scope.departmentId } } } : {}),
      },
      orderBy: { id: 'asc' },
    });
    const pending = await tx.approval.findMany({ where: { status: 'pending' }, orderBy: { createdAt: 'asc' }, take: 20 });
    const window = changes ?? { from: to, to: new Date(to.getTime() + DAY_MS) };
    const changed = await tx.approval.findMany({
      where: { type: 'change', status: 'approved', windowStart: { gte: window.from, lt: window.to } },
      orderBy: { windowStart: 'asc' },
    });
    const missed = await tx.reminderFire.count({ where: { fireAt: { gte: from, lt: to }, doneAt: null, level: { gte: 2 } } });
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      opened: openedCount,
      resolved,
      openNow,
      byPriority,
      byDepartment: top(depts),
      bySystem: top(systems),
      closedAs: { false_alarm: ended('false_alarm'), duplicate: ended('duplicate'), not_needed: ended('not_needed') },
      cancelled: ended('cancelled'),
      ...timely,
      incidents: incidents.map((i) => ({ number: i.number, system: i.system, priority: i.priority, status: i.status })),
      monitoring: monitoringFigures(incidents),
      satisfaction: { count: rated._count._all, average: rated._avg.rating === null ? null : Math.round(rated._avg.rating * 10) / 10 },
      approvalsPending: pending.map((a) => ({
        number: a.number,
        title: mask(a.title),
        ageHours: Math.round((clock.now().getTime() - a.createdAt.getTime()) / 360_000) / 10,
      })),
      changesToday: changed.map((c) => ({
        number: c.number,
        title: mask(c.title),
        window: `${localDateTime(c.windowStart!, this.d.timeZone)} – ${localDateTime(c.windowEnd!, this.d.timeZone)}`,
      })),
      remindersMissed: missed,
    };
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
      // Only the two figures the chart shows, not the whole digest of each day (nor its backlog).
      const [count, timely] = await Promise.all([
        tx.ticket.count({ where: { createdAt: { gte: from, lt: until } } }),
        cohort(tx, from, until < clock.now() ? until : clock.now()),
      ]);
      categories.push(localDate(from, this.d.timeZone).slice(5));
      opened.push(count);
      compliance.push(timely.responseCompliance.rate);
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

  /**
   * `日报` / `周报` / `月报` asked for in chat: it names pending requests and departments' figures, so only leadership and IT read it.
   * A daily digest is of `day`: today so far, yesterday, or a date like 2026-12-01.
   */
  async onDemand(kind: Period, reader: Person, day = 'today'): Promise<OutgoingMessage> {
    const { directory } = this.d;
    if (!directory.isItStaff(reader) && !directory.hasRole(reader, 'leadership', 'admin', 'vp_it')) {
      throw new BotError('not_allowed', { who: t('digest.readers'), what: t('digest.what.read') });
    }
    const now = this.d.clock.now();
    const named = { today: now, yesterday: new Date(now.getTime() - DAY_MS) } as Record<string, Date | undefined>;
    const date = named[day] ? localDate(named[day], this.d.timeZone) : day;
    const span = kind === 'daily' ? this.daySpan(date, now) : this.scheduledSpan(kind, now);
    return this.cardOf(span, span.withDuty ? await this.duty.todayText() : undefined);
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
    const span = this.scheduledSpan(kind);
    return this.cardOf(span, span.withDuty ? dutyToday : undefined);
  }

  async cardOf(span: DigestSpan, dutyToday: string | undefined): Promise<OutgoingMessage> {
    const s = await this.stats(span.from, span.to, { from: span.changesFrom, to: span.changesTo });
    const lines = digestLines(s, { changesLabel: span.changesLabel, dutyToday });
    return {
      type: 'card',
      card: {
        title: t('digest.card.title', { label: t(`digest.label.${span.kind}`), span: span.span }),
        color: 'blue',
        fields: [],
        markdown: mdMapText(mdJoin(lines), mask),
        note: digestFootnote(),
        chart: await this.week(span.kind === 'daily' ? new Date(span.from.getTime() + DAY_MS) : span.to),
        buttons: [],
      },
    };
  }
}
