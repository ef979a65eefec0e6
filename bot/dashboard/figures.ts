import type { Clock } from '../clock.js';
import { zonedInstant } from '../calendar.js';
import type { Tx } from '../db/client.js';
import { cohort, scopeWhere, type TicketScope } from '../digest/figures.js';
import { mask } from '../digest/mask.js';
import type { DigestService, Stats } from '../digest/service.js';
import type { DutyService } from '../duty/service.js';
import { t } from '../i18n/zh.js';
import type { Directory } from '../org/directory.js';
import { localDate, localDateTime } from '../time.js';
import { incidentRows, type IncidentRow } from './incidents.js';
import { addDays, daysFrom, type DashboardView } from './period.js';

export type { IncidentRow };

const DAY_MS = 24 * 60 * 60 * 1000;
/** Everything the dashboard shows for one view. `stats` is exactly what `/api/stats` answers for the same period and scope. */
export interface DashboardFigures {
  view: { from: string; to: string; department: { id: string; name: string } | null; system: string | null };
  /** The /api/stats query of the same figures (`to` exclusive). */
  statsQuery: { from: string; to: string; department?: string; system?: string };
  generatedAt: string;
  stats: Stats;
  byItGroup: { name: string; count: number }[];
  /** Day by day: tickets opened, and the response and resolution compliance of those tickets (null: none was due yet). */
  trend: { days: string[]; opened: number[]; response: (number | null)[]; resolution: (number | null)[] };
  /** The period's incidents, each with its timeline. */
  incidents: IncidentRow[];
  /** Approved changes whose window opens in the coming seven days. */
  changesWeek: { number: string; title: string; window: string }[];
  /** Who is on duty now, shift by shift. */
  dutyNow: { shift: string; name: string; phone: string | null; until: string }[];
  /** What the filters offer. */
  choices: { departments: { id: string; name: string }[]; systems: string[] };
}

/** The dashboard's figures: the digest's for the period, and what a page has room for beside them. */
export class DashboardFiguresService {
  constructor(
    private readonly d: { tx: Tx; directory: Directory; clock: Clock; timeZone: string },
    private readonly digest: DigestService,
    private readonly duty: DutyService,
  ) {}

  async of(view: DashboardView): Promise<DashboardFigures> {
    const { directory, timeZone } = this.d;
    const now = this.d.clock.now();
    const scope: TicketScope = { departmentId: view.department?.id, system: view.system };
    const stats = await this.digest.stats(view.from, view.to, undefined, scope);
    const statsQuery = {
      from: view.fromDay,
      to: addDays(view.toDay, 1),
      ...(view.department ? { department: view.department.id } : {}),
      ...(view.system ? { system: view.system } : {}),
    };
    return {
      view: { from: view.fromDay, to: view.toDay, department: view.department ?? null, system: view.system ?? null },
      statsQuery,
      generatedAt: now.toISOString(),
      stats,
      byItGroup: await this.byItGroup(view, scope),
      trend: await this.trend(view, scope, now),
      incidents: await incidentRows(
        this.d.tx,
        directory,
        stats.incidents.map((i) => i.number),
        now,
        timeZone,
      ),
      changesWeek: await this.changesWeek(now),
      dutyNow: (await this.duty.onDuty(now)).map((x) => ({
        shift: x.shift.name,
        name: x.person.name,
        phone: x.person.phone ?? null,
        until: localDateTime(x.end, timeZone),
      })),
      choices: {
        departments: directory.org.departments.map((d) => ({ id: d.id, name: d.name })),
        systems: directory.org.systems.map((s) => s.name),
      },
    };
  }

  private async byItGroup(view: DashboardView, scope: TicketScope) {
    const groups = await this.d.tx.ticket.groupBy({
      by: ['itGroupId'],
      where: { createdAt: { gte: view.from, lt: view.to }, ...scopeWhere(scope) },
      _count: { _all: true },
    });
    return groups
      .map((g) => ({ name: this.d.directory.itGroupName(g.itGroupId) ?? t('dashboard.noGroup'), count: g._count._all }))
      .sort((a, b) => b.count - a.count);
  }

  /** Each day of the view (those begun by now): its tickets and how they fared, as the digest's week chart reckons it. */
  private async trend(view: DashboardView, scope: TicketScope, now: Date) {
    const trend: DashboardFigures['trend'] = { days: [], opened: [], response: [], resolution: [] };
    const days = daysFrom(view.fromDay, view.toDay) + 1;
    for (let i = 0; i < days; i++) {
      const day = addDays(view.fromDay, i);
      const from = zonedInstant(day, '00:00', this.d.timeZone);
      if (from >= now) break;
      const until = new Date(Math.min(zonedInstant(addDays(day, 1), '00:00', this.d.timeZone).getTime(), now.getTime()));
      const [opened, timely] = await Promise.all([
        this.d.tx.ticket.count({ where: { createdAt: { gte: from, lt: until }, ...scopeWhere(scope) } }),
        cohort(this.d.tx, from, until, scope),
      ]);
      trend.days.push(day.slice(5));
      trend.opened.push(opened);
      trend.response.push(timely.responseCompliance.rate);
      trend.resolution.push(timely.resolutionCompliance.rate);
    }
    return trend;
  }

  private async changesWeek(now: Date) {
    const from = zonedInstant(localDate(now, this.d.timeZone), '00:00', this.d.timeZone);
    const changes = await this.d.tx.approval.findMany({
      where: { type: 'change', status: 'approved', windowStart: { gte: from, lt: new Date(from.getTime() + 7 * DAY_MS) } },
      orderBy: { windowStart: 'asc' },
      take: 50,
    });
    return changes.map((c) => ({
      number: c.number,
      title: mask(c.title),
      window: `${localDateTime(c.windowStart!, this.d.timeZone)} – ${localDateTime(c.windowEnd!, this.d.timeZone)}`,
    }));
  }
}
