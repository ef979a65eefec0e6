import type { Tx } from '../db/client.js';
import { t, textFor } from '../i18n/zh.js';
import { incidentDetail } from '../incidents/views.js';
import type { TimelineEntry } from '../incidents/timeline.js';
import type { Directory } from '../org/directory.js';
import { localDateTime } from '../time.js';

/**
 * The period's incidents as the dashboard shows them: the incident detail view's figures (the same
 * reports, departments and durations as GET /api/incidents/:number) and its merged timeline, told in
 * words. Texts come masked from the detail view.
 */

/** One step of an outage's history as the page shows it. */
export interface TimelineStep {
  /** Local time, `11-25 09:12`. */
  at: string;
  /** `incident.open`, `ticket.created` …: what the page and a check tell steps apart by. */
  type: string;
  /** The step in words: 认定为重大故障, 报修 … */
  what: string;
  /** Who took it; null for the bot's own steps (opening, escalating, paging). */
  actor: string | null;
  /** The reports it happened to: several when one step touched them together (每份报修都并入故障). */
  tickets: string[];
  /** What it said: the progress, the solution, the priority change … */
  detail: string;
}

/** One monitoring alert of an incident as the page shows it. */
export interface IncidentAlertRow {
  /** firing | resolved: what the page colours it by. */
  status: string;
  /** 告警中 / 已恢复 */
  statusText: string;
  /** 已通知值班 / 变更窗口内静默 / 未对应到系统 */
  stateText: string;
  source: string;
  priority: string;
  summary: string;
  /** Local time of its current firing, `11-25 09:12`. */
  since: string;
  /** Local time it resolved; null while it fires. */
  until: string | null;
  flaps: number;
}

export interface IncidentRow {
  number: string;
  /** monitoring | people: who saw it first. */
  origin: string;
  /** 监控先发现 / 人工先报告 */
  originText: string;
  title: string;
  system: string;
  priority: string;
  status: string;
  reports: number;
  /** The departments it was reported from (a reporter without one by name). */
  departments: string[];
  assignee: string | null;
  solution: string | null;
  startedAt: string;
  claimedAt: string | null;
  resolvedAt: string | null;
  /** Minutes from the first report to the first claim (of the incident or one of its reports). */
  responseMinutes: number | null;
  /** Minutes from the first report to its resolution; null while it lasts. */
  resolutionMinutes: number | null;
  /** Minutes it is (was) open. */
  durationMinutes: number;
  ongoing: boolean;
  /** Its monitoring alerts, by their start. */
  alerts: IncidentAlertRow[];
  timeline: TimelineStep[];
}

const PRIORITY = /^P[1-4]$/;
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const local = (iso: string | null, timeZone: string) => (iso ? localDateTime(new Date(iso), timeZone) : null);

/** Someone a step names: a person of the directory by name, the leadership group by its name, else as stored. */
function named(directory: Directory, id: unknown): string | undefined {
  if (typeof id !== 'string' || !id) return undefined;
  if (id === 'leadership') return t('ticket.escalation.leadership');
  return directory.person(id)?.name ?? id;
}

/** What a step carried, in words (its texts already masked). */
export function detailOf(directory: Directory, entry: Pick<TimelineEntry, 'source' | 'type' | 'data'>): string {
  const d = entry.data !== null && typeof entry.data === 'object' && !Array.isArray(entry.data) ? (entry.data as Record<string, unknown>) : {};
  if (entry.source === 'alert') {
    const parts = [text(d.source), PRIORITY.test(String(d.priority)) ? String(d.priority) : undefined, text(d.summary)];
    if (typeof d.flaps === 'number' && d.flaps > 0 && entry.type === 'refired') parts.push(t('dashboard.alert.flaps', { n: d.flaps }));
    return parts.filter(Boolean).join(' · ');
  }
  if (entry.source === 'incident' && entry.type === 'open') {
    return t('dashboard.detail.opened', { system: String(d.system ?? ''), priority: String(d.priority ?? ''), reports: Number(d.reports ?? 0) });
  }
  const parts: string[] = [];
  if (typeof d.what === 'string' && typeof d.level === 'number') {
    parts.push(t('dashboard.detail.escalated', { what: textFor('ticket.escalation', d.what) ?? d.what, level: d.level }));
  }
  if (PRIORITY.test(String(d.from)) && PRIORITY.test(String(d.to))) parts.push(t('dashboard.detail.priority', { from: String(d.from), to: String(d.to) }));
  else if (entry.type === 'priority_changed' && PRIORITY.test(String(d.priority))) parts.push(`→ ${String(d.priority)}`);
  const people = (Array.isArray(d.to) ? d.to : PRIORITY.test(String(d.to)) ? [] : [d.to]).map((id) => named(directory, id)).filter(Boolean);
  if (people.length > 0) parts.push(t('dashboard.detail.to', { people: people.join('、') }));
  if (text(d.into)) parts.push(t('dashboard.detail.into', { number: text(d.into)! }));
  if (entry.type === 'merged_in' && text(d.from)) parts.push(t('dashboard.detail.from', { number: text(d.from)! }));
  if (typeof d.rating === 'number') parts.push(t('dashboard.detail.rating', { rating: d.rating }));
  if (entry.type === 'closed' && text(d.reason)) parts.push(textFor('ticket.close', text(d.reason))?.replace('{of}', text(d.of) ?? '') ?? text(d.reason)!);
  else if (text(d.reason)) parts.push(text(d.reason)!);
  for (const key of ['text', 'solution', 'note', 'comment', 'parts'] as const) if (text(d[key])) parts.push(text(d[key])!);
  return parts.join('；');
}

/** The merged timeline in words; the same step of several reports at the same minute is one line naming them. */
export function stepsOf(directory: Directory, timeline: TimelineEntry[], timeZone: string): TimelineStep[] {
  const steps: TimelineStep[] = [];
  for (const entry of timeline) {
    const step: TimelineStep = {
      at: localDateTime(new Date(entry.at), timeZone),
      type: `${entry.source}.${entry.type}`,
      what: textFor(`dashboard.step.${entry.source}`, entry.type) ?? entry.type,
      actor: entry.actor?.name ?? null,
      tickets: entry.ticket ? [entry.ticket] : [],
      detail: detailOf(directory, entry),
    };
    const last = steps.at(-1);
    if (
      last &&
      entry.ticket &&
      last.tickets.length > 0 &&
      last.at === step.at &&
      last.type === step.type &&
      last.actor === step.actor &&
      last.detail === step.detail
    ) {
      last.tickets.push(entry.ticket);
      continue;
    }
    steps.push(step);
  }
  return steps;
}

/** The incidents of these numbers, in that order, each with its timeline. */
export async function incidentRows(tx: Tx, directory: Directory, numbers: string[], now: Date, timeZone: string): Promise<IncidentRow[]> {
  const rows: IncidentRow[] = [];
  for (const number of numbers) {
    const detail = await incidentDetail(tx, directory, number, now);
    if (!detail) continue;
    const { durations } = detail;
    rows.push({
      number: detail.number,
      origin: detail.origin,
      originText: textFor('dashboard.origin', detail.origin) ?? detail.origin,
      title: detail.title,
      system: detail.system,
      priority: detail.priority,
      status: detail.status,
      reports: detail.reports,
      departments: detail.departments.map((d) => d.name ?? d.reporter?.name ?? ''),
      assignee: detail.assignee?.name ?? null,
      solution: detail.solution,
      startedAt: local(durations.since, timeZone)!,
      claimedAt: local(detail.claimedAt, timeZone),
      resolvedAt: local(detail.resolvedAt, timeZone),
      responseMinutes: durations.toFirstClaimMinutes,
      resolutionMinutes: durations.toResolutionMinutes,
      durationMinutes: durations.openMinutes,
      ongoing: detail.resolvedAt === null,
      alerts: detail.alertList.map((a) => ({
        status: a.status,
        statusText: textFor('dashboard.alert.status', a.status) ?? a.status,
        stateText: textFor('dashboard.alert.state', a.state) ?? a.state,
        source: a.source,
        priority: a.priority,
        summary: a.summary,
        since: local(a.firedAt, timeZone)!,
        until: a.status === 'resolved' ? local(a.endsAt, timeZone) : null,
        flaps: a.flaps,
      })),
      timeline: stepsOf(directory, detail.timeline, timeZone),
    });
  }
  return rows;
}
