import type { OutgoingMessage } from '../chat/model.js';
import type { Incident } from '../../generated/prisma/client.js';
import { elapsedText, t } from '../i18n/zh.js';
import type { Directory } from '../org/directory.js';
import type { Priority } from '../org/schema.js';
import type { ShownEscalation } from '../outbox/outbox.js';
import { localDateTime } from '../time.js';
import { confirmationForm } from '../tickets/cards.js';
import { priorityName } from '../tickets/status.js';
import { alertFields, alertLines, type ShownAlert } from './alert-cards.js';

export const INCIDENT_ACTION = { claim: 'incident.claim', resolve: 'incident.resolve', progress: 'incident.progress', confirm: 'incident.confirm' } as const;

/** What the cards say about an incident's reports: how many, from which departments, since when. */
export interface IncidentReports {
  count: number;
  departments: string[];
  first: Date | undefined;
  /** The incident's alerts, firing first (up to the lines shown), when monitoring has seen it. */
  alerts?: ShownAlert[];
}

/** Whom the escalation reached, as the engineers' card says it: paged at once, or a step past the deadline. */
function escalationText(step: ShownEscalation): string {
  if (step.level === 0) return t('incident.escalation.pagedField', { target: step.targetName });
  const what = t(`ticket.escalation.${step.what}`);
  return t('incident.escalation.stepField', { what, late: elapsedText(step.minutes), level: step.level, target: step.targetName || t('common.groupLeader') });
}

/** The incident as a neutral card, for the engineers (claim, then resolve) or for leadership (read only). */
export function incidentCard(
  incident: Incident,
  audience: 'engineers' | 'leadership',
  reports: IncidentReports,
  directory: Directory,
  timeZone: string,
  step?: ShownEscalation,
): OutgoingMessage {
  const { count, departments, first, alerts = [] } = reports;
  const assignee = incident.assigneeId ? directory.person(incident.assigneeId) : undefined;
  const engineer = assignee ? directory.callName(assignee) : '';
  const priority = incident.priority as Priority;
  const status =
    incident.status === 'open' ? t('ticket.status.open') : incident.status === 'claimed' ? t('ticket.status.claimed') : t('incident.status.resolved');
  const value = { incident: incident.number, v: incident.version };
  return {
    type: 'card',
    card: {
      title: t('incident.card.title', { number: incident.number, priority, priorityName: priorityName(priority), system: incident.system }),
      color: incident.status === 'resolved' ? 'green' : 'red',
      fields: [
        { label: t('ticket.field.status'), value: status },
        ...alertFields(incident, timeZone),
        { label: t('incident.field.reports'), value: String(count) },
        { label: t('incident.field.departments'), value: departments.join('、') || '—' },
        ...(first ? [{ label: t('incident.field.since'), value: localDateTime(first, timeZone) }] : []),
        ...(assignee ? [{ label: t('ticket.field.assignee'), value: engineer }] : []),
        ...(step ? [{ label: t('incident.field.escalation'), value: escalationText(step) }] : []),
        ...(incident.solution ? [{ label: t('ticket.field.solution'), value: incident.solution }] : []),
      ],
      text: incident.title,
      markdown: alertLines(alerts, incident.alertCount, timeZone),
      note:
        incident.status === 'open'
          ? t(incident.origin === 'monitoring' && count === 0 ? 'incident.note.openMonitoring' : 'incident.note.open')
          : incident.status === 'claimed'
            ? t('incident.note.claimed', { engineer })
            : t('incident.note.resolved', { engineer, solution: incident.solution ?? '' }),
      buttons:
        audience === 'engineers' && incident.status === 'open'
          ? [
              {
                label: t('ticket.button.claim'),
                action: INCIDENT_ACTION.claim,
                value,
                style: 'primary',
                command: t('ticket.command.claim', { number: incident.number }),
              },
            ]
          : [],
      form:
        audience === 'engineers' && incident.status === 'claimed'
          ? {
              inputs: [{ name: 'text', label: t('incident.field.text'), kind: 'textarea', required: true }],
              submits: [
                {
                  label: t('ticket.button.resolve'),
                  action: INCIDENT_ACTION.resolve,
                  value,
                  style: 'primary',
                  command: t('ticket.command.resolve', { number: incident.number }),
                },
                {
                  label: t('incident.button.progress'),
                  action: INCIDENT_ACTION.progress,
                  value,
                  command: t('incident.command.progress', { number: incident.number }),
                },
              ],
            }
          : undefined,
    },
  };
}

/** How the reporters of one chat stand on a resolved outage. */
export interface ChatConfirmations {
  /** Still to confirm. */
  waiting: number;
  confirmed: number;
  /** Said it is still broken: their reports are open again. */
  reopened: number;
  /** Nobody confirmed in time: closed by themselves. */
  autoClosed: number;
}

/**
 * The one message a chat gets when its outage is resolved: the solution, mentioning the chat's
 * reporters, and one confirmation form each of them answers for their own report. Redrawn with the
 * tally as they answer; once nobody is left to answer, the form goes.
 */
export function incidentConfirmCard(incident: Incident, tally: ChatConfirmations, autoCloseAfter: string): OutgoingMessage {
  const total = tally.waiting + tally.confirmed + tally.reopened + tally.autoClosed;
  const open = incident.status === 'resolved' && tally.waiting > 0;
  return {
    type: 'card',
    card: {
      title: t('incident.confirm.title', { system: incident.system, number: incident.number }),
      color: 'green',
      fields: [
        { label: t('incident.confirm.confirmed'), value: `${tally.confirmed}/${total}` },
        ...(tally.reopened > 0 ? [{ label: t('incident.confirm.reopened'), value: String(tally.reopened) }] : []),
        ...(tally.autoClosed > 0 ? [{ label: t('incident.confirm.autoClosed'), value: String(tally.autoClosed) }] : []),
      ],
      text: t('incident.resolved.toReporters', { number: incident.number, system: incident.system, solution: incident.solution ?? '' }),
      note: open ? t('incident.confirm.note', { within: autoCloseAfter }) : t('incident.confirm.done'),
      buttons: [],
      form: open ? confirmationForm(INCIDENT_ACTION.confirm, { incident: incident.number }, incident.number) : undefined,
    },
  };
}
