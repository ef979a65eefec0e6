import { mdJoin, type Markdown } from '../chat/markdown.js';
import type { CardField, OutgoingMessage } from '../chat/model.js';
import type { Alert, Incident } from '../../generated/prisma/client.js';
import { t } from '../i18n/zh.js';
import type { Directory } from '../org/directory.js';
import { localDateTime } from '../time.js';

/** What an incident's cards show of one of its alerts. */
export type ShownAlert = Pick<Alert, 'status' | 'firedAt' | 'endsAt' | 'source' | 'summary'>;

/** How many of an incident's alerts the cards list, one line each (the rest are counted). */
export const ALERT_LINES = 5;

export const RECOVERY_ACTION = 'incident.recovered';
/** The kind of the engineers' message asking to confirm the incident resolved once its alerts recovered. */
export const RECOVERY = 'recovery';

const SUMMARY_CHARS = 80;
const short = (text: string) => (text.length > SUMMARY_CHARS ? `${text.slice(0, SUMMARY_CHARS - 1)}…` : text);

/**
 * The card fields of an incident monitoring has seen: who saw it first (an alert, or a report with
 * an alert since), and how its alerts stand: how many fire, or since when all have recovered.
 */
export function alertFields(incident: Incident, timeZone: string): CardField[] {
  if (incident.alertCount === 0 || !incident.firstAlertAt) return [];
  const time = localDateTime(incident.firstAlertAt, timeZone);
  const stand =
    incident.alertsFiring > 0
      ? t('incident.alerts.firing', { firing: incident.alertsFiring, count: incident.alertCount })
      : t('incident.alerts.recovered', {
          time: incident.alertsResolvedAt ? localDateTime(incident.alertsResolvedAt, timeZone) : '—',
          count: incident.alertCount,
        });
  return [
    { label: t('incident.field.origin'), value: t(incident.origin === 'monitoring' ? 'incident.origin.monitoring' : 'incident.origin.people', { time }) },
    { label: t('incident.field.alerts'), value: stand },
  ];
}

/** One line per alert (firing first): its state, since when, its source and what it says; the rest counted. */
export function alertLines(alerts: readonly ShownAlert[], total: number, timeZone: string): Markdown | undefined {
  if (alerts.length === 0) return undefined;
  const at = (d: Date) => localDateTime(d, timeZone);
  const lines = alerts
    .slice(0, ALERT_LINES)
    .map((a) =>
      a.status === 'firing'
        ? t('incident.alert.firing', { since: at(a.firedAt), source: a.source, summary: short(a.summary) })
        : t('incident.alert.resolved', { since: at(a.firedAt), until: a.endsAt ? at(a.endsAt).slice(6) : '—', source: a.source, summary: short(a.summary) }),
    );
  const rest = total - Math.min(alerts.length, ALERT_LINES);
  if (rest > 0) lines.push(t('incident.alert.more', { n: rest }));
  return mdJoin(lines);
}

/**
 * Where the engineers' question stands: asked (every alert recovered and stayed so since the
 * question); an alert firing again; recovered again but not settled yet; or the incident resolved.
 */
export function recoveryState(incident: Incident): 'asked' | 'firing' | 'settling' | 'resolved' {
  if (incident.status === 'resolved') return 'resolved';
  if (incident.alertsFiring > 0 || !incident.alertsResolvedAt) return 'firing';
  return incident.confirmAskedAt && incident.confirmAskedAt >= incident.alertsResolvedAt ? 'asked' : 'settling';
}

/**
 * The engineers' one question once every alert of the incident has recovered and stayed so: one
 * button confirms the incident resolved. Redrawn in place: without the button while an alert fires
 * again, and with who resolved it once it is resolved.
 */
export function recoveryCard(incident: Incident, directory: Directory, timeZone: string, settleMinutes: number): OutgoingMessage {
  const params = { number: incident.number, system: incident.system };
  const state = recoveryState(incident);
  const assignee = incident.assigneeId ? directory.person(incident.assigneeId) : undefined;
  const note = {
    resolved: () => t('incident.recovery.noteResolved', { engineer: assignee ? directory.callName(assignee) : '—', solution: incident.solution ?? '' }),
    firing: () => t('incident.recovery.noteFiring', { settle: settleMinutes }),
    settling: () => t('incident.recovery.noteSettling', { settle: settleMinutes }),
    asked: () => (incident.reportCount > 0 ? t('incident.recovery.note', { reports: incident.reportCount }) : t('incident.recovery.noteNoReports')),
  }[state]();
  const title = {
    resolved: 'incident.recovery.titleResolved',
    firing: 'incident.recovery.titleFiring',
    settling: 'incident.recovery.titleSettling',
    asked: 'incident.recovery.title',
  } as const;
  const firing = state === 'firing';
  return {
    type: 'card',
    card: {
      title: t(title[state], params),
      color: firing ? 'orange' : 'green',
      fields: [
        { label: t('incident.field.alerts'), value: alertFields(incident, timeZone)[1]?.value ?? '—' },
        ...(incident.alertsResolvedAt && !firing
          ? [{ label: t('incident.recovery.field.recoveredAt'), value: localDateTime(incident.alertsResolvedAt, timeZone) }]
          : []),
        { label: t('incident.field.reports'), value: String(incident.reportCount) },
      ],
      text: t('incident.recovery.text', { number: incident.number, count: incident.alertCount, settle: settleMinutes }),
      note,
      buttons:
        state !== 'asked'
          ? []
          : [
              {
                label: t('incident.recovery.button'),
                action: RECOVERY_ACTION,
                value: { incident: incident.number },
                style: 'primary',
                command: t('incident.recovery.command', { number: incident.number }),
              },
            ],
    },
  };
}
