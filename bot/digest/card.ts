import type { Markdown } from '../chat/markdown.js';
import { t, tmd, type TextKey } from '../i18n/zh.js';
import type { Compliance, Outstanding } from './figures.js';
import type { Stats } from './service.js';

/** What the card's last lines cover: changes of which days, and today's duty when the digest is about today. */
export interface Outlook {
  changesLabel: 'today' | 'day' | 'week' | 'month';
  dutyToday?: string;
}

/** A span of time in the unit a person would say: minutes, hours, or days past two days. */
export function durationText(minutes: number): string {
  if (minutes < 1) return t('digest.duration.underMinute');
  if (minutes < 60) return t('duration.minutes', { n: Math.round(minutes) });
  if (minutes < 48 * 60) return t('duration.hours', { n: Math.round(minutes / 6) / 10 });
  return t('duration.days', { n: Math.round(minutes / 144) / 10 });
}

/** The five largest, then `其他 N` for the tickets of all the rest. */
export function topList(xs: { name: string; count: number }[]): string {
  const shown = xs.slice(0, 5).map((x) => `${x.name} ${x.count}`);
  const rest = xs.slice(5).reduce((sum, x) => sum + x.count, 0);
  if (rest > 0) shown.push(t('digest.others', { n: rest }));
  return shown.join('，') || '—';
}

const rateText = ({ rate, met, total }: Compliance) => (rate === null ? '—' : `${rate}%（${met}/${total}）`);
const meanText = (m: number | null) => (m === null ? '—' : durationText(m));
const outstandingText = (o: Outstanding, key: 'digest.unresponded' | 'digest.unresolved') =>
  o.count && o.longestMinutes !== null ? t(key, { n: o.count, longest: durationText(o.longestMinutes) }) : t(`${key}.none`);

const INCIDENT_STATE: Record<string, TextKey> = {
  open: 'digest.incident.unclaimed',
  claimed: 'digest.incident.claimed',
  resolved: 'digest.incident.resolved',
};

/** The digest's lines, in the order leadership reads them (before masking): bold labels, the figures and names as text. */
export function digestLines(s: Stats, outlook: Outlook): Markdown[] {
  const all = (xs: string[]) => (xs.length ? xs.join('；') : t('digest.none'));
  const incident = (i: Stats['incidents'][number]) => t('digest.incident', { ...i, status: t(INCIDENT_STATE[i.status] ?? 'digest.incident.claimed') });
  const { average, count } = s.satisfaction;
  return [
    tmd('digest.line.tickets', { opened: s.opened, ...s.byPriority, resolved: s.resolved, openNow: s.openNow }),
    ...(s.cancelled + s.closedAs.false_alarm + s.closedAs.duplicate + s.closedAs.not_needed > 0
      ? [tmd('digest.notServed', { cancelled: s.cancelled, ...s.closedAs })]
      : []),
    tmd('digest.line.departments', { list: topList(s.byDepartment) }),
    tmd('digest.line.systems', { list: topList(s.bySystem) }),
    tmd('digest.line.response', {
      rate: rateText(s.responseCompliance),
      mean: meanText(s.mttaMinutes),
      open: outstandingText(s.unresponded, 'digest.unresponded'),
    }),
    tmd('digest.line.resolution', {
      rate: rateText(s.resolutionCompliance),
      mean: meanText(s.mttrMinutes),
      open: outstandingText(s.unresolved, 'digest.unresolved'),
    }),
    tmd('digest.line.incidents', { list: all(s.incidents.map(incident)) }),
    ...monitoringLine(s.monitoring),
    tmd('digest.line.satisfaction', { value: average === null ? t('digest.satisfaction.none') : t('digest.satisfaction.value', { average, count }) }),
    tmd('digest.line.pending', {
      list: all(s.approvalsPending.slice(0, 5).map((a) => t('digest.pending', { number: a.number, title: a.title, hours: a.ageHours }))),
    }),
    tmd(`digest.line.changes.${outlook.changesLabel}`, { list: all(s.changesToday.map((c) => `${c.number} ${c.title}（${c.window}）`)) }),
    ...(outlook.dutyToday === undefined ? [] : [tmd('digest.line.duty', { duty: outlook.dutyToday })]),
    tmd('digest.line.missed', { n: s.remindersMissed }),
  ];
}

/** How often monitoring saw an outage before people reported it, and how far ahead: only where monitoring saw any. */
function monitoringLine(m: Stats['monitoring']): Markdown[] {
  if (m.withAlerts === 0 && m.monitoringFirst === 0) return [];
  const lead = m.meanLeadMinutes === null ? '' : t('digest.monitoring.lead', { lead: durationText(m.meanLeadMinutes) });
  return [tmd('digest.line.monitoring', { total: m.total, first: m.monitoringFirst, lead })];
}

/** One line per figure: how it is counted. */
export function digestFootnote(): string {
  const keys = [
    'digest.note.opened',
    'digest.note.response',
    'digest.note.resolution',
    'digest.note.outstanding',
    'digest.note.compliance',
    'digest.note.excluded',
  ] as const;
  return keys.map((k) => t(k)).join('\n');
}
