import type { Db } from '../db/client.js';
import type { IncidentFigures } from '../metrics.js';

/** How long monitoring saw an outage before its first report, in milliseconds (never below 0). */
const leadMs = (i: { firstAlertAt: Date | null; firstReportAt: Date | null }) =>
  i.firstAlertAt && i.firstReportAt ? Math.max(0, i.firstReportAt.getTime() - i.firstAlertAt.getTime()) : null;

/** The incidents' figures /metrics shows: how many by origin, and how far ahead monitoring was of the first report. */
export async function readIncidentFigures(db: Db): Promise<IncidentFigures> {
  const [origins, reported] = await Promise.all([
    db.incident.groupBy({ by: ['origin'], _count: { _all: true } }),
    db.incident.findMany({
      where: { origin: 'monitoring', firstReportAt: { not: null }, firstAlertAt: { not: null } },
      select: { firstAlertAt: true, firstReportAt: true },
    }),
  ]);
  const count = (origin: string) => origins.find((o) => o.origin === origin)?._count._all ?? 0;
  return {
    byOrigin: { monitoring: count('monitoring'), people: count('people') },
    alertLeadSeconds: reported.map((i) => leadMs(i)! / 1000),
  };
}

/** Of the incidents opened in [from, to): how many monitoring saw first, and its mean lead over the first report. */
export interface MonitoringFigures {
  /** Incidents opened in the period. */
  total: number;
  /** …of which opened by a monitoring alert. */
  monitoringFirst: number;
  /** …and some monitoring saw at all (an alert joined). */
  withAlerts: number;
  /** Mean minutes from the first alert to the first report, over those monitoring saw first that people reported; null when none. */
  meanLeadMinutes: number | null;
}

export function monitoringFigures(
  incidents: { origin: string; alertCount: number; firstAlertAt: Date | null; firstReportAt: Date | null }[],
): MonitoringFigures {
  const first = incidents.filter((i) => i.origin === 'monitoring');
  const leads = first.map(leadMs).filter((ms): ms is number => ms !== null);
  return {
    total: incidents.length,
    monitoringFirst: first.length,
    withAlerts: incidents.filter((i) => i.alertCount > 0).length,
    meanLeadMinutes: leads.length ? Math.round((leads.reduce((a, b) => a + b, 0) / leads.length / 60_000) * 10) / 10 : null,
  };
}
